import Foundation
import JobQueue
import Postgres
import Screening
import Store

/// Checks the documents of a batch of application revisions, then queues their screening —
/// both in the transaction that completes the job.
public struct DocumentsWorker: JobHandler {
    public static let kind = JobKinds.documents
    public let database: Database
    public init(database: Database) { self.database = database }

    public func run(_ job: JobRun<ApplicationsJob>) async throws {
        let args = job.arguments
        try await database.pool.withTransaction { connection in
            let stored = try await ApplicationStore.documents(program: args.program, items: args.items, on: connection)
            let checks = stored.map { s in DocumentCheck.json(s.documents.map { DocumentChecker.check($0, batchFolder: s.batchFolder) }) }
            try await connection.query("""
                INSERT INTO document_checks (program, applicant_id, revision, checks)
                SELECT $1, a, r, c FROM unnest($2::text[], $3::int[], $4::text[]) AS u(a, r, c)
                ON CONFLICT (program, applicant_id, revision) DO UPDATE SET checks = excluded.checks, checked_at = now()
                """, args.program, TextArray(stored.map(\.item.applicantID)), TextArray(stored.map { String($0.item.revision) }), TextArray(checks))
            let items = stored.map(\.item)
            try await database.queue.enqueue(try ApplicationsJob.jobs(kind: JobKinds.screen, program: args.program, items: items), on: connection)
            try await job.complete(on: connection)
        }
    }
}
