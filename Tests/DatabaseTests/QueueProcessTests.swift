import Foundation
import JobQueue
import Postgres
import Store
import XCTest

/// Several OS processes on one queue: nothing lost, nothing done twice.
final class QueueProcessTests: XCTestCase {
    private func enqueueRecords(_ database: Database, count: Int) async throws {
        try await database.pool.withConnection { try await BenchFixtures.createEffectsTable(on: $0) }
        for start in stride(from: 0, to: count, by: 5000) {
            let jobs = (start..<min(count, start + 5000)).map {
                JobInsert(kind: "bench.record", queue: "bench", args: "{\"key\": \"k\($0)\"}")
            }
            try await database.pool.withTransaction { try await database.queue.enqueue(jobs, on: $0) }
        }
    }

    private func effects(_ database: Database) async throws -> (rows: Int, distinct: Int, workers: Int) {
        let row = try await database.pool.withConnection {
            try await $0.query(
                """
                SELECT count(*)::int AS n, count(DISTINCT key)::int AS d, count(DISTINCT worker)::int AS w
                FROM bench_effects
                """
            ).first!
        }
        return (try row.int("n"), try row.int("d"), try row.int("w"))
    }

    private func jobsNotCompleted(_ database: Database) async throws -> Int {
        try await database.pool.withConnection {
            try await $0.query(
                "SELECT count(*)::int AS n FROM bursar_jobs WHERE queue = 'bench' AND state <> 'completed'"
            ).first!.int("n")
        }
    }

    /// 3 OS processes × 16 workers drain 30,000 jobs: every job completed exactly once.
    func testThreeProcessesDrainEveryJobExactlyOnce() async throws {
        let database = try await TestDatabase.migrated()
        try await enqueueRecords(database, count: 30_000)
        let processes = try (0..<3).map { _ in
            try TestDatabase.spawn(["bench", "worker", "--drain", "--concurrency", "16"], database: database)
        }
        for p in processes {
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0)
        }
        let result = try await effects(database)
        XCTAssertEqual(result.rows, 30_000)
        XCTAssertEqual(result.distinct, 30_000)
        XCTAssertEqual(result.workers, 3, "all three processes took part")
        let left = try await jobsNotCompleted(database)
        XCTAssertEqual(left, 0)
        await database.close()
    }

    /// `kill -9` of one worker process mid-run: its jobs are rescued and completed by the others
    /// within 30 s; none lost, none done twice.
    func testKilledWorkerProcessJobsAreRescued() async throws {
        let database = try await TestDatabase.migrated()
        try await enqueueRecords(database, count: 6_000)
        let victim = try TestDatabase.spawn(
            ["bench", "worker", "--concurrency", "16", "--lease", "3"], database: database)
        let survivors = try (0..<2).map { _ in
            try TestDatabase.spawn(["bench", "worker", "--concurrency", "16", "--lease", "3"], database: database)
        }
        let started = try await TestDatabase.eventually(20) { try await self.effects(database).rows > 500 }
        XCTAssertTrue(started)
        kill(victim.processIdentifier, SIGKILL)
        let killedAt = Date()
        victim.waitUntilExit()
        let finished = try await TestDatabase.eventually(60, every: 0.25) {
            try await self.jobsNotCompleted(database) == 0
        }
        XCTAssertTrue(finished)
        XCTAssertLessThan(Date().timeIntervalSince(killedAt), 30, "rescued and completed within 30 s of the kill")
        let result = try await effects(database)
        XCTAssertEqual(result.rows, 6_000)
        XCTAssertEqual(result.distinct, 6_000)
        for p in survivors {
            p.terminate()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, "SIGTERM drains and exits 0")
        }
        await database.close()
    }

    /// PostgreSQL restarted mid-run: workers reconnect and finish; nothing lost.
    func testWorkersSurviveAServerRestart() async throws {
        try TestDatabase.requireServerControl()
        let database = try await TestDatabase.migrated()
        try await enqueueRecords(database, count: 6_000)
        let workers = try (0..<2).map { _ in
            try TestDatabase.spawn(["bench", "worker", "--concurrency", "8", "--lease", "3"], database: database)
        }
        let started = try await TestDatabase.eventually(20) { try await self.effects(database).rows > 300 }
        XCTAssertTrue(started)
        try TestDatabase.restartServer()
        let fresh = Database.connect(conninfo: database.conninfo, home: TestDatabase.repository)
        let finished = try await TestDatabase.eventually(90, every: 0.5) { try await self.jobsNotCompleted(fresh) == 0 }
        XCTAssertTrue(finished)
        let result = try await effects(fresh)
        XCTAssertEqual(result.rows, 6_000)
        XCTAssertEqual(result.distinct, 6_000)
        for p in workers {
            p.terminate()
            p.waitUntilExit()
        }
        await fresh.close()
    }

    /// With 3 processes exactly one holds the maintenance role; killing it hands the role over.
    func testLeaderElectionHandsOverWhenTheLeaderDies() async throws {
        let database = try await TestDatabase.migrated()
        let ids = ["w-a", "w-b", "w-c"]
        var processes: [String: Process] = [:]
        for id in ids {
            processes[id] = try TestDatabase.spawn(
                ["bench", "worker", "--worker-id", id, "--concurrency", "2"], database: database)
        }
        func holder() async throws -> String? {
            try await database.pool.withConnection {
                try await $0.query(
                    "SELECT holder FROM bursar_leaders WHERE role = 'maintenance' AND expires_at > now()"
                ).first?.string("holder")
            }
        }
        let elected = try await TestDatabase.eventually(15) { try await holder() != nil }
        XCTAssertTrue(elected)
        let leader = try await holder()!
        XCTAssertTrue(ids.contains(leader))
        let rows = try await database.pool.withConnection {
            try await $0.query("SELECT count(*)::int AS n FROM bursar_leaders").first!.int("n")
        }
        XCTAssertEqual(rows, 1, "one leader")
        kill(processes[leader]!.processIdentifier, SIGKILL)
        processes[leader]!.waitUntilExit()
        let handedOver = try await TestDatabase.eventually(15, every: 0.25) {
            if let now = try await holder() { return now != leader } else { return false }
        }
        XCTAssertTrue(handedOver, "another process took over")
        for (id, p) in processes where id != leader {
            p.terminate()
            p.waitUntilExit()
        }
        await database.close()
    }
}
