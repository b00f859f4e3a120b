import Foundation
import Postgres
import Screening

/// What the history features (replay, what-if, explain; `Sources/History`) read: stored decisions
/// with the inputs they recorded, the kept data versions, and the applications as they stand.
/// Reads only; SQL only.
public enum HistoryStore {
    /// One stored decision with everything it recorded of its inputs (interface §7).
    public struct StoredDecision: Sendable {
        public let id: Int64
        public let program: String
        public let applicantID: String
        public let revision: Int
        public let record: DecisionRecord
        /// The stored trace as Bursar wrote it.
        public let trace: String
        /// nil: decided before program data versions were recorded (migration 010).
        public let versions: ProgramData.Versions?
        /// nil: decided before document checks were kept (migration 050); 0: no checks yet.
        public let documentsVersion: Int?
        /// nil: decided before the duplicates found were recorded (migration 050).
        public let duplicateHits: [String]?
        public let decidedAt: Date?
    }

    private static let decisionColumns = """
        d.id, d.program, d.applicant_id, d.revision, d.outcome, d.gpa, d.categories, d.failed, d.review, d.conditions,
        d.rule_set, d.trace, d.definition_version, d.partners_version, d.exclusions_version, d.duplicates_version,
        d.documents_version, d.duplicate_hits, d.decided_at
        """

    private static func decision(_ row: PostgresRow) throws -> StoredDecision {
        let outcome = Outcome(rawValue: try row.string("outcome")) ?? .pending
        let record = DecisionRecord(
            applicantID: try row.string("applicant_id"), revision: try row.int("revision"), outcome: outcome,
            gpa: try row.optionalString("gpa"), categories: try row.strings("categories"),
            failed: try row.strings("failed"),
            review: try row.strings("review"), conditions: try row.strings("conditions"),
            ruleSet: try row.string("rule_set"))
        var versions: ProgramData.Versions?
        if let definition = try row.optionalInt("definition_version"),
            let partners = try row.optionalInt("partners_version"),
            let exclusions = try row.optionalInt("exclusions_version"),
            let duplicates = try row.optionalInt("duplicates_version")
        {
            versions = ProgramData.Versions(
                definition: definition, partners: partners, exclusions: exclusions, duplicates: duplicates)
        }
        let hits: [String]? = try row.isNull("duplicate_hits") ? nil : row.strings("duplicate_hits")
        return StoredDecision(
            id: try row.int64("id"), program: try row.string("program"), applicantID: try row.string("applicant_id"),
            revision: try row.int("revision"), record: record, trace: try row.string("trace"), versions: versions,
            documentsVersion: try row.optionalInt("documents_version"), duplicateHits: hits,
            decidedAt: try row.timestamp("decided_at"))
    }

    /// The decisions of one applicant, oldest first (all programs when `program` is nil).
    public static func decisions(applicantID: String, program: String?, on connection: Connection) async throws
        -> [StoredDecision]
    {
        try await connection.query(
            """
            SELECT \(decisionColumns) FROM decisions d
            WHERE d.applicant_id = $1 AND ($2::text IS NULL OR d.program = $2) ORDER BY d.id
            """, applicantID, program
        ).map(decision)
    }

    /// The ids of every stored decision of `program`, in order.
    public static func decisionIDs(program: String, on connection: Connection) async throws -> [Int64] {
        try await connection.query("SELECT id FROM decisions WHERE program = $1 ORDER BY id", program).map {
            try $0.int64("id")
        }
    }

    /// The decisions with these ids.
    public static func decisions(ids: [Int64], on connection: Connection) async throws -> [StoredDecision] {
        try await connection.query(
            """
            SELECT \(decisionColumns) FROM decisions d WHERE d.id = ANY($1::bigint[]) ORDER BY d.id
            """, TextArray(ids.map(String.init))
        ).map(decision)
    }

    /// One decision by id.
    public static func decision(id: Int64, on connection: Connection) async throws -> StoredDecision? {
        try await decisions(ids: [id], on: connection).first
    }

    /// The stored content (canonical JSON text) of application revisions, keyed by applicant and
    /// revision.
    public static func contents(program: String, revisions: [(String, Int)], on connection: Connection) async throws
        -> [String: String]
    {
        guard !revisions.isEmpty else { return [:] }
        var contents: [String: String] = [:]
        for row in try await connection.query(
            """
            SELECT a.applicant_id, a.revision, a.content FROM applications a
            JOIN unnest($2::text[], $3::int[]) AS w(applicant_id, revision)
              ON a.applicant_id = w.applicant_id AND a.revision = w.revision
            WHERE a.program = $1
            """, program, TextArray(revisions.map(\.0)), TextArray(revisions.map { String($0.1) }))
        {
            contents[key(try row.string("applicant_id"), try row.int("revision"))] = try row.string("content")
        }
        return contents
    }

    /// The key of an applicant's revision in the dictionaries this store returns.
    public static func key(_ applicantID: String, _ revision: Int) -> String { "\(applicantID)\u{1}\(revision)" }

    /// The key of one revision's kept checks of one version in ``documentChecks(program:wanted:on:)``.
    public static func checksKey(_ applicantID: String, _ revision: Int, _ version: Int?) -> String {
        "\(applicantID)\u{1}\(revision)\u{1}\(version.map(String.init) ?? "first")"
    }

    /// Kept document checks: for each (applicant, revision, version) asked, the checks JSON, keyed
    /// by ``checksKey(_:_:_:)``. A version of nil asks for the first kept one (decisions made
    /// before migration 050).
    public static func documentChecks(program: String, wanted: [(String, Int, Int?)], on connection: Connection)
        async throws
        -> [String: String]
    {
        guard !wanted.isEmpty else { return [:] }
        var checks: [String: String] = [:]
        for row in try await connection.query(
            """
            SELECT w.applicant_id, w.revision, w.version, c.checks FROM unnest($2::text[], $3::int[], $4::int[]) AS
            w(applicant_id, revision, version)
            CROSS JOIN LATERAL (SELECT v.checks FROM document_check_versions v
                                WHERE v.program = $1 AND v.applicant_id = w.applicant_id AND v.revision = w.revision
                                  AND (w.version IS NULL OR v.version = w.version)
                                ORDER BY v.version LIMIT 1) c
            """, program, TextArray(wanted.map(\.0)), TextArray(wanted.map { String($0.1) }),
            TextArray(wanted.map { $0.2.map(String.init) }))
        {
            checks[checksKey(try row.string("applicant_id"), try row.int("revision"), try row.optionalInt("version"))] =
                try row.string("checks")
        }
        return checks
    }

    /// The snapshot of every version of program data kind `kind` that `versions` names.
    public static func snapshots(
        _ kind: ProgramData.Kind, program: String, versions: Set<Int>, on connection: Connection
    ) async throws
        -> [Int: String]
    {
        guard !versions.isEmpty else { return [:] }
        var snapshots: [Int: String] = [:]
        for row in try await connection.query(
            """
            SELECT version, snapshot FROM program_data_versions WHERE program = $1 AND kind = $2 AND version =
            ANY($3::int[])
            """, program, kind.rawValue, TextArray(versions.map(String.init)))
        {
            snapshots[try row.int("version")] = try row.string("snapshot")
        }
        return snapshots
    }

    /// An application as it stands (latest revision) with what a new decision would read of it
    /// and the outcome and clauses of its latest stored decision.
    public struct Current: Sendable {
        public let applicantID: String
        public let revision: Int
        public let content: String
        public let checks: String?
        /// The latest decision (of any revision); nil when none.
        public let stored: DecisionRecord?
        /// The applicant holds a scholarship (an `admitted` event was applied).
        public let admitted: Bool
    }

    /// The applicant ids of `program`, in order.
    public static func applicantIDs(program: String, on connection: Connection) async throws -> [String] {
        try await connection.query(
            "SELECT applicant_id FROM applicants WHERE program = $1 ORDER BY applicant_id", program
        )
        .map { try $0.string("applicant_id") }
    }

    /// The applications named, as they stand.
    public static func current(program: String, applicants: [String], on connection: Connection) async throws
        -> [Current]
    {
        try await connection.query(
            """
            SELECT h.applicant_id, h.latest_revision, a.content,
                   (SELECT c.checks FROM document_checks c
                    WHERE c.program = h.program AND c.applicant_id = h.applicant_id AND c.revision =
                    h.latest_revision) AS checks,
                   d.revision AS decided_revision, d.outcome, d.gpa, d.categories, d.failed, d.review, \
                   d.conditions, d.rule_set,
                   EXISTS (SELECT 1 FROM scholarships s WHERE s.program = h.program AND s.applicant_id =
                   h.applicant_id) AS admitted
            FROM applicants h
            JOIN applications a ON a.program = h.program AND a.applicant_id = h.applicant_id AND a.revision =
            h.latest_revision
            LEFT JOIN LATERAL (SELECT * FROM decisions x WHERE x.program = h.program AND x.applicant_id = h.applicant_id
                               ORDER BY x.id DESC LIMIT 1) d ON true
            WHERE h.program = $1 AND h.applicant_id = ANY($2::text[])
            ORDER BY h.applicant_id
            """, program, TextArray(applicants)
        ).map { row in
            var stored: DecisionRecord?
            if let outcome = try row.optionalString("outcome").flatMap(Outcome.init(rawValue:)) {
                stored = DecisionRecord(
                    applicantID: try row.string("applicant_id"), revision: try row.int("decided_revision"),
                    outcome: outcome,
                    gpa: try row.optionalString("gpa"), categories: try row.strings("categories"),
                    failed: try row.strings("failed"),
                    review: try row.strings("review"), conditions: try row.strings("conditions"),
                    ruleSet: try row.optionalString("rule_set"))
            }
            return Current(
                applicantID: try row.string("applicant_id"), revision: try row.int("latest_revision"),
                content: try row.string("content"), checks: try row.optionalString("checks"), stored: stored,
                admitted: try row.bool("admitted"))
        }
    }

    /// One applicant's identity as duplicates are found (interface §4).
    public struct Identity: Sendable {
        public let applicantID: String
        public let birthDate: String
        public let name: PersonName
        public let citizenships: [String]
    }

    /// The identity of every applicant of `program` (latest revision), and the applicants an
    /// officer withdrew as duplicates (`kept` in their place).
    public static func identities(program: String, on connection: Connection) async throws -> (
        identities: [Identity], withdrawn: [String: String]
    ) {
        let identities = try await connection.query(
            """
            SELECT applicant_id, birth_date::text AS born, family_name, given_name, citizenships FROM applicants
            WHERE program = $1
            """, program
        ).map { row in
            Identity(
                applicantID: try row.string("applicant_id"), birthDate: try row.string("born"),
                name: PersonName(family: try row.string("family_name"), given: try row.string("given_name")),
                citizenships: try row.strings("citizenships"))
        }
        var withdrawn: [String: String] = [:]
        for row in try await connection.query(
            "SELECT applicant_id, kept FROM duplicate_resolutions WHERE program = $1", program)
        {
            withdrawn[try row.string("applicant_id")] = try row.string("kept")
        }
        return (identities, withdrawn)
    }

    /// The audit row that recorded a decision (`decision` rows name their decision id).
    public static func auditRow(decisionID: Int64, program: String, applicantID: String, on connection: Connection)
        async throws
        -> (id: Int64, at: Date?)?
    {
        try await connection.query(
            """
            SELECT id, at FROM audit_log WHERE program = $1 AND applicant_id = $2 AND action = 'decision'
              AND detail ->> 'decision_id' = $3
            ORDER BY id LIMIT 1
            """, program, applicantID, String(decisionID)
        ).first.map { (try $0.int64("id"), try $0.timestamp("at")) }
    }
}

extension HistoryStore {
    /// The decision in force when the applicant's `admitted` event was applied: the latest
    /// decision made before it; nil when there is none.
    public static func admittingDecision(program: String, applicantID: String, on connection: Connection) async throws
        -> StoredDecision?
    {
        try await connection.query(
            """
            SELECT \(decisionColumns) FROM lifecycle_events e
            JOIN LATERAL (SELECT * FROM decisions x WHERE x.program = e.program AND x.applicant_id = e.applicant_id
                            AND x.decided_at <= coalesce(e.processed_at, now()) ORDER BY x.id DESC LIMIT 1) d ON true
            WHERE e.program = $1 AND e.applicant_id = $2 AND e.type = 'admitted' AND e.status = 'applied'
            ORDER BY e.seq LIMIT 1
            """, program, applicantID
        ).first.map(decision)
    }

    /// A payment run by id.
    public static func paymentRun(id: Int64, on connection: Connection) async throws -> (
        month: String, ranAt: Date?, bankFile: String?
    )? {
        try await connection.query("SELECT month, ran_at, bank_file FROM payment_runs WHERE id = $1", id).first.map {
            (try $0.string("month"), try $0.timestamp("ran_at"), try $0.optionalString("bank_file"))
        }
    }
}
