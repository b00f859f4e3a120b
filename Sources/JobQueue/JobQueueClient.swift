import Foundation
import Postgres

/// The queue's client: inserts jobs, claims them, records their ends, and answers questions
/// about them. The SQL is in ``QueueDriver``; this type picks the connection.
public struct JobQueueClient: Sendable {
    /// The channel inserts notify, with the queue's name as payload.
    public static let channel = "bursar_jobs"

    public let pool: ConnectionPool
    /// Wake-ups of enqueues, one per queue per interval.
    let notifications: NotifyLimiter

    public init(pool: ConnectionPool) {
        self.init(pool: pool, notifyInterval: .milliseconds(100))
    }

    /// A client whose enqueues notify each queue at most once per `notifyInterval`.
    public init(pool: ConnectionPool, notifyInterval: Duration) {
        self.pool = pool
        notifications = NotifyLimiter(interval: notifyInterval)
    }

    // MARK: enqueue

    /// Inserts one job on `connection`, inside whatever transaction the caller has open, so the
    /// job exists if and only if the caller's data is committed.
    @discardableResult
    public func enqueue(_ job: JobInsert, on connection: Connection) async throws -> EnqueueResult {
        let ids = try await QueueDriver.insert([job], notifying: notifications.admit([job.queue]), on: connection)
        return ids.first.map { .inserted(id: $0) } ?? .duplicate
    }

    /// Inserts many jobs with one statement on `connection` (inside the caller's transaction).
    /// Returns the ids inserted; jobs whose unique key is live are skipped.
    @discardableResult
    public func enqueue(_ jobs: [JobInsert], on connection: Connection) async throws -> [Int64] {
        try await QueueDriver.insert(jobs, notifying: notifications.admit(jobs.map(\.queue)), on: connection)
    }

    /// Inserts one job in a transaction of its own.
    @discardableResult
    public func enqueue(_ job: JobInsert) async throws -> EnqueueResult {
        try await pool.withTransaction { try await enqueue(job, on: $0) }
    }

    // MARK: claim and finish

    /// Claims up to `limit` runnable jobs of `queue` for `worker`, in priority, time and id order,
    /// skipping rows other workers hold. Nothing is claimed from a paused queue.
    public func claim(queue: String, limit: Int, worker: String, lease: Duration) async throws -> [ClaimedJob] {
        try await pool.withConnection {
            try await QueueDriver.claim(queue: queue, limit: limit, worker: worker, lease: lease, on: $0)
        }
    }

    /// Marks `job` completed on `connection`, inside the transaction that holds the job's effects.
    /// Returns false — and the caller must roll back — when this attempt no longer owns the job
    /// (it was rescued and claimed again, or cancelled).
    public func complete(_ job: ClaimedJob, on connection: Connection) async throws -> Bool {
        try await QueueDriver.complete(job, on: connection)
    }

    /// Marks many jobs completed in one statement, each guarded by its attempt.
    @discardableResult
    public func complete(_ jobs: [ClaimedJob]) async throws -> Int {
        try await pool.withConnection { try await QueueDriver.complete(jobs, on: $0) }
    }

    /// Records a failed attempt: retryable after `retryIn`, or discarded when it was the last.
    @discardableResult
    public func fail(_ job: ClaimedJob, message: String, retryIn: Duration) async throws -> Bool {
        try await pool.withConnection { try await QueueDriver.fail(job, message: message, retryIn: retryIn, on: $0) }
    }

    /// Puts a running job back to wait `delay` without counting the attempt.
    @discardableResult
    public func snooze(_ job: ClaimedJob, for delay: Duration) async throws -> Bool {
        try await pool.withConnection { try await QueueDriver.snooze(job, delay: delay, on: $0) }
    }

    /// Returns jobs this process holds to the queue at once (graceful shutdown), uncounted.
    @discardableResult
    public func release(_ jobs: [ClaimedJob]) async throws -> Int {
        try await pool.withConnection { try await QueueDriver.release(jobs, on: $0) }
    }
}
