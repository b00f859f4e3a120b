import Postgres

/// Runs again the jobs whose lease lapsed (their process died or stopped renewing): retryable
/// after a backoff, discarded after the last attempt, or cancelled when an operator asked.
///
/// Only a lease lapsed for longer than ``grace``: a run that lost its lease stops itself before
/// the lease ends (``Supervisor/Configuration/leaseMargin``), and the grace covers a handler
/// slow to stop and clocks that differ, so the job is never run twice at once.
public struct Rescuer: MaintenanceService {
    public let name = "rescuer"
    let pool: ConnectionPool
    public var interval: Duration
    public var batchLimit: Int
    public var grace: Duration

    public init(
        pool: ConnectionPool, interval: Duration = .seconds(1), batchLimit: Int = 1000,
        grace: Duration = .seconds(10)
    ) {
        self.pool = pool
        self.interval = interval
        self.batchLimit = batchLimit
        self.grace = grace
    }

    public func runOnce() async throws -> Int {
        try await pool.withConnection { connection in
            let rescued = try await QueueDriver.rescue(limit: batchLimit, grace: grace, on: connection)
            try await QueueDriver.notify(queues: rescued.queues, on: connection)
            return rescued.count
        }
    }
}
