import Foundation
import Postgres
import Testing

@testable import JobQueue

/// Issue 12, "where the time goes": statements on a batch of attempts stay linear under real
/// statistics. Analysed while no job runs, `state = 'running'` looks rare; a join against
/// `unnest(...)` then ran as a nested loop that rescanned the list once per row (500 × 500 rows
/// through the join filter, 107 ms a batch: the completer's whole time in the benchmark).
@Suite(.enabled(if: QueueTestDatabase.available, "BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh"))
struct BatchPlanTests {
    @Test func completingABatchLooksAtEachRowOnce() async throws {
        let connection = try await Connection.connect(try await QueueTestDatabase.create())
        try await connection.query(
            """
            INSERT INTO bursar_jobs (kind, queue) SELECT 'x', 'plan' FROM generate_series(1, 2000)
            """)
        try await connection.simpleQuery("ANALYZE bursar_jobs")
        let claimed = try await QueueDriver.claim(
            queue: "plan", limit: 500, worker: "w", lease: .seconds(60), on: connection)
        #expect(claimed.count == 500)
        let keys = QueueDriver.attemptKeys(claimed)
        let plan = try await connection.query(
            "EXPLAIN (ANALYZE, FORMAT JSON) " + QueueDriver.completeManySQL,
            BigintArray(claimed.map(\.id)), keys
        ).map { try $0.string("QUERY PLAN") }.joined()
        #expect(!plan.contains("Join Filter"), "\(plan)")
        #expect(!plan.contains("Function Scan"), "\(plan)")
        let completed = try await connection.query(
            "SELECT count(*)::int AS n FROM bursar_jobs WHERE state = 'completed'"
        ).first!.int("n")
        #expect(completed == 500, "EXPLAIN ANALYZE ran the completion")
        // The generic plan (what a cached statement turns into after five runs) stays on the
        // index, with the key tested as a filter.
        let more = try await QueueDriver.claim(
            queue: "plan", limit: 500, worker: "w", lease: .seconds(60), on: connection)
        try await connection.simpleQuery("PREPARE complete_many(bigint[], numeric[]) AS " + QueueDriver.completeManySQL)
        try await connection.simpleQuery("SET plan_cache_mode = force_generic_plan")
        let ids = BigintArray(more.map(\.id)).postgresText!
        let moreKeys = QueueDriver.attemptKeys(more).postgresText!
        let generic = try await connection.simpleQuery(
            "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE complete_many('\(ids)', '\(moreKeys)')"
        )
        .map { try $0.string("QUERY PLAN") }.joined()
        try await connection.simpleQuery("RESET plan_cache_mode")
        #expect(
            !generic.contains("Join Filter") && !generic.contains("Function Scan") && !generic.contains("Seq Scan"),
            "\(generic)")
        let completedNow = try await connection.query(
            "SELECT count(*)::int AS n FROM bursar_jobs WHERE state = 'completed'"
        ).first!.int("n")
        #expect(completedNow == 1000)
        // An attempt that no longer owns its job is not completed.
        let stale = try await QueueDriver.claim(
            queue: "plan", limit: 2, worker: "w", lease: .seconds(60), on: connection)
        let wrongAttempt = stale.map {
            ClaimedJob(
                id: $0.id, kind: $0.kind, queue: $0.queue, args: $0.args, attempt: $0.attempt + 1,
                maxAttempts: $0.maxAttempts)
        }
        #expect(try await QueueDriver.complete(wrongAttempt, on: connection) == 0)
        #expect(try await QueueDriver.complete(stale, on: connection) == 2)
        await connection.close()
    }

    /// An operator's cancel of a running job stands even when the handler fails (or snoozes)
    /// before its worker sees the request: the job ends cancelled, not retryable.
    @Test func aCancelRequestOutlivesAFailureOrASnooze() async throws {
        let connection = try await Connection.connect(try await QueueTestDatabase.create())
        try await connection.query("INSERT INTO bursar_jobs (kind, queue) SELECT 'x', 'c' FROM generate_series(1, 2)")
        let running = try await QueueDriver.claim(
            queue: "c", limit: 2, worker: "w", lease: .seconds(60), on: connection)
        #expect(running.count == 2)
        for job in running { try await QueueDriver.requestCancel(id: job.id, on: connection) }
        #expect(try await QueueDriver.fail(running[0], message: "boom", retryIn: .zero, on: connection))
        #expect(try await QueueDriver.snooze(running[1], delay: .seconds(5), on: connection))
        let states = try await connection.query(
            "SELECT state, finalized_at IS NOT NULL AS ended FROM bursar_jobs ORDER BY id")
        #expect(try states.map { try $0.string("state") } == ["cancelled", "cancelled"])
        #expect(try states.allSatisfy { try $0.bool("ended") })
        await connection.close()
    }
}
