import Foundation
import JobQueue
import Postgres
import Store
import XCTest

/// Issue 12's acceptance, smaller: 3 `bursard` processes on one database run jobs whose
/// handlers each insert an effect row under a unique constraint; one is killed with SIGKILL,
/// the server restarts, another gets SIGTERM mid-run and starts again. Every job is completed
/// once, no effect is missing or doubled, and every process not killed exits 0 on SIGTERM.
///
/// XCTest, not Swift Testing, on purpose: it restarts the server, and XCTest runs its cases one
/// after another, while Swift Testing runs in parallel — a restart there fails unrelated tests.
/// `BURSAR_CHAOS_JOBS=100000` runs the full acceptance by hand.
final class QueueChaosTests: XCTestCase {
    static let jobs = Int(ProcessInfo.processInfo.environment["BURSAR_CHAOS_JOBS"] ?? "") ?? 3000
    static let bursard = TestDatabase.repository.appendingPathComponent(".build/debug/bursard").path

    private func start(_ database: Database) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.bursard)
        process.arguments = ["--bench-queue", "--concurrency", "8", "--lease", "3"]
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["DATABASE_URL": database.conninfo, "BURSAR_HOME": TestDatabase.repository.path]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func effects(_ pool: ConnectionPool) async throws -> (rows: Int, distinct: Int) {
        let row = try await pool.withConnection {
            try await $0.query("SELECT count(*)::int AS n, count(DISTINCT key)::int AS d FROM bench_effects").first!
        }
        return (try row.int("n"), try row.int("d"))
    }

    /// Waits (polling the database: the processes are other programs) until `condition` holds.
    private func until(_ seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
        try await TestDatabase.eventually(seconds, every: 0.2) {
            (try? await condition()) ?? false
        }
    }

    func testKillRestartAndStopMidRunLoseAndDoubleNothing() async throws {
        try TestDatabase.requireServerControl()
        let database = try await TestDatabase.migrated()
        let total = Self.jobs
        try await database.pool.withConnection { connection in
            try await connection.simpleQuery(
                """
                CREATE TABLE bench_effects (key text PRIMARY KEY, job_id bigint NOT NULL, worker integer NOT NULL,
                                            at timestamptz NOT NULL DEFAULT now())
                """)
        }
        for first in stride(from: 0, to: total, by: 5000) {
            let jobs = (first..<min(total, first + 5000)).map {
                JobInsert(kind: "bench.record", queue: "bench", args: "{\"key\": \"k\($0)\"}", maxAttempts: 25)
            }
            try await database.pool.withTransaction { try await database.queue.enqueue(jobs, on: $0) }
        }
        let pool = ConnectionPool(conninfo: database.conninfo, size: 2)
        let victim = try start(database)
        let stopped = try start(database)
        let steady = try start(database)

        let reached1 = try await until(60) { try await effects(pool).rows >= total / 10 }
        XCTAssertTrue(reached1)
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()

        let reached2 = try await until(60) { try await effects(pool).rows >= total * 3 / 10 }
        XCTAssertTrue(reached2)
        try TestDatabase.restartServer()

        let reached3 = try await until(90) { try await effects(pool).rows >= total / 2 }
        XCTAssertTrue(reached3)
        XCTAssertEqual(TestDatabase.terminate(stopped), 0, "SIGTERM mid-run exits 0")
        let restarted = try start(database)

        let reached4 = try await until(180) { try await TestDatabase.benchNotCompleted(pool) == 0 }
        XCTAssertTrue(reached4)
        XCTAssertEqual(TestDatabase.terminate(steady), 0)
        XCTAssertEqual(TestDatabase.terminate(restarted), 0)

        let result = try await effects(pool)
        XCTAssertEqual(result.rows, total, "no effect missing or doubled")
        XCTAssertEqual(result.distinct, total)
        let doubled = try await pool.withConnection {
            try await $0.query(
                """
                SELECT count(*)::int AS n FROM bursar_jobs j JOIN bench_effects e ON e.key = j.args->>'key'
                WHERE j.queue = 'bench'
                  AND (j.state <> 'completed' OR e.job_id <> j.id OR j.errors::text LIKE '%duplicate key%')
                """
            ).first!.int("n")
        }
        XCTAssertEqual(doubled, 0, "every job completed once: none ran into its own earlier effect")
        await pool.shutdown()
        await database.close()
    }
}
