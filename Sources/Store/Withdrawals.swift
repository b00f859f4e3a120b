import Postgres

/// Applications an officer withdrew (`bursar duplicates resolve`), read by the decisions made
/// for them: a withdrawn application's outcome is `withdrawn` (interface §2).
public enum Withdrawals {
    /// For each of `applicants` that an officer withdrew, the application kept in its place.
    public static func kept(for applicants: [String], program: String, on connection: Connection) async throws
        -> [String: String]
    {
        guard !applicants.isEmpty else { return [:] }
        var kept: [String: String] = [:]
        for row in try await connection.query(
            """
            SELECT applicant_id, kept FROM duplicate_resolutions WHERE program = $1 AND applicant_id = ANY($2::text[])
            """, program, TextArray(applicants))
        {
            kept[try row.string("applicant_id")] = try row.string("kept")
        }
        return kept
    }
}
