import Foundation
import Postgres
import Testing

@testable import JobQueue

/// Issue 12, "plans under real statistics": a queue in service is analysed while it holds
/// history and next to no runnable jobs; then a burst arrives. The statistics still say the queue
/// is empty, and with the live-jobs index of queue migration 3 — `(queue, state, scheduled_at)`,
/// which a claim's `queue = $1 AND state = 'available' AND scheduled_at <= now()` matches on
/// every column — the planner took that index, fetched every available row of the queue and
/// sorted them for each claim: 69 ms a claim on a backlog of 100,000 (`auto_explain`, measured in
/// `bursar bench queue`), O(backlog) per claim, O(backlog²) to drain it. Without that index,
/// statistics taken while the table was nearly empty still led it to a bitmap scan of the claim
/// index and a sort (35–55 ms a claim): hence the claim function with settings of its own
/// (queue migration 5), whose plan these tests look at with the planner misled on purpose.
@Suite(.enabled(if: QueueTestDatabase.available, "BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh"))
struct ClaimPlanTests {
    /// A database analysed with history only, then given a backlog the statistics never saw.
    private func burstAfterAnalyse() async throws -> Connection {
        let connection = try await Connection.connect(try await QueueTestDatabase.create())
        try await connection.query(
            """
            INSERT INTO bursar_jobs (kind, queue, state, attempt, finalized_at)
            SELECT 'x', 'history', 'completed', 1, now() - g * interval '1 second' FROM generate_series(1, 20000) AS g
            """)
        try await connection.query(
            "INSERT INTO bursar_jobs (kind, queue, state) SELECT 'x', 'later', 'scheduled' FROM generate_series(1, 50)")
        // The statistics must stay those of the history: autovacuum would analyse the burst.
        try await connection.simpleQuery("ALTER TABLE bursar_jobs SET (autovacuum_enabled = off)")
        try await connection.simpleQuery("VACUUM (ANALYZE) bursar_jobs")
        try await connection.query(
            "INSERT INTO bursar_jobs (kind, queue) SELECT 'x', 'burst' FROM generate_series(1, 20000)")
        return connection
    }

    private func plan(_ sql: String, on connection: Connection) async throws -> String {
        try await connection.simpleQuery("EXPLAIN (FORMAT JSON) " + sql).map { try $0.string("QUERY PLAN") }.joined()
    }

    /// Prepares the body of the installed `bursar_claim` as `claim`, optionally under the
    /// function's own settings (its `SET` clauses), so that tests can look at its plan.
    private func prepareClaimBody(withItsSettings: Bool, on connection: Connection) async throws {
        let function = try await connection.query(
            """
            SELECT prosrc, array_to_string(proconfig, chr(10)) AS settings FROM pg_proc
            WHERE proname = 'bursar_claim' AND pronamespace = 'public'::regnamespace
            """
        ).first!
        try await connection.simpleQuery(
            "PREPARE claim(text, bigint, text, float8) AS " + (try function.string("prosrc")))
        guard withItsSettings else { return }
        for setting in try function.string("settings").split(separator: "\n") {
            let parts = setting.split(separator: "=", maxSplits: 1)
            try await connection.simpleQuery("SET \(parts[0]) = \(parts[1])")
        }
    }

    /// The ids of the `count` oldest jobs of the burst, the ones a claim must take first.
    private func oldestBurstIDs(_ count: Int64, on connection: Connection) async throws -> [Int64] {
        let oldest = try await connection.query("SELECT min(id) AS id FROM bursar_jobs WHERE queue = 'burst'").first!
            .int64("id")
        return Array(oldest..<(oldest + count))
    }

    /// Estimates that make the ordered walk look dearer than fetching every row and sorting
    /// them, as the bench's statistics did when taken on an empty table, and the updates by key
    /// dearer than hashing the table, as a generic plan's guess of a tenth of the table for
    /// `LIMIT $2` does: here, index scans and nested loops priced out for the session.
    private func misleadThePlanner(on connection: Connection) async throws {
        try await connection.simpleQuery("SET enable_indexscan = off")
        try await connection.simpleQuery("SET enable_nestloop = off")
    }

    @Test func aClaimReadsAFewPagesNotTheBacklogWhateverThePlannerEstimates() async throws {
        let connection = try await burstAfterAnalyse()
        try await misleadThePlanner(on: connection)
        // Page visits counted by this transaction (the counter also holds earlier statements'
        // until the session reports them, hence the difference).
        func visited() async throws -> Int {
            try await connection.query("SELECT pg_stat_get_xact_blocks_fetched('bursar_jobs'::regclass)::bigint AS n")
                .first!.int("n")
        }
        try await connection.simpleQuery("BEGIN")
        let before = try await visited()
        let claimed = try await QueueDriver.claim(
            queue: "burst", limit: 10, worker: "w", lease: .seconds(30), on: connection)
        let pages = try await visited() - before
        try await connection.simpleQuery("COMMIT")
        // 10 rows read and written: a few dozen page visits. The backlog is over 200 pages.
        #expect(pages < 100, "a claim of 10 visited \(pages) pages of bursar_jobs")
        #expect(claimed.map(\.id).sorted() == (try await oldestBurstIDs(10, on: connection)))
        await connection.close()
    }

    @Test func theClaimWalksTheClaimIndexInOrderUnderCustomAndGenericPlans() async throws {
        let connection = try await burstAfterAnalyse()
        try await misleadThePlanner(on: connection)
        try await prepareClaimBody(withItsSettings: true, on: connection)
        for mode in ["force_custom_plan", "force_generic_plan"] {
            try await connection.simpleQuery("SET plan_cache_mode = \(mode)")
            let plan = try await plan("EXECUTE claim('burst', 200, 'w', 30)", on: connection)
            #expect(plan.contains("\"Node Type\": \"Index Scan\""), "\(mode): \(plan)")
            #expect(plan.contains("\"Index Name\": \"bursar_jobs_claim\""), "\(mode): \(plan)")
            #expect(!plan.contains("\"Node Type\": \"Sort\""), "\(mode): \(plan)")
            #expect(!plan.contains("Bitmap"), "\(mode): \(plan)")
            // The claimed rows are updated through their keys one by one: a generic plan
            // guesses a tenth of the table for `LIMIT $2` and would hash the whole table.
            #expect(plan.contains("\"Node Type\": \"Nested Loop\""), "\(mode): \(plan)")
            #expect(!plan.contains("Hash Join") && !plan.contains("Merge Join"), "\(mode): \(plan)")
        }
        // And it claims the oldest jobs first, 200 of them.
        let claimed = try await QueueDriver.claim(
            queue: "burst", limit: 200, worker: "w", lease: .seconds(30), on: connection)
        #expect(claimed.map(\.id).sorted() == (try await oldestBurstIDs(200, on: connection)))
        await connection.close()
    }

    /// No other index of the table can serve a claim: with `bursar_jobs_claim` gone (in a
    /// transaction rolled back), the claim finds its rows with no index but the keys'. Before
    /// queue migration 4 it took `bursar_jobs_live`, with a sort of every available row.
    @Test func noOtherIndexCanServeAClaim() async throws {
        let connection = try await burstAfterAnalyse()
        try await connection.simpleQuery("BEGIN")
        try await connection.simpleQuery("DROP INDEX bursar_jobs_claim")
        try await prepareClaimBody(withItsSettings: false, on: connection)
        for mode in ["force_custom_plan", "force_generic_plan"] {
            try await connection.simpleQuery("SET LOCAL plan_cache_mode = \(mode)")
            let plan = try await plan("EXECUTE claim('burst', 200, 'w', 30)", on: connection)
            let indexes = Set(plan.matches(of: /"Index Name": "([a-z0-9_]+)"/).map { String($0.1) })
            #expect(indexes.isSubset(of: ["bursar_jobs_pkey", "bursar_queues_pkey"]), "\(mode): \(plan)")
        }
        try await connection.simpleQuery("ROLLBACK")
        await connection.close()
    }

    /// `bursar status` counts live jobs per queue and state without reading the finished rows,
    /// now that no single index holds every live state (each part has its own partial index).
    @Test func liveCountsUseThePartialIndexesAndCountEveryState() async throws {
        let connection = try await burstAfterAnalyse()
        _ = try await QueueDriver.claim(queue: "burst", limit: 7, worker: "w", lease: .seconds(30), on: connection)
        try await connection.query(
            "UPDATE bursar_jobs SET state = 'retryable' WHERE id IN (SELECT id FROM bursar_jobs WHERE queue = 'later' "
                + "LIMIT 3)"
        )
        try await connection.simpleQuery("ANALYZE bursar_jobs")
        // Half of this small table is available jobs, so a scan of it is the cheaper plan here;
        // in service the finished rows are millions. What is pinned is that every part has an
        // index to take: with sequential scans priced out none is left. A single `state IN` over
        // the four states has no such index since queue migration 4 and still scans.
        try await connection.simpleQuery("SET enable_seqscan = off")
        let plan = try await plan(QueueDriver.liveCountsSQL, on: connection)
        try await connection.simpleQuery("RESET enable_seqscan")
        #expect(!plan.contains("\"Node Type\": \"Seq Scan\""), "\(plan)")
        let counts = try await QueueDriver.liveCounts(on: connection)
        func count(_ queue: String, _ state: String) -> Int? {
            counts.first { $0.queue == queue && $0.state == state }?.count
        }
        #expect(count("burst", "available") == 19_993)
        #expect(count("burst", "running") == 7)
        #expect(count("later", "scheduled") == 47)
        #expect(count("later", "retryable") == 3)
        #expect(counts.count == 4)
        let oldest = counts.first { $0.queue == "burst" && $0.state == "available" }?.oldest
        #expect(oldest.map { $0 >= 0 } == true)
        #expect(counts.filter { $0.state != "available" }.allSatisfy { $0.oldest == nil })
        await connection.close()
    }
}
