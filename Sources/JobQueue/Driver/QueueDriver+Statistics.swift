import Foundation
import Postgres

/// The statements of ``QueueStatistics`` (`bursar status`), each cheap on a table of millions:
/// waiting and running rows through the partial index each live state has, finished rows only
/// over the last minute or hour through the index on `finalized_at`.
extension QueueDriver {
    /// The statement of ``liveCounts(on:)`` (tests look at its plan). One part per partial
    /// index — available (`bursar_jobs_claim`), scheduled and retryable (`bursar_jobs_waiting`),
    /// running (`bursar_jobs_running`) — because no index covers all four states any more
    /// (queue migration 4) and a single `state IN (…)` over all four reads the whole table.
    static let liveCountsSQL = """
        SELECT queue, 'available' AS state, count(*)::bigint AS n,
               extract(epoch FROM now() - min(scheduled_at))::float8 AS oldest
        FROM bursar_jobs WHERE state = 'available' GROUP BY queue
        UNION ALL
        SELECT queue, state, count(*)::bigint, NULL::float8
        FROM bursar_jobs WHERE state IN ('scheduled', 'retryable') GROUP BY queue, state
        UNION ALL
        SELECT queue, 'running', count(*)::bigint, NULL::float8
        FROM bursar_jobs WHERE state = 'running' GROUP BY queue
        """

    /// Jobs per queue and live state, with the age of the oldest available one.
    static func liveCounts(on connection: Connection) async throws -> [(
        queue: String, state: String, count: Int, oldest: Double?
    )] {
        try await connection.query(liveCountsSQL).map {
            (try $0.string("queue"), try $0.string("state"), try $0.int("n"), try $0.double("oldest"))
        }
    }

    /// Jobs per queue and state that ended within the last hour.
    static func finishedLastHour(on connection: Connection) async throws -> [(queue: String, state: String, count: Int)]
    {
        try await connection.query(
            """
            SELECT queue, state, count(*)::bigint AS n FROM bursar_jobs
            WHERE finalized_at > now() - interval '1 hour' GROUP BY queue, state
            """
        ).map { (try $0.string("queue"), try $0.string("state"), try $0.int("n")) }
    }

    /// Every queue with settings, and whether it is paused.
    static func queueSettings(on connection: Connection) async throws -> [(queue: String, paused: Bool)] {
        try await connection.query("SELECT name, paused FROM bursar_queues").map {
            (try $0.string("name"), try $0.bool("paused"))
        }
    }

    /// Jobs completed within the last minute.
    static func completedLastMinute(on connection: Connection) async throws -> Int {
        try await connection.query(
            """
            SELECT count(*)::bigint AS n FROM bursar_jobs
            WHERE finalized_at > now() - interval '1 minute' AND state = 'completed'
            """
        ).first!.int("n")
    }

    /// Kinds that failed within the last day (retryable or discarded), most failures first,
    /// with the latest error message of each.
    static func recentFailures(limit: Int, on connection: Connection) async throws -> [(
        kind: String, count: Int, last: String?
    )] {
        try await connection.query(
            """
            SELECT kind, count(*)::bigint AS n,
                   (array_agg(errors -> -1 ->> 'message' ORDER BY id DESC))[1] AS last
            FROM bursar_jobs
            WHERE state IN ('retryable', 'discarded') AND scheduled_at > now() - interval '1 day'
            GROUP BY kind ORDER BY n DESC LIMIT $1
            """, limit
        ).map { (try $0.string("kind"), try $0.int("n"), try $0.optionalString("last")) }
    }
}
