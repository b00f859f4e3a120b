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
        try await connection.query("""
            INSERT INTO bursar_jobs (kind, queue) SELECT 'x', 'plan' FROM generate_series(1, 2000)
            """)
        try await connection.simpleQuery("ANALYZE bursar_jobs")
        let claimed = try await QueueDriver.claim(queue: "plan", limit: 500, worker: "w", lease: .seconds(60), on: connection)
        #expect(claimed.count == 500)
        let keys = try #require(QueueDriver.attemptKeys(claimed))
        let plan = try await connection.query("EXPLAIN (ANALYZE, FORMAT JSON) " + QueueDriver.completeManySQL,
                                              BigintArray(claimed.map(\.id)), keys).map { try $0.string("QUERY PLAN") }.joined()
        #expect(!plan.contains("Join Filter"), "\(plan)")
        #expect(!plan.contains("Function Scan"), "\(plan)")
        let completed = try await connection.query("SELECT count(*)::int AS n FROM bursar_jobs WHERE state = 'completed'").first!.int("n")
        #expect(completed == 500, "EXPLAIN ANALYZE ran the completion")
        // An attempt that no longer owns its job is not completed.
        let stale = try await QueueDriver.claim(queue: "plan", limit: 2, worker: "w", lease: .seconds(60), on: connection)
        let wrongAttempt = stale.map { ClaimedJob(id: $0.id, kind: $0.kind, queue: $0.queue, args: $0.args, attempt: $0.attempt + 1,
                                                  maxAttempts: $0.maxAttempts) }
        #expect(try await QueueDriver.complete(wrongAttempt, on: connection) == 0)
        #expect(try await QueueDriver.complete(stale, on: connection) == 2)
        await connection.close()
    }
}
