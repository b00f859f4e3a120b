import Postgres

/// Makes scheduled and retryable jobs available once they fall due, and wakes their queues.
public struct Scheduler: MaintenanceService {
    public let name = "scheduler"
    let pool: ConnectionPool
    public var interval: Duration
    public var batchLimit: Int

    public init(pool: ConnectionPool, interval: Duration = .seconds(1), batchLimit: Int = 10_000) {
        self.pool = pool
        self.interval = interval
        self.batchLimit = batchLimit
    }

    public func runOnce() async throws -> Int {
        try await pool.withConnection { connection in
            let queues = try await QueueDriver.schedule(limit: batchLimit, on: connection)
            try await QueueDriver.notify(queues: queues, on: connection)
            return queues.count
        }
    }
}
