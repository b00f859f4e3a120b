import Postgres

extension JobQueueClient {
    /// Whether the queue `name` is known to the database: it has settings (it was paused or
    /// resumed) or jobs. Lets the CLI refuse a misspelt queue instead of creating it.
    public func queueIsKnown(_ name: String) async throws -> Bool {
        try await pool.withConnection { connection in
            try await connection.query("""
                SELECT EXISTS (SELECT 1 FROM bursar_queues WHERE name = $1)
                    OR EXISTS (SELECT 1 FROM bursar_jobs WHERE queue = $1) AS known
                """, name).first?.bool("known") ?? false
        }
    }
}
