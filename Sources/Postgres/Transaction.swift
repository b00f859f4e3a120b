/// Transaction isolation levels.
public enum IsolationLevel: String, Sendable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"
}

extension Connection {
    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    ///
    /// Serialization failures and deadlocks (SQLSTATE 40001, 40P01) roll back and run `body`
    /// again, at most `maxAttempts` times in all; `body` must therefore be safe to repeat.
    @discardableResult
    public nonisolated func withTransaction<T>(
        isolation: IsolationLevel = .readCommitted,
        maxAttempts: Int = 5,
        _ body: (Connection) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            try await simpleQuery("BEGIN ISOLATION LEVEL \(isolation.rawValue)")
            do {
                let value = try await body(self)
                try await simpleQuery("COMMIT")
                return value
            } catch {
                if await inTransaction() { _ = try? await simpleQuery("ROLLBACK") }
                if let pg = error as? PostgresError, pg.isTransient, attempt < maxAttempts {
                    attempt += 1
                    try await Task.sleep(nanoseconds: UInt64(attempt) * 2_000_000)
                    continue
                }
                throw error
            }
        }
    }
}
