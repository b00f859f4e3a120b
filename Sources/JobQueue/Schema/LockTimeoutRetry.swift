import Postgres

/// Schema changes that wait for a table lock without stalling the workers.
///
/// A statement that needs a strong lock (`DROP INDEX`, `ALTER TABLE`) waits behind every open
/// transaction on the table, and every later claim and lease renewal queues behind *it*: one
/// long transaction of an old worker stalls every process. Under a `lock_timeout` the change
/// gives up its place after a short wait, rolls back, lets the queued statements through, and
/// tries again after a pause (River runs its migrations the same way) — so nothing waits behind
/// a migration for longer than ``lockTimeout``.
public enum LockTimeoutRetry {
    /// The longest a migration's statement waits for a lock before it steps back.
    public static let lockTimeout: Duration = .seconds(2)
    /// How long a migration keeps trying before it gives up with a message.
    public static let patience: Duration = .seconds(600)

    /// Runs `body` in a transaction whose lock waits last at most `lockTimeout`, again after a
    /// growing pause (a quarter second up to five) each time a lock wait ran out.
    public static func transaction<T>(
        on connection: Connection, what: String, lockTimeout: Duration = lockTimeout,
        _ body: (Connection) async throws -> T
    ) async throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now + patience
        var pause: Duration = .milliseconds(250)
        while true {
            do {
                return try await connection.withTransaction { conn in
                    // An integer computed here, not user data.
                    let milliseconds = max(1, Int(lockTimeout / .milliseconds(1)))
                    try await conn.simpleQuery("SET LOCAL lock_timeout = \(milliseconds)")
                    return try await body(conn)
                }
            } catch let error as PostgresError where error.sqlState == "55P03" {
                guard clock.now + pause < deadline else {
                    throw PostgresError(
                        kind: error.kind, sqlState: error.sqlState,
                        message: "\(what): the tables it changes stayed locked by other sessions "
                            + "for \(patience); "
                            + "stop long transactions (see pg_stat_activity) and run it again",
                        detail: error.message)
                }
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
    }
}
