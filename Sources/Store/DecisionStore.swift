import Foundation
import Partners
import Postgres
import Screening

/// Decisions: appended, never updated; the latest per applicant is the current one.
public struct DecisionStore: Sendable {
    public let database: Database
    public init(database: Database) { self.database = database }

    /// One decision to append.
    public struct NewDecision: Sendable {
        public let decision: Decision
        public let revision: Int
        /// The program data versions the decision read (interface §7).
        public let versions: ProgramData.Versions
        /// The institution as the application wrote it, and its country: what the partner match
        /// read, so that a change of the partner list finds the decisions it changes.
        public let institution: String
        public let institutionCountry: String
        /// The kept document checks read (`document_check_versions`; 0 when none were made yet).
        public let documentsVersion: Int
        /// The other applicants found to be the same person (`identity.duplicate`'s input).
        public let duplicateHits: [String]
        public init(
            decision: Decision, revision: Int, versions: ProgramData.Versions, institution: String,
            institutionCountry: String,
            documentsVersion: Int = 0, duplicateHits: [String] = []
        ) {
            self.documentsVersion = documentsVersion
            self.duplicateHits = duplicateHits
            self.decision = decision
            self.revision = revision
            self.versions = versions
            self.institution = institution
            self.institutionCountry = institutionCountry
        }
    }

    /// Appends decisions with one COPY on `connection` (inside the screening job's transaction):
    /// traces are ~5 KB each, and COPY takes them without the array literal a multi-row
    /// statement would have to parse. `partner_key` is the key an officer's decision on the
    /// institution's spelling is kept under — on every decision, since such a decision changes
    /// every decision that read the spelling, whatever its match was.
    public static func save(_ decisions: [NewDecision], program: String, on connection: Connection) async throws {
        guard !decisions.isEmpty else { return }
        func list(_ values: [String]) -> String? { TextArray(values).postgresText }
        // The ids are taken first, so that each audit row names its decision (COPY returns none).
        let ids = try await connection.query(
            """
            SELECT nextval(pg_get_serial_sequence('decisions', 'id')) AS id FROM generate_series(1, $1)
            """, decisions.count
        ).map { try $0.int64("id") }
        // The key of each spelling once: the applications of a job share few institutions, and
        // folding a name was a quarter of building the rows.
        var partnerKeys: [String: String] = [:]
        let rows: [[String?]] = zip(ids, decisions).map { id, new in
            let d = new.decision
            let v = new.versions
            let partnerKey = partnerKeys[new.institution] ?? PartnerMatcher.decisionKey(new.institution)
            partnerKeys[new.institution] = partnerKey
            let trace = DecisionTrace(d)
            return [
                String(id), program, d.applicantID, String(new.revision), d.outcome.rawValue, d.gpa,
                list(d.categories),
                list(d.failed), list(d.review), list(d.conditions), d.ruleSet, trace.json,
                partnerKey, new.institution, new.institutionCountry,
                String(v.definition), String(v.partners), String(v.exclusions), String(v.duplicates),
                String(new.documentsVersion), list(new.duplicateHits), partnerUncertain(trace) ? "t" : "f",
            ]
        }
        _ = try await connection.copyIn(
            """
            COPY decisions (id, program, applicant_id, revision, outcome, gpa, categories, failed, review, conditions,
                            rule_set, trace, partner_key, institution, institution_country,
                            definition_version, partners_version, exclusions_version, duplicates_version,
                            documents_version, duplicate_hits, partner_uncertain)
            FROM STDIN
            """,
            rows: rows)
        // Interface §5: the trail holds every decision (its id, outcome and rule set), written
        // in the caller's transaction with the decisions.
        try await AuditLog.record(
            on: connection, action: "decision",
            rows: zip(ids, decisions).map { id, new in
                AuditLog.Row(
                    program: program, applicantID: new.decision.applicantID,
                    detail: [
                        "decision_id": String(id), "revision": String(new.revision),
                        "outcome": new.decision.outcome.rawValue, "rule_set": new.decision.ruleSet,
                    ])
            })
    }

    /// Whether a trace holds an uncertain partner spelling: a `partner match` fact of clause
    /// eligibility.2 whose reading starts with "uncertain". Stored as `partner_uncertain`, it is
    /// what the index `decisions_partner_uncertain` (migration 064) holds; that index's
    /// predicate makes the same test with a JSON path on the traces stored before the column.
    static func partnerUncertain(_ trace: DecisionTrace) -> Bool {
        trace.clauses.contains { clause in
            clause.id == "eligibility.2"
                && clause.facts.contains { $0.count >= 2 && $0[0] == "partner match" && $0[1].hasPrefix("uncertain") }
        }
    }

    /// That JSON path, as SQL text (two adjacent string constants are one): in the predicate of
    /// `decisions_partner_uncertain` (migration 064, written out there) and in the queries the
    /// index serves (`ReviewStore.uncertainSpellings`), which must match it word for word.
    static let uncertainPartnerPath = """
        'strict $.clauses[*] ? (@.id == "eligibility.2")'
        '.facts[*] ? (@[0] == "partner match" && @[1] starts with "uncertain")'
        """

    private static let latestSQL = """
        SELECT h.program, h.applicant_id, h.latest_revision AS revision, d.outcome, d.gpa, d.categories, d.failed,
            d.review,
               d.conditions, d.rule_set, d.trace, d.decided_at
        FROM applicants h
        LEFT JOIN LATERAL (
            SELECT * FROM decisions x
            WHERE x.program = h.program AND x.applicant_id = h.applicant_id AND x.revision = h.latest_revision
            ORDER BY x.id DESC LIMIT 1
        ) d ON true
        """

    private static func record(_ row: PostgresRow) throws -> DecisionRecord {
        let outcome = try row.optionalString("outcome").flatMap(Outcome.init(rawValue:)) ?? .pending
        return DecisionRecord(
            applicantID: try row.string("applicant_id"), revision: try row.int("revision"), outcome: outcome,
            gpa: try row.optionalString("gpa"), categories: try row.strings("categories"),
            failed: try row.strings("failed"),
            review: try row.strings("review"), conditions: try row.strings("conditions"),
            ruleSet: try row.optionalString("rule_set"))
    }

    /// The current decision of every application of `program` (all programs when nil), in
    /// applicant order; `pending` where the latest revision is not decided yet.
    public func latest(program: String?) async throws -> [DecisionRecord] {
        try await database.pool.withConnection { connection in
            let rows = try await connection.query(
                Self.latestSQL + " WHERE ($1::text IS NULL OR h.program = $1) ORDER BY h.program, h.applicant_id",
                program)
            return try rows.map(Self.record)
        }
    }

    /// The current decision of one applicant with its trace and when it was made.
    public func current(program: String?, applicantID: String) async throws -> (
        DecisionRecord, DecisionTrace?, Date?, String
    ) {
        try await database.pool.withConnection { connection in
            let rows = try await connection.query(
                Self.latestSQL + " WHERE h.applicant_id = $1 AND ($2::text IS NULL OR h.program = $2)", applicantID,
                program)
            guard let row = rows.first else {
                throw BursarError.notFound(
                    "no application with applicant_id \(applicantID)\(program.map { " in \($0)" } ?? "")")
            }
            if rows.count > 1 {
                throw BursarError.input("\(applicantID) applied to several programs; name one with --program")
            }
            let trace = try row.optionalString("trace").map {
                try JSONDecoder().decode(DecisionTrace.self, from: Data($0.utf8))
            }
            return (try Self.record(row), trace, try row.timestamp("decided_at"), try row.string("program"))
        }
    }

    /// How many decisions each application has had (history length), for `show`.
    public func historyCount(program: String, applicantID: String) async throws -> Int {
        try await database.pool.withConnection { connection in
            try await connection.query(
                "SELECT count(*)::int AS n FROM decisions WHERE program = $1 AND applicant_id = $2", program,
                applicantID
            ).first!.int("n")
        }
    }
}
