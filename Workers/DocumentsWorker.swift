import Foundation
import JobQueue
import Postgres
import Screening
import Store

/// Checks an application revision's documents, then queues its screening — both in the
/// transaction that completes the job.
public struct DocumentsWorker: JobHandler {
    public static let kind = JobKinds.documents
    public let database: Database
    public init(database: Database) { self.database = database }

    public func run(_ job: JobRun<ApplicationJob>) async throws {
        let args = job.arguments
        try await database.pool.withTransaction { connection in
            guard let stored = try await ApplicationStore.load(program: args.program, applicantID: args.applicantID, revision: args.revision, on: connection) else {
                throw JobCancel(reason: "application revision \(args.revision) does not exist")
            }
            let checks = stored.application.documents.map { DocumentChecker.check($0, batchFolder: stored.batchFolder) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let json = String(decoding: try encoder.encode(checks), as: UTF8.self)
            try await connection.query("""
                INSERT INTO document_checks (program, applicant_id, revision, checks) VALUES ($1, $2, $3, $4::jsonb)
                ON CONFLICT (program, applicant_id, revision) DO UPDATE SET checks = excluded.checks, checked_at = now()
                """, args.program, args.applicantID, args.revision, JSONText(json))
            try await database.queue.enqueue(
                try JobInsert(kind: JobKinds.screen, queue: "applications", arguments: args, uniqueKey: "screen:\(args.program):\(args.applicantID):\(args.revision)"),
                on: connection)
            try await job.complete(on: connection)
        }
    }
}
