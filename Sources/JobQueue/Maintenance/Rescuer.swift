import Postgres

/// Runs again the jobs whose lease lapsed (their process died or stopped renewing): available
/// again, discarded after the last attempt, or cancelled when an operator asked.
public struct Rescuer: MaintenanceService {
    public let name = "rescuer"
    let pool: ConnectionPool
    public var interval: Duration
    public var batchLimit: Int

    public init(pool: ConnectionPool, interval: Duration = .seconds(1), batchLimit: Int = 1000) {
        self.pool = pool
        self.interval = interval
        self.batchLimit = batchLimit
    }

    public func runOnce() async throws -> Int {
        try await pool.withConnection { connection in
            let rescued = try await QueueDriver.rescue(limit: batchLimit, on: connection)
            try await QueueDriver.notify(queues: rescued.queues, on: connection)
            return rescued.count
        }
    }
}
