import Postgres

/// The decisions of a program summarised for an officer (`bursar report decisions`): each
/// applicant's latest decision counted by outcome, and the clauses that failed or went to review.
public struct DecisionReport: Sendable {
    /// One clause and how many latest decisions it failed, or sent to review.
    public struct ClauseCount: Sendable, Equatable {
        public let clause: String
        public let failed: Int
        public let review: Int
    }

    public let program: String?
    public let applicants: Int
    /// Outcome → applicants whose latest decision has it, by outcome name.
    public let outcomes: [(outcome: String, count: Int)]
    public let clauses: [ClauseCount]

    /// The report of `program`, or of every program when nil, on `connection`.
    public static func make(program: String?, on connection: Connection) async throws -> DecisionReport {
        // Each applicant's latest decision (the decisions_latest index order).
        let latest = """
            SELECT DISTINCT ON (program, applicant_id) outcome, failed, review FROM decisions
            WHERE $1::text IS NULL OR program = $1 ORDER BY program, applicant_id, id DESC
            """
        let outcomeRows = try await connection.query(
            """
            SELECT outcome, count(*)::int AS n FROM (\(latest)) l GROUP BY outcome ORDER BY outcome
            """, program)
        let outcomes = try outcomeRows.map { (outcome: try $0.string("outcome"), count: try $0.int("n")) }
        let clauseRows = try await connection.query(
            """
            SELECT clause, sum(failed)::int AS failed, sum(review)::int AS review FROM (
                SELECT unnest(failed) AS clause, 1 AS failed, 0 AS review FROM (\(latest)) f
                UNION ALL
                SELECT unnest(review), 0, 1 FROM (\(latest)) r
            ) c GROUP BY clause ORDER BY clause
            """, program)
        let clauses = try clauseRows.map {
            ClauseCount(clause: try $0.string("clause"), failed: try $0.int("failed"), review: try $0.int("review"))
        }
        return DecisionReport(
            program: program, applicants: outcomes.reduce(0) { $0 + $1.count }, outcomes: outcomes,
            clauses: clauses)
    }
}
