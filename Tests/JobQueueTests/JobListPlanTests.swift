import Foundation
import Postgres
import Testing

@testable import JobQueue

/// Issue 22, item 8: `jobs list --state S` for a rare state on a table of millions of finished
/// jobs. The filter was `($1 IS NULL OR state = $1)`: in a generic plan (a prepared statement
/// from its sixth run on a pooled connection) the planner could not use the state, walked the
/// primary key backwards from the newest row and, the rare rows being old, read them all.
@Suite(.enabled(if: QueueTestDatabase.available, "BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh"))
struct JobListPlanTests {
    /// Every plan node's type and index, depth first.
    private func nodes(_ plan: Any) -> [(type: String, index: String?)] {
        guard let node = plan as? [String: Any] else { return [] }
        var found = [(type: node["Node Type"] as? String ?? "", index: node["Index Name"] as? String)]
        for child in node["Plans"] as? [Any] ?? [] { found += nodes(child) }
        return found
    }

    @Test func aRareStateIsReadByAnIndexNotByWalkingTheKey() async throws {
        let url = try await QueueTestDatabase.create()
        let connection = try await Connection.connect(url)
        // The rare rows first (the oldest ids), then a million finished ones after them.
        try await connection.simpleQuery(
            """
            INSERT INTO bursar_jobs (kind, state, attempt, finalized_at)
            SELECT 'x', 'discarded', 1, now() - interval '3 days' FROM generate_series(1, 150);
            INSERT INTO bursar_jobs (kind, state, attempt, finalized_at)
            SELECT 'x', 'completed', 1, now() - interval '1 hour' FROM generate_series(1, 1000000);
            ANALYZE bursar_jobs
            """)
        let filter = JobFilter(state: .discarded, limit: 100)
        let (sql, parameters) = QueueDriver.jobsQuery(filter)
        // As the server runs it the first time (a custom plan, parameters known) and as a long-lived
        // process's pooled connection runs it from the sixth time on (a generic plan).
        try await connection.simpleQuery("PREPARE jobs_list AS " + sql)
        let values = parameters.map { $0.postgresText.map { "'\($0)'" } ?? "NULL" }.joined(separator: ", ")
        for mode in ["force_custom_plan", "force_generic_plan"] {
            try await connection.simpleQuery("SET plan_cache_mode = \(mode)")
            let explain = "EXPLAIN (FORMAT JSON) EXECUTE jobs_list" + (values.isEmpty ? "" : "(\(values))")
            let explained = try await connection.simpleQuery(explain).first!.string("QUERY PLAN")
            let document = try JSONSerialization.jsonObject(with: Data(explained.utf8)) as! [[String: Any]]
            let plan = nodes(document[0]["Plan"]!)
            #expect(!plan.contains { $0.type == "Seq Scan" }, "\(mode): \(plan)")
            #expect(!plan.contains { $0.index == "bursar_jobs_pkey" }, "\(mode) walks the primary key: \(plan)")
            #expect(plan.contains { $0.index != nil }, "\(mode) reads by an index: \(plan)")
        }
        try await connection.simpleQuery("RESET plan_cache_mode")

        // The rows themselves: newest first, then the next page below the last id shown.
        let first = try await QueueDriver.jobs(filter, on: connection)
        #expect(first.count == 100)
        #expect(first.allSatisfy { $0.state == .discarded })
        #expect(first.map(\.id) == first.map(\.id).sorted(by: >), "newest first")
        var next = filter
        next.before = first.last!.id
        let second = try await QueueDriver.jobs(next, on: connection)
        #expect(second.count == 50, "the rest of the 150")
        #expect(second.first!.id < first.last!.id)
        #expect(Set(first.map(\.id) + second.map(\.id)).count == 150, "no job on two pages")
        // A common state still stops early at the newest rows.
        let completed = try await QueueDriver.jobs(JobFilter(state: .completed, kind: "x", limit: 5), on: connection)
        #expect(completed.count == 5 && completed.allSatisfy { $0.state == .completed })
        let all = try await QueueDriver.jobs(JobFilter(limit: 3), on: connection)
        #expect(all.map(\.id) == all.map(\.id).sorted(by: >) && all.count == 3)
        await connection.close()
    }
}
