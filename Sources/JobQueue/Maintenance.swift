import Foundation
import Logging
import Postgres

/// The queue's maintenance services, run by one elected process at a time: the rescuer
/// (jobs whose lease lapsed — their process died — run again), the scheduler (due scheduled
/// and retryable jobs become available) and the cleaner (old finished jobs are deleted).
public struct Maintenance: Sendable {
    public struct Configuration: Sendable {
        public var interval: Double = 1
        /// How long the leader's lease lasts; another process takes over within this time.
        public var leaderLease: Double = 5
        public var completedRetention: Double = 24 * 3600
        public var discardedRetention: Double = 7 * 24 * 3600
        public var cleanBatch: Int = 10_000
        public init() {}
    }

    public let client: JobQueueClient
    public let holder: String
    public let configuration: Configuration
    public let logger: Logger

    public init(client: JobQueueClient, holder: String, configuration: Configuration = .init(), logger: Logger) {
        self.client = client
        self.holder = holder
        self.configuration = configuration
        self.logger = logger
    }

    /// Tries to hold or take the `maintenance` role for another lease period. True when held.
    public func elect() async throws -> Bool {
        try await client.pool.withConnection { connection in
            try await connection.query("""
                INSERT INTO bursar_leaders (role, holder, expires_at) VALUES ('maintenance', $1, now() + make_interval(secs => $2))
                ON CONFLICT (role) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE bursar_leaders.expires_at < now() OR bursar_leaders.holder = excluded.holder
                RETURNING holder
                """, holder, String(configuration.leaderLease)).count == 1
        }
    }

    /// Gives the role up at once (graceful shutdown), so another process takes over without waiting.
    public func resign() async {
        _ = try? await client.pool.withConnection { connection in
            try await connection.query("DELETE FROM bursar_leaders WHERE role = 'maintenance' AND holder = $1", holder)
        }
    }

    /// One pass of every service. Returns what was done.
    @discardableResult
    public func runOnce() async throws -> (rescued: Int, scheduled: Int, cleaned: Int) {
        try await client.pool.withConnection { connection in
            let rescued = try await connection.query("""
                UPDATE bursar_jobs SET
                    state = CASE WHEN attempt >= max_attempts THEN 'discarded' ELSE 'available' END,
                    finalized_at = CASE WHEN attempt >= max_attempts THEN now() END,
                    scheduled_at = now(), lease_expires_at = NULL,
                    errors = errors || jsonb_build_array(jsonb_build_object('attempt', attempt, 'at', now(),
                        'message', 'lease expired: the worker ' || coalesce(attempted_by, '?') || ' stopped renewing it'))
                WHERE state = 'running' AND lease_expires_at < now()
                RETURNING queue
                """)
            let scheduled = try await connection.query("""
                UPDATE bursar_jobs SET state = 'available'
                WHERE state IN ('scheduled', 'retryable') AND scheduled_at <= now()
                RETURNING queue
                """)
            let woken = Set(try (rescued.map { try $0.string("queue") }) + (scheduled.map { try $0.string("queue") }))
            if !woken.isEmpty {
                try await connection.query("SELECT pg_notify($1, q) FROM unnest($2::text[]) AS q", JobQueueClient.channel, TextArray(Array(woken)))
            }
            let cleaned = try await connection.query("""
                DELETE FROM bursar_jobs WHERE id IN (
                    SELECT id FROM bursar_jobs
                    WHERE (state IN ('completed', 'cancelled') AND finalized_at < now() - make_interval(secs => $1))
                       OR (state = 'discarded' AND finalized_at < now() - make_interval(secs => $2))
                    LIMIT $3)
                """, String(configuration.completedRetention), String(configuration.discardedRetention), configuration.cleanBatch)
            if rescued.count > 0 { logger.warning("rescued jobs whose lease expired", metadata: ["count": "\(rescued.count)"]) }
            return (rescued.count, scheduled.count, cleaned.affectedRows)
        }
    }

    /// Runs until cancelled: holds or seeks the role every interval and, while leader, runs the services.
    public func run() async {
        var leading = false
        while !Task.isCancelled {
            do {
                let now = try await elect()
                if now != leading { logger.info(now ? "became maintenance leader" : "lost maintenance leadership", metadata: ["holder": "\(holder)"]) }
                leading = now
                if leading { try await runOnce() }
            } catch {
                leading = false
                logger.warning("maintenance pass failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(nanoseconds: UInt64(configuration.interval * 1e9))
        }
        if leading { await resign() }
    }
}
