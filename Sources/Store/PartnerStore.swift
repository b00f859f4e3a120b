import Foundation
import JobQueue
import Partners
import Postgres
import Screening

/// Partner lists and officers' decisions on uncertain matches.
public struct PartnerStore: Sendable {
    public let database: Database
    public init(database: Database) { self.database = database }

    public struct ListInfo: Sendable {
        public let source: String
        public let partners: Int
        public let importedAt: Date?
    }

    public func listInfo(program: String) async throws -> ListInfo? {
        try await database.pool.withConnection { connection in
            try await connection.query(
                "SELECT source, partners, imported_at FROM partner_lists WHERE program = $1", program
            ).first.map {
                ListInfo(
                    source: try $0.string("source"), partners: try $0.int("partners"),
                    importedAt: try $0.timestamp("imported_at"))
            }
        }
    }

    /// What an import did (or, in a dry run, would do).
    public struct Imported: Sendable {
        public let change: PartnerListChange
        /// Applications queued to be decided again (in a dry run: that would be).
        public let redecided: Int
    }

    /// An import that would remove more institutions than the caller allowed (`partners import`
    /// without `--yes`): nothing was changed.
    public struct TooManyRemovals: Error, CustomStringConvertible {
        public let removed: Int
        public let before: Int
        public var description: String {
            "the import would remove \(removed) of the \(before) partner institutions; nothing was changed. "
                + "Check the file (--dry-run shows the change) and re-run with --yes to replace the list"
        }
    }

    /// Replaces the program's list atomically — screening sees the old list or the new, never
    /// half — and, in the same transaction, records the new version of the program's partner data
    /// and queues every application whose partner match the new list changes to be decided again.
    /// A dry run changes nothing and says what the import would do. With `maxRemovals`, an import
    /// removing more institutions than that is refused (a one-row file had replaced all 166).
    @discardableResult
    public func replace(
        program: String, partners: [Partner], source: String, dryRun: Bool = false,
        maxRemovals: Int? = nil
    ) async throws -> Imported {
        try await database.pool.withTransaction { connection in
            try await ProgramData.lockForChange(program: program, on: connection)
            let before = try await Self.matcher(program: program, on: connection)
            let after = PartnerMatcher(partners: partners, confirmed: before.confirmed, rejected: before.rejected)
            let change = PartnerListChange(old: before.matcher.partners, new: partners)
            let affected = try await PartnerMatchImpact.affected(
                program: program, before: before.matcher, after: after,
                spellingKey: nil, on: connection)
            guard !dryRun else { return Imported(change: change, redecided: affected.count) }
            if let maxRemovals, change.removed.count > maxRemovals {
                throw TooManyRemovals(removed: change.removed.count, before: before.matcher.partners.count)
            }
            try await connection.query("DELETE FROM partners WHERE program = $1", program)
            let rows: [[String?]] = partners.enumerated().map { i, p in
                let agreements =
                    "["
                    + p.agreements.map {
                        JSONWriter.object([
                            ("level", JSONWriter.string($0.level)), ("department", JSONWriter.string($0.department)),
                            ("home_faculty", JSONWriter.string($0.homeFaculty)),
                        ])
                    }.joined(separator: ",") + "]"
                return [
                    program, String(i), p.name, p.japaneseName, p.country, agreements,
                    TextArray(p.aliases).postgresText,
                ]
            }
            try await connection.copyIn(
                "COPY partners (program, position, name, japanese_name, country, agreements, aliases) FROM STDIN",
                rows: rows)
            try await connection.query(
                """
                INSERT INTO partner_lists (program, source, partners, imported_at) VALUES ($1, $2, $3, now())
                ON CONFLICT (program) DO UPDATE SET source = excluded.source, partners = excluded.partners,
                    imported_at = now()
                """, program, source, partners.count)
            let version = try await ProgramData.recordChange(
                .partners, program: program, change: "partners.import", on: connection)
            try await Rescreening.enqueue(program: program, applicants: affected, on: connection, queue: database.queue)
            try await AuditLog.record(
                on: connection, action: "partners.import", program: program,
                detail: [
                    "partners": "\(partners.count)", "source": source, "version": "\(version)",
                    "rescreened": "\(affected.count)",
                    "added": "\(change.added.count)", "removed": "\(change.removed.count)",
                    "renamed": "\(change.renamed.count)",
                ])
            return Imported(change: change, redecided: affected.count)
        }
    }

    /// The program's partners in list order.
    public func partners(program: String) async throws -> [Partner] {
        try await database.pool.withConnection { connection in try await Self.partners(program: program, on: connection)
        }
    }

    /// The program's partners in list order, on `connection`.
    public static func partners(program: String, on connection: Connection) async throws -> [Partner] {
        try await connection.query(
            """
            SELECT name, japanese_name, country, agreements::text AS agreements, aliases
            FROM partners WHERE program = $1 ORDER BY position
            """, program
        ).map { row in
            let agreements: [Partner.Agreement]
            if case .array(let items) = try JSONParser.parse(try row.string("agreements")) {
                agreements = items.map { item in
                    func text(_ key: String) -> String {
                        if case .string(let s)? = item[key] { return s }
                        return ""
                    }
                    return Partner.Agreement(
                        level: text("level"), department: text("department"), homeFaculty: text("home_faculty"))
                }
            } else {
                agreements = []
            }
            return Partner(
                name: try row.string("name"), japaneseName: try row.string("japanese_name"),
                country: try row.string("country"),
                agreements: agreements, aliases: try row.strings("aliases"))
        }
    }

    /// A matcher for the program's list with the officers' decisions applied.
    public func matcher(program: String) async throws -> PartnerMatcher {
        try await database.pool.withConnection { connection in
            try await Self.matcher(program: program, on: connection).matcher
        }
    }

    /// The program's matcher on `connection`, with the officers' decisions it was built from.
    public static func matcher(program: String, on connection: Connection) async throws
        -> (matcher: PartnerMatcher, confirmed: [String: String], rejected: Set<String>)
    {
        let partners = try await partners(program: program, on: connection)
        var confirmed: [String: String] = [:]
        var rejected: Set<String> = []
        for row in try await connection.query(
            "SELECT spelling, partner FROM partner_decisions WHERE program = $1", program)
        {
            if let partner = try row.optionalString("partner") {
                confirmed[try row.string("spelling")] = partner
            } else {
                rejected.insert(try row.string("spelling"))
            }
        }
        return (PartnerMatcher(partners: partners, confirmed: confirmed, rejected: rejected), confirmed, rejected)
    }

    /// Records an officer's decision on a spelling: `partner` confirms it as that partner, nil
    /// rejects it (a later decision on the same spelling replaces an earlier one). In the same
    /// transaction it records the new version of the program's partner data and queues every
    /// application whose partner match the decision changes — those the spelling waited on, and
    /// those a confirmation it replaces had made partners (`reject` right after `confirm`).
    /// Returns how many.
    public func decide(program: String, spelling: String, partner: String?, reason: String) async throws -> Int {
        let key = PartnerMatcher.decisionKey(spelling)
        return try await database.pool.withTransaction { connection in
            try await ProgramData.lockForChange(program: program, on: connection)
            let before = try await Self.matcher(program: program, on: connection)
            if let partner, !before.matcher.partners.contains(where: { $0.name == partner }) {
                throw BursarError.notFound(
                    "\"\(partner)\" is not on the partner list of \(program); use the exact English name as `bursar "
                        + "partners list` prints it"
                )
            }
            var confirmed = before.confirmed.filter { PartnerMatcher.decisionKey($0.key) != key }
            var rejected = before.rejected.filter { PartnerMatcher.decisionKey($0) != key }
            if let partner { confirmed[spelling] = partner } else { rejected.insert(spelling) }
            let after = PartnerMatcher(partners: before.matcher.partners, confirmed: confirmed, rejected: rejected)
            let affected = try await PartnerMatchImpact.affected(
                program: program, before: before.matcher, after: after,
                spellingKey: key, on: connection)
            try await connection.query(
                """
                INSERT INTO partner_decisions (program, spelling_key, spelling, partner, reason) VALUES ($1, $2, $3, $4,
                    $5)
                ON CONFLICT (program, spelling_key) DO UPDATE SET spelling = excluded.spelling,
                    partner = excluded.partner,
                    reason = excluded.reason, decided_at = now()
                """, program, key, spelling, partner, reason)
            let action = partner == nil ? "partners.reject" : "partners.confirm"
            let version = try await ProgramData.recordChange(
                .partners, program: program, change: action, on: connection)
            try await Rescreening.enqueue(program: program, applicants: affected, on: connection, queue: database.queue)
            try await AuditLog.record(
                on: connection, action: action, program: program, reason: reason,
                detail: ["partner": partner ?? "", "version": "\(version)", "rescreened": "\(affected.count)"])
            return affected.count
        }
    }
}
