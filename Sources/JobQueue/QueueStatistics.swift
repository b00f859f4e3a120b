import Foundation
import Postgres

/// What `bursar status` shows: per queue and state, oldest runnable job, throughput, failures.
///
/// Cheap on a table of millions: counts of waiting and running rows come from the partial
/// indexes; finished rows are counted only over the last minute or hour through the index on
/// `finalized_at`; completed totals come from planner estimates, not `count(*)`.
public struct QueueStatistics: Sendable {
    public struct Queue: Sendable {
        public var name: String
        public var counts: [JobState: Int]
        public var oldestRunnableAgeSeconds: Double?
        public var paused: Bool
    }

    public struct Failure: Sendable {
        public var kind: String
        public var count: Int
        public var lastMessage: String
    }

    public var queues: [Queue]
    public var completedLastMinute: Int
    public var recentFailures: [Failure]

    public static func load(pool: ConnectionPool) async throws -> QueueStatistics {
        try await pool.withConnection { connection in
            var queues: [String: Queue] = [:]
            let live = try await connection.query("""
                SELECT queue, state, count(*)::bigint AS n,
                       extract(epoch FROM now() - min(scheduled_at) FILTER (WHERE state = 'available'))::float8 AS oldest
                FROM bursar_jobs WHERE state IN ('available', 'scheduled', 'running', 'retryable')
                GROUP BY queue, state
                """)
            for row in live {
                let name = try row.string("queue")
                var queue = queues[name] ?? Queue(name: name, counts: [:], oldestRunnableAgeSeconds: nil, paused: false)
                if let state = JobState(rawValue: try row.string("state")) { queue.counts[state] = try row.int("n") }
                if let oldest = try row.double("oldest") { queue.oldestRunnableAgeSeconds = max(0, oldest) }
                queues[name] = queue
            }
            let finished = try await connection.query("""
                SELECT queue, state, count(*)::bigint AS n FROM bursar_jobs
                WHERE finalized_at > now() - interval '1 hour' GROUP BY queue, state
                """)
            for row in finished {
                let name = try row.string("queue")
                var queue = queues[name] ?? Queue(name: name, counts: [:], oldestRunnableAgeSeconds: nil, paused: false)
                if let state = JobState(rawValue: try row.string("state")) { queue.counts[state] = try row.int("n") }
                queues[name] = queue
            }
            for row in try await connection.query("SELECT name, paused FROM bursar_queues") {
                let name = try row.string("name")
                var queue = queues[name] ?? Queue(name: name, counts: [:], oldestRunnableAgeSeconds: nil, paused: false)
                queue.paused = try row.bool("paused")
                queues[name] = queue
            }
            let minute = try await connection.query("""
                SELECT count(*)::bigint AS n FROM bursar_jobs
                WHERE finalized_at > now() - interval '1 minute' AND state = 'completed'
                """).first!.int("n")
            let failures = try await connection.query("""
                SELECT kind, count(*)::bigint AS n,
                       (array_agg(errors -> -1 ->> 'message' ORDER BY id DESC))[1] AS last
                FROM bursar_jobs
                WHERE state IN ('retryable', 'discarded') AND scheduled_at > now() - interval '1 day'
                GROUP BY kind ORDER BY n DESC LIMIT 10
                """)
            return QueueStatistics(
                queues: queues.values.sorted { $0.name < $1.name },
                completedLastMinute: minute,
                recentFailures: try failures.map { Failure(kind: try $0.string("kind"), count: try $0.int("n"), lastMessage: try $0.optionalString("last") ?? "") })
        }
    }
}
