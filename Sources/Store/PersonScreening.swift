import Foundation
import JobQueue
import Postgres
import Screening

/// Person-level screening: the program's exclusion lists and other applications naming the same
/// person (interface §4). Lookups go through the birth-date indexes, then names are compared.
public struct PersonScreening: Sendable {
    public let database: Database
    public init(database: Database) { self.database = database }

    /// For each application of one program, the exclusion-list entries that match it (same
    /// birth date, a shared citizenship, and the same or a close name) — one indexed statement
    /// for all of them; each day's entries are indexed by name (``PersonIndex``). Entries come in
    /// the order of the kept exclusion versions (`program_data_snapshot`), so that a decision's
    /// hits replay in the order it named them.
    public static func exclusionHits(
        for apps: [Application], program: String,
        on connection: Connection
    ) async throws -> [String: [ExclusionHit]] {
        guard !apps.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            SELECT list, family_name, given_name, birth_date::text AS born, citizenship, clause, reference
            FROM exclusion_entries WHERE program = $1 AND birth_date = ANY($2::date[])
            ORDER BY list, birth_date, reference, family_name, given_name, citizenship, clause
            """, program, TextArray(Array(Set(apps.map(\.birthDate.description)))))
        let byDay = ExclusionImpact.byDay(try rows.map(ExclusionImpact.Entry.init(row:)))
        var hits: [String: [ExclusionHit]] = [:]
        for app in apps {
            guard let day = byDay[app.birthDate.description] else { continue }
            let name = PersonName(family: app.familyName, given: app.givenName)
            let found = ExclusionImpact.hits(name: name, citizenships: app.citizenships, in: day)
            if !found.isEmpty { hits[app.applicantID] = found }
        }
        return hits
    }

    /// For each application, the other applicants of the program (their latest revision) who are
    /// the same person, less pairs an officer already resolved — one statement for all of them.
    ///
    /// Blocking (issue 26): the statement narrows candidates to the same birth date, a shared
    /// citizenship and the same ``PersonName/letterKey`` (stored as `applicants.name_key`), which
    /// every applicant with the same name has; names are then compared here. An application
    /// therefore reads the few applicants whose names can be its own, not everyone born on its
    /// day (a placeholder birth date such as 1 January made that quadratic). Rows stored before
    /// the key existed (`name_key` null) are read as candidates of every name, as before.
    public static func duplicates(
        for apps: [Application], program: String,
        on connection: Connection
    ) async throws -> [String: [DuplicateHit]] {
        guard !apps.isEmpty else { return [:] }
        // The lookup per (day, country, key) is a LATERAL subquery behind OFFSET 0, which the
        // planner cannot flatten: it stays index probes on (birth_date, name_key) per triple
        // whatever the statistics say (as a plain join, stale statistics during a first large
        // batch made it a scan; see ``duplicatesSQL`` for the index it must not take instead).
        var days: [String] = []
        var countries: [String] = []
        var keys: [String] = []
        var names: [String: PersonName] = [:]
        for app in apps {
            let name = PersonName(family: app.familyName, given: app.givenName)
            names[app.applicantID] = name
            for country in app.citizenships {
                days.append(app.birthDate.description)
                countries.append(country)
                keys.append(name.letterKey)
            }
        }
        let rows = try await connection.query(
            duplicatesSQL, program, TextArray(days), TextArray(countries), TextArray(keys))
        let resolved = Set(
            try await connection.query(
                """
                SELECT applicant_id FROM duplicate_resolutions WHERE program = $1 AND applicant_id = ANY($2::text[])
                """, program, TextArray(apps.map(\.applicantID))
            ).map { try $0.string("applicant_id") })
        struct Candidate {
            let applicantID: String
            let citizenships: [String]
        }
        var byDay: [String: [(name: PersonName, value: Candidate)]] = [:]
        var seen = Set<String>()
        for row in rows where seen.insert(try row.string("applicant_id")).inserted {
            let name = PersonName(family: try row.string("family_name"), given: try row.string("given_name"))
            let candidate = Candidate(
                applicantID: try row.string("applicant_id"),
                citizenships: try row.strings("citizenships"))
            byDay[try row.string("born"), default: []].append((name, candidate))
        }
        let indexes = byDay.mapValues { PersonIndex($0, sameOnly: true) }
        var hits: [String: [DuplicateHit]] = [:]
        for app in apps where !resolved.contains(app.applicantID) {
            guard let day = indexes[app.birthDate.description], let name = names[app.applicantID] else { continue }
            for other in day.same(as: name)
            where other.applicantID != app.applicantID
                && other.citizenships.contains(where: app.citizenships.contains)
            {
                hits[app.applicantID, default: []].append(DuplicateHit(otherApplicantID: other.applicantID))
            }
        }
        return hits
    }

    /// The applicants that the current decisions of `applicants` named as the same person — read
    /// before their new decisions are stored, so that a pair a new revision dissolves can be
    /// screened again on the other side too.
    public static func currentDuplicatePartners(
        of applicants: [String], program: String,
        on connection: Connection
    ) async throws -> [String: [String]] {
        guard !applicants.isEmpty else { return [:] }
        let rows = try await connection.query(currentDuplicatePartnersSQL, program, TextArray(applicants))
        var partners: [String: [String]] = [:]
        for row in rows {
            partners[try row.string("applicant_id")] = try duplicatePartners(trace: try row.string("trace"))
        }
        return partners
    }

    /// The applicants of a program sharing a birth date, a citizenship and a name key with any
    /// of the listed (day, country, key) triples, or sharing the day and citizenship with no key.
    ///
    /// `(h.program = $1) IS TRUE` is `h.program = $1` (the column is never null) that no index
    /// can serve, on purpose: at a program's first batch the statistics estimate the program at
    /// one row, and a scan of the primary key's `program` prefix then costs the same as a probe
    /// of `applicants_person` — the planner took it and read the whole program on every probe
    /// (1,000,000 rows for 50 people at 20,000; StaleStatisticsPlanTests, migration 065). The
    /// person index is then the only one with conditions here, whatever the statistics say.
    static let duplicatesSQL = """
        SELECT h.applicant_id, h.family_name, h.given_name, h.birth_date::text AS born, h.citizenships
        FROM (SELECT DISTINCT day, country, key
              FROM unnest($2::date[], $3::text[], $4::text[]) AS w(day, country, key)) w
        CROSS JOIN LATERAL (SELECT * FROM applicants h
                            WHERE h.birth_date = w.day AND h.name_key = w.key AND (h.program = $1) IS TRUE
                              AND w.country = ANY(h.citizenships)
                            UNION ALL
                            SELECT * FROM applicants h
                            WHERE h.birth_date = w.day AND h.name_key IS NULL AND (h.program = $1) IS TRUE
                              AND w.country = ANY(h.citizenships)
                            OFFSET 0) h
        WHERE NOT EXISTS (SELECT 1 FROM duplicate_resolutions r
                          WHERE r.program = h.program AND r.applicant_id = h.applicant_id)
        """

    /// The latest decision of each listed applicant that names a duplicate. Per applicant one
    /// index probe, behind OFFSET 0 (see ``ApplicationStore/loadSQL``): as `applicant_id =
    /// ANY($2)`, statistics of a program still empty made it a scan of every applicant.
    static let currentDuplicatePartnersSQL = """
        SELECT u.applicant_id, d.trace
        FROM unnest($2::text[]) AS u(applicant_id)
        CROSS JOIN LATERAL (SELECT x.review, x.trace FROM decisions x
                            WHERE x.program = $1 AND x.applicant_id = u.applicant_id
                              AND EXISTS (SELECT 1 FROM applicants h
                                          WHERE h.program = $1 AND h.applicant_id = u.applicant_id)
                            ORDER BY x.id DESC LIMIT 1) d
        WHERE 'identity.duplicate' = ANY(d.review)
        """

    /// The other applicants an `identity.duplicate` clause of a stored trace names.
    static func duplicatePartners(trace: String) throws -> [String] {
        let trace = try JSONDecoder().decode(DecisionTrace.self, from: Data(trace.utf8))
        let clause = trace.clauses.first { $0.id == "identity.duplicate" }
        return clause?.facts.compactMap { $0.count == 2 ? $0[1] : nil } ?? []
    }

    /// Replaces an exclusion list atomically and, in the same transaction, records the new
    /// version of the program's exclusion lists and queues every application whose hits on the
    /// list change (an entry added or removed that names it). Returns (entries, re-screened).
    public func importList(
        program: String, list: String, entries: [ExclusionEntry], source: String,
        reason: String? = nil
    ) async throws -> (Int, Int) {
        try await database.pool.withTransaction { connection in
            try await ProgramData.lockForChange(program: program, on: connection)
            let old = try await connection.query(
                """
                SELECT list, family_name, given_name, birth_date::text AS born, citizenship, clause, reference
                FROM exclusion_entries WHERE program = $1 AND list = $2
                """, program, list
            ).map(ExclusionImpact.Entry.init(row:))
            let new = entries.map {
                ExclusionImpact.Entry(
                    list: list, family: $0.familyName, given: $0.givenName,
                    birthDate: $0.birthDate.description, citizenship: $0.citizenship,
                    clause: $0.clause, reference: $0.reference)
            }
            try await connection.query("DELETE FROM exclusion_entries WHERE program = $1 AND list = $2", program, list)
            let columns = "program, list, family_name, given_name, birth_date, citizenship, clause, reference"
            try await connection.copyIn(
                "COPY exclusion_entries (\(columns)) FROM STDIN",
                rows: entries.map {
                    [
                        program, list, $0.familyName, $0.givenName, $0.birthDate.description, $0.citizenship, $0.clause,
                        $0.reference,
                    ]
                })
            try await connection.query(
                """
                INSERT INTO exclusion_lists (program, list, entries, source, imported_at) VALUES ($1, $2, $3, $4, now())
                ON CONFLICT (program, list) DO UPDATE
                    SET entries = excluded.entries, source = excluded.source, imported_at = now()
                """, program, list, entries.count, source)
            let version = try await ProgramData.recordChange(
                .exclusions, program: program, change: "exclusions.import",
                on: connection)
            let targets = try await ExclusionImpact.affected(program: program, old: old, new: new, on: connection)
            try await Rescreening.enqueue(program: program, applicants: targets, on: connection, queue: database.queue)
            try await AuditLog.record(
                on: connection, action: "exclusions.import", program: program, reason: reason,
                detail: [
                    "list": list, "file": source, "entries": "\(entries.count)",
                    "version": "\(version)", "rescreened": "\(targets.count)",
                ])
            return (entries.count, targets.count)
        }
    }

    /// The program's lists and their sizes.
    public func lists(program: String) async throws -> [(list: String, entries: Int, importedAt: Date?)] {
        try await database.pool.withConnection { connection in
            try await connection.query(
                """
                SELECT list, entries, imported_at FROM exclusion_lists WHERE program = $1 ORDER BY list
                """, program
            ).map {
                (try $0.string("list"), try $0.int("entries"), try $0.timestamp("imported_at"))
            }
        }
    }

    /// Open duplicate pairs: applicants whose latest decision has `identity.duplicate` in review.
    public func openDuplicates(program: String) async throws -> [(applicantID: String, others: [String])] {
        try await database.pool.withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT d.applicant_id, d.trace FROM decisions d
                -- From the index decisions_duplicate_review (migration 058): the decisions naming
                -- a duplicate, of which the applicants' latest are kept.
                WHERE d.program = $1 AND 'identity.duplicate' = ANY(d.review)
                  AND d.id = (SELECT x.id FROM decisions x
                              WHERE x.program = d.program AND x.applicant_id = d.applicant_id
                              ORDER BY x.id DESC LIMIT 1)
                  AND EXISTS (SELECT 1 FROM applicants h
                              WHERE h.program = d.program AND h.applicant_id = d.applicant_id)
                  AND NOT EXISTS (SELECT 1 FROM duplicate_resolutions r
                                  WHERE r.program = d.program AND r.applicant_id = d.applicant_id)
                ORDER BY d.applicant_id
                """, program)
            return try rows.map { row in
                (try row.string("applicant_id"), try Self.duplicatePartners(trace: try row.string("trace")))
            }
        }
    }

    /// What resolving a pair did.
    public struct Resolution: Sendable, Equatable {
        /// The pair was already resolved this way; nothing changed.
        public let alreadyResolved: Bool
        /// Applications queued to be decided again.
        public let redecided: Int
    }

    /// Resolves a duplicate pair: `drop` is withdrawn in favour of `keep`. Only a pair flagged as
    /// the same person is accepted — the latest decision of one names the other in
    /// `identity.duplicate` — or a pair resolved the other way round (the officer changes which
    /// application stands). In the same transaction it records the new version of the program's
    /// duplicate resolutions and queues the applications it affects: `drop` (whose decision
    /// becomes `withdrawn`), `keep`, and any other application the two were flagged with.
    public func resolveDuplicate(
        program: String, drop: String, keep: String,
        reason: String? = nil
    ) async throws -> Resolution {
        guard drop != keep else {
            throw BursarError.input("--keep must name the other application of the pair, not \(drop) itself")
        }
        return try await database.pool.withTransaction { connection in
            try await ProgramData.lockForChange(program: program, on: connection)
            let rows = try await connection.query(
                """
                SELECT applicant_id, latest_revision FROM applicants
                WHERE program = $1 AND applicant_id = ANY($2::text[])
                """, program, TextArray([drop, keep]))
            let revisions = Dictionary(
                uniqueKeysWithValues: try rows.map {
                    (try $0.string("applicant_id"), try $0.int("latest_revision"))
                })
            guard revisions[drop] != nil else { throw BursarError.notFound("no application \(drop) in \(program)") }
            guard revisions[keep] != nil else { throw BursarError.notFound("no application \(keep) in \(program)") }
            var resolved: [String: String] = [:]
            for row in try await connection.query(
                """
                SELECT applicant_id, kept FROM duplicate_resolutions
                WHERE program = $1 AND applicant_id = ANY($2::text[])
                """, program, TextArray([drop, keep]))
            {
                resolved[try row.string("applicant_id")] = try row.string("kept")
            }
            if resolved[drop] == keep { return Resolution(alreadyResolved: true, redecided: 0) }
            let partners = try await Self.currentDuplicatePartners(of: [drop, keep], program: program, on: connection)
            let flagged = partners[drop, default: []].contains(keep) || partners[keep, default: []].contains(drop)
            let reversed = resolved[keep] == drop
            guard flagged || reversed else {
                throw BursarError.input(
                    """
                    \(drop) and \(keep) are not flagged as the same person (identity.duplicate): only a pair that \
                    `bursar duplicates list --program \(program)` shows can be resolved
                    """)
            }
            if reversed {
                try await connection.query(
                    """
                    DELETE FROM duplicate_resolutions WHERE program = $1 AND applicant_id = $2
                    """, program, keep)
            }
            try await connection.query(
                """
                INSERT INTO duplicate_resolutions (program, applicant_id, kept) VALUES ($1, $2, $3)
                ON CONFLICT (program, applicant_id) DO UPDATE SET kept = excluded.kept, resolved_at = now()
                """, program, drop, keep)
            let version = try await ProgramData.recordChange(
                .duplicates, program: program,
                change: "duplicates.resolve", on: connection)
            let others = Set(partners.values.joined()).subtracting([drop, keep])
            let latest = try await connection.query(
                """
                SELECT applicant_id, latest_revision FROM applicants
                WHERE program = $1 AND applicant_id = ANY($2::text[]) ORDER BY applicant_id
                """, program, TextArray([drop, keep] + others.sorted())
            ).map {
                (try $0.string("applicant_id"), try $0.int("latest_revision"))
            }
            try await Rescreening.enqueue(program: program, applicants: latest, on: connection, queue: database.queue)
            try await AuditLog.record(
                on: connection, action: "duplicates.resolve", program: program, applicantID: drop,
                reason: reason,
                detail: ["kept": keep, "version": "\(version)", "rescreened": "\(latest.count)"])
            return Resolution(alreadyResolved: false, redecided: latest.count)
        }
    }
}
