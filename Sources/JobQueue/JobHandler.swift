import Foundation
import Postgres

/// The code that runs jobs of one kind, with typed `Codable` arguments.
public protocol JobHandler: Sendable {
    associatedtype Arguments: Codable & Sendable
    /// The `kind` column of the jobs this handler runs.
    static var kind: String { get }
    /// How long a run may take before it is cancelled and counted as failed. It is also the
    /// `statement_timeout` of the handler's queries, and a query in progress at the deadline is
    /// cancelled on the server (`PQcancel`), so a blocked query cannot hold the slot.
    var timeout: Duration { get }
    /// Runs one job. Throwing marks the attempt failed (retried with backoff); ``JobSnooze``
    /// and ``JobCancel`` end it otherwise. A job whose effects are in the database calls
    /// ``JobRun/complete(on:)`` inside the transaction that writes them.
    func run(_ job: JobRun<Arguments>) async throws
}

extension JobHandler {
    public var timeout: Duration { .seconds(300) }
}

/// One run of a job, as its handler sees it.
public struct JobRun<Arguments: Sendable>: Sendable {
    public let job: ClaimedJob
    public let arguments: Arguments
    let ledger: CompletionLedger

    /// Marks the job completed inside the caller's transaction on `connection`, so the job's
    /// effects and its completion commit together or not at all. Throws ``JobOwnershipLost``
    /// when this attempt no longer owns the job; the caller's transaction must then roll back.
    ///
    /// The run counts as completed by its handler only once that transaction commits: rolled
    /// back (a retried serialization failure, a deferred constraint at `COMMIT`, a lost
    /// connection), the completion never happened and the queue completes or retries the job.
    public func complete(on connection: Connection) async throws {
        guard try await QueueDriver.complete(job, on: connection) else { throw JobOwnershipLost(jobID: job.id) }
        let ledger = self.ledger
        await connection.afterCommit { ledger.markCompletedInline() }
    }
}

/// Thrown by a handler to run the job again after `delay`, without counting an attempt.
public struct JobSnooze: Error, Sendable {
    public let delay: Duration
    public init(for delay: Duration) { self.delay = delay }
}

/// Thrown by a handler to end the job as cancelled: retrying cannot help.
public struct JobCancel: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// This attempt no longer owns its job: it was rescued after its lease lapsed, or cancelled.
public struct JobOwnershipLost: Error, Sendable, CustomStringConvertible {
    public let jobID: Int64
    public var description: String { "job \(jobID) is no longer owned by this attempt" }
}

/// Whether a run completed its job itself (inside its own transaction).
final class CompletionLedger: @unchecked Sendable {
    private let lock = NSLock()
    private var inline = false
    func markCompletedInline() {
        lock.lock()
        inline = true
        lock.unlock()
    }
    var completedInline: Bool {
        lock.lock()
        defer { lock.unlock() }
        return inline
    }
}

/// A handler with its argument type erased, as the supervisor keeps it.
struct AnyJobHandler: Sendable {
    let kind: String
    let timeout: Duration
    let run: @Sendable (ClaimedJob, CompletionLedger) async throws -> Void

    init<H: JobHandler>(_ handler: H) {
        kind = H.kind
        timeout = handler.timeout
        // One decoder for every run of the kind (it holds no state between decodes).
        let decoder = JSONDecoder()
        run = { job, ledger in
            let arguments: H.Arguments
            do {
                arguments = try decoder.decode(H.Arguments.self, from: Data(job.args.utf8))
            } catch {
                throw JobCancel(reason: "the job's arguments do not decode as \(H.Arguments.self): \(error)")
            }
            try await handler.run(JobRun(job: job, arguments: arguments, ledger: ledger))
        }
    }
}

/// The handlers a process runs, by job kind.
public struct JobRegistry: Sendable {
    var handlers: [String: AnyJobHandler] = [:]

    public init() {}

    /// Adds a handler; a later one for the same kind replaces the earlier.
    public mutating func register<H: JobHandler>(_ handler: H) {
        handlers[H.kind] = AnyJobHandler(handler)
    }

    /// Removes the handler of `kind`, if any (a process that plays an older build in tests).
    public mutating func unregister(_ kind: String) {
        handlers[kind] = nil
    }

    public var kinds: [String] { handlers.keys.sorted() }
}
