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
            func update(_ name: String, _ change: (inout Queue) -> Void) {
                var queue = queues[name] ?? Queue(name: name, counts: [:], oldestRunnableAgeSeconds: nil, paused: false)
                change(&queue)
                queues[name] = queue
            }
            for row in try await QueueDriver.liveCounts(on: connection) {
                update(row.queue) { queue in
                    if let state = JobState(rawValue: row.state) { queue.counts[state] = row.count }
                    if let oldest = row.oldest { queue.oldestRunnableAgeSeconds = max(0, oldest) }
                }
            }
            for row in try await QueueDriver.finishedLastHour(on: connection) {
                update(row.queue) { queue in
                    if let state = JobState(rawValue: row.state) { queue.counts[state] = row.count }
                }
            }
            for row in try await QueueDriver.queueSettings(on: connection) {
                update(row.queue) { $0.paused = row.paused }
            }
            let minute = try await QueueDriver.completedLastMinute(on: connection)
            let failures = try await QueueDriver.recentFailures(limit: 10, on: connection)
            return QueueStatistics(
                queues: queues.values.sorted { $0.name < $1.name },
                completedLastMinute: minute,
                recentFailures: failures.map { Failure(kind: $0.kind, count: $0.count, lastMessage: $0.last ?? "") })
        }
    }
}
