import Postgres

/// Deletes finished jobs past their retention, a batch at a time.
public struct Cleaner: MaintenanceService {
    public let name = "cleaner"
    let pool: ConnectionPool
    public var interval: Duration
    public var batchLimit: Int
    public var completedRetention: Duration
    public var discardedRetention: Duration

    public init(
        pool: ConnectionPool, interval: Duration = .seconds(30), batchLimit: Int = 10_000,
        completedRetention: Duration = .seconds(24 * 3600), discardedRetention: Duration = .seconds(7 * 24 * 3600)
    ) {
        self.pool = pool
        self.interval = interval
        self.batchLimit = batchLimit
        self.completedRetention = completedRetention
        self.discardedRetention = discardedRetention
    }

    public func runOnce() async throws -> Int {
        try await pool.withConnection { connection in
            try await QueueDriver.clean(
                completedRetention: completedRetention, discardedRetention: discardedRetention,
                limit: batchLimit, on: connection)
        }
    }
}
