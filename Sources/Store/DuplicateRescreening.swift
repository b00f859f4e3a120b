import JobQueue
import Postgres

/// Interface §4: "both get identity.duplicate in review". When a decision finds a duplicate pair,
/// or stops finding one, the other side's latest decision may no longer say what is true: this
/// enqueues that side's screening again in the caller's transaction (``Rescreening``).
public enum DuplicateRescreening {
    /// What a decision found of the other sides' pairs.
    public enum Change: Sendable {
        /// A newly found pair: the other side gets `identity.duplicate` too. It is screened again
        /// when its current decision does not say so yet (one that has no decision yet will find
        /// the pair itself).
        case pairFound
        /// The pair no longer holds (a new revision changed a name, a birth date or a
        /// citizenship): the former partner is screened again — except one an officer withdrew as
        /// the duplicate of another (`duplicates resolve`): its decision stays as it was.
        case pairDissolved

        /// The statement's text after `FROM applicants h`: $1 the program, $2 the applicant ids.
        fileprivate var filter: String {
            switch self {
            case .pairFound:
                """
                JOIN LATERAL (SELECT review FROM decisions d
                              WHERE d.program = h.program AND d.applicant_id = h.applicant_id
                                AND d.revision = h.latest_revision
                              ORDER BY d.id DESC LIMIT 1) d ON true
                WHERE h.program = $1 AND h.applicant_id = ANY($2::text[])
                  AND NOT ('identity.duplicate' = ANY(d.review))
                """
            case .pairDissolved:
                """
                WHERE h.program = $1 AND h.applicant_id = ANY($2::text[])
                  AND NOT EXISTS (SELECT 1 FROM duplicate_resolutions r
                                  WHERE r.program = h.program AND r.applicant_id = h.applicant_id)
                """
            }
        }
    }

    /// Enqueues screening of the latest revision of those of `applicants` the change concerns.
    public static func enqueue(
        _ applicants: [String], after change: Change, program: String, on connection: Connection,
        queue: JobQueueClient
    ) async throws {
        guard !applicants.isEmpty else { return }
        let rows = try await connection.query(
            "SELECT h.applicant_id, h.latest_revision FROM applicants h\n" + change.filter,
            program, TextArray(applicants))
        let targets = try rows.map { (try $0.string("applicant_id"), try $0.int("latest_revision")) }
        try await Rescreening.enqueue(program: program, applicants: targets, on: connection, queue: queue)
    }
}
