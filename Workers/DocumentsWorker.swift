import Foundation
import JobQueue
import Postgres
import Screening
import Store

/// Checks the documents of a batch of application revisions, then queues their screening.
///
/// The documents are read and hashed before the transaction begins and off the cooperative pool
/// (``BlockingWork``): a revision's documents never change once stored, so nothing read before
/// `BEGIN` can go stale, and no transaction (nor pooled connection) stays open while up to 100
/// applications' files are hashed. The transaction then only records the checks, queues the
/// screening and completes the job.
public struct DocumentsWorker: JobHandler {
    public static let kind = JobKinds.documents
    public let database: Database
    public init(database: Database) { self.database = database }

    public func run(_ job: JobRun<ApplicationsJob>) async throws {
        let args = job.arguments
        let stored = try await database.pool.withConnection { connection in
            try await ApplicationStore.documents(program: args.program, items: args.items, on: connection)
        }
        let checks = await BlockingWork.run {
            stored.map { s in
                (item: s.item, json: DocumentCheck.json(s.documents.map { DocumentChecker.check($0, batchFolder: args.folder ?? s.batchFolder) }))
            }
        }
        try await database.pool.withTransaction { connection in
            try await ApplicationStore.saveDocumentChecks(program: args.program, checks: checks, on: connection, queue: database.queue)
            try await job.complete(on: connection)
        }
    }
}
