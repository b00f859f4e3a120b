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
        // A document this machine cannot read now fails the job (retried), never the application.
        let checks = try await BlockingWork.run {
            Result { () throws(DocumentReadError) in
                try stored.map { s throws(DocumentReadError) in
                    let folder = args.folder ?? s.batchFolder
                    return (
                        item: s.item,
                        json: DocumentCheck.json(
                            try s.documents.map { d throws(DocumentReadError) in
                                try DocumentChecker.check(d, batchFolder: folder)
                            })
                    )
                }
            }
        }.get()
        try await database.pool.withTransaction { connection in
            try await ApplicationStore.saveDocumentChecks(
                program: args.program, checks: checks, on: connection, queue: database.queue)
            try await job.complete(on: connection)
        }
    }
}
