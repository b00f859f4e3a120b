import Postgres

/// The advisory lock a migrator holds while it migrates, so that several processes starting at
/// once apply each version once.
///
/// It is waited for with `pg_try_advisory_lock` between pauses, not in `pg_advisory_lock`: a
/// session blocked in a statement holds a snapshot, and `CREATE INDEX CONCURRENTLY` in the session
/// holding the lock waits for every such snapshot — a deadlock when several processes migrate at
/// once. Used by the queue's migrations (``QueueSchema``) and the application's (`Migrator`).
public enum MigrationLock {
    /// Runs `body` holding the advisory lock `key` on `connection`, released after it returns or
    /// throws.
    public static func holding<T>(
        _ key: Int64, on connection: Connection,
        _ body: () async throws -> T
    ) async throws -> T {
        while try await !connection.query("SELECT pg_try_advisory_lock($1) AS l", key).first!.bool("l") {
            try await Task.sleep(for: .milliseconds(100))
        }
        do {
            let result = try await body()
            try await connection.query("SELECT pg_advisory_unlock($1)", key)
            return result
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock($1)", key)
            throw error
        }
    }
}
