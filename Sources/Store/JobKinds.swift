import Foundation
import JobQueue
import Postgres

/// The kinds of Bursar's jobs and their arguments (shared by the stores that enqueue them and
/// the workers that run them).
public enum JobKinds {
    public static let documents = "application.documents"
    public static let screen = "application.screen"
    public static let lifecycle = "lifecycle.apply"
    public static let payments = "payments.run"

    /// The queues Bursar runs, with the default concurrency per process.
    public static let queues: [String: Int] = ["applications": 16, "lifecycle": 4, "payments": 1]
}

/// Arguments of the jobs that work on one application revision.
public struct ApplicationJob: Codable, Sendable, Hashable {
    public let program: String
    public let applicantID: String
    public let revision: Int
    public init(program: String, applicantID: String, revision: Int) {
        self.program = program
        self.applicantID = applicantID
        self.revision = revision
    }
    enum CodingKeys: String, CodingKey { case program, applicantID = "applicant_id", revision }
}

/// Enqueues screening again for applications whose inputs changed (a list, a partner decision,
/// a duplicate resolution): the new decision becomes their latest revision of the decision.
public enum Rescreening {
    public static func enqueue(program: String, applicants: [(String, Int)], reason: String, on connection: Connection,
                               queue: JobQueueClient) async throws {
        guard !applicants.isEmpty else { return }
        let jobs = try applicants.map { id, revision in
            try JobInsert(kind: JobKinds.screen, queue: "applications",
                          arguments: ApplicationJob(program: program, applicantID: id, revision: revision),
                          priority: 50, uniqueKey: "screen:\(program):\(id):\(revision)")
        }
        try await queue.enqueue(jobs, on: connection)
    }
}
