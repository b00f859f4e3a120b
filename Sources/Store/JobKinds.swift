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

/// Arguments of the jobs that work on application revisions: a small batch of one program's
/// applications, so that a burst of submissions costs a few statements per batch rather than per
/// application.
public struct ApplicationsJob: Codable, Sendable, Hashable {
    /// One application revision.
    public struct Item: Codable, Sendable, Hashable {
        public let applicantID: String
        public let revision: Int
        public init(applicantID: String, revision: Int) {
            self.applicantID = applicantID
            self.revision = revision
        }
        enum CodingKeys: String, CodingKey {
            case applicantID = "applicant_id"
            case revision
        }
    }

    public let program: String
    public let items: [Item]
    /// For a document check: the folder to read the documents from instead of the batch folder
    /// recorded at submit (`bursar documents recheck --from`); absent otherwise.
    public let folder: String?

    public init(program: String, items: [Item], folder: String? = nil) {
        self.program = program
        self.items = items
        self.folder = folder
    }

    /// Applications per job.
    public static let batchSize = 100

    /// Jobs of `kind` for `items`, `batchSize` applications each.
    public static func jobs(kind: String, program: String, items: [Item], folder: String? = nil, priority: Int = 100)
        throws -> [JobInsert]
    {
        try stride(from: 0, to: items.count, by: batchSize).map { start in
            try JobInsert(
                kind: kind, queue: "applications",
                arguments: ApplicationsJob(
                    program: program, items: Array(items[start..<min(items.count, start + batchSize)]), folder: folder),
                priority: priority)
        }
    }
}

/// Enqueues screening again for applications whose inputs changed (a list, a partner decision,
/// a duplicate resolution, the program definition): the new decision becomes their latest
/// decision. Callers enqueue in the transaction that records the change, under the program's
/// data lock (``ProgramData``).
public enum Rescreening {
    public static func enqueue(
        program: String, applicants: [(String, Int)], on connection: Connection,
        queue: JobQueueClient
    ) async throws {
        guard !applicants.isEmpty else { return }
        let items = applicants.map { ApplicationsJob.Item(applicantID: $0.0, revision: $0.1) }
        try await queue.enqueue(
            try ApplicationsJob.jobs(kind: JobKinds.screen, program: program, items: items, priority: 50),
            on: connection)
    }
}
