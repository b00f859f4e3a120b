import Foundation
import JobQueue
import Postgres
import Store
import Testing

/// Issue 22's rolling deploy with real processes: one `bursard` binary plays the old build
/// (`BURSARD_DISABLE_KINDS`, a test setting) that does not know a job kind, another the new build
/// that does; and `bursar db migrate` applies a migration that needs an ACCESS EXCLUSIVE lock
/// while processes claim jobs and an old worker's transaction holds the table.
@Suite(
    .enabled(
        if: !(ProcessInfo.processInfo.environment["BURSAR_TEST_DATABASE_URL"] ?? "").isEmpty,
        "BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh"),
    .serialized)
struct RollingDeployTests {
    static let bursard = TestDatabase.repository.appendingPathComponent(".build/debug/bursard").path

    private func start(
        _ database: Database, markers: URL, disabling kinds: String? = nil,
        home: URL = TestDatabase.repository
    ) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.bursard)
        process.arguments = ["--bench-queue", "--concurrency", "8", "--http-port", "0"]
        var environment = [
            "DATABASE_URL": database.conninfo, "BURSAR_HOME": home.path,
            "BURSAR_BENCH_MARKERS": markers.path,
        ]
        if let kinds { environment["BURSARD_DISABLE_KINDS"] = kinds }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func enqueueMarkers(
        _ count: Int, from first: Int, milliseconds: Int, maxAttempts: Int,
        _ database: Database
    ) async throws -> [Int64] {
        let jobs = (first..<first + count).map {
            JobInsert(
                kind: "bench.marker", queue: "bench",
                args: "{\"key\": \"k\($0)\", \"milliseconds\": \(milliseconds)}", maxAttempts: maxAttempts)
        }
        return try await database.pool.withTransaction { try await database.queue.enqueue(jobs, on: $0) }
    }

    /// The lines of each job's marker file: the pids of the processes that ran it.
    private func markerLines(_ ids: [Int64], in markers: URL) -> [Int64: [String]] {
        var lines: [Int64: [String]] = [:]
        for id in ids {
            let text = (try? String(contentsOf: markers.appendingPathComponent("\(id)"), encoding: .utf8)) ?? ""
            lines[id] = text.split(separator: "\n").map(String.init)
        }
        return lines
    }

    private func temporaryFolder(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bursar-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    private func count(_ sql: String, _ pool: ConnectionPool) async throws -> Int {
        try await pool.withConnection { try await $0.query(sql).first!.int("n") }
    }

    @Test func anOldProcessRetriesANewKindAndTheNewProcessRunsItOnce() async throws {
        let database = try await TestDatabase.migrated()
        let markers = try temporaryFolder("deploy-markers")
        defer { try? FileManager.default.removeItem(at: markers) }
        // One attempt each: an attempt counted by the old process would discard the job.
        let ids = try await enqueueMarkers(40, from: 0, milliseconds: 5, maxAttempts: 1, database)
        let pool = ConnectionPool(conninfo: database.conninfo, size: 2)
        let old = try start(database, markers: markers, disabling: "bench.marker")
        try await QueueCompleterChaosTests.waitUntilRegistered(old, pool)
        // Every job claimed by the old process at least once, and put back.
        let seen = try await TestDatabase.eventually(60) {
            try await count("SELECT count(*)::int AS n FROM bursar_jobs WHERE queue = 'bench' AND errors <> '[]'", pool)
                == ids.count
        }
        #expect(seen, "the old process claimed every job of the kind it does not know")
        let ended = try await count(
            """
            SELECT count(*)::int AS n FROM bursar_jobs
            WHERE queue = 'bench' AND state IN ('cancelled', 'discarded', 'completed')
            """, pool)
        #expect(ended == 0, "not cancelled, not discarded: retried")
        let counted = try await count(
            """
            SELECT count(*)::int AS n FROM bursar_jobs WHERE queue = 'bench' AND state <> 'running' AND attempt > 0
            """, pool)
        #expect(counted == 0, "a kind the process does not know costs no attempt")
        let messages = try await pool.withConnection {
            try await $0.query(
                """
                SELECT DISTINCT e ->> 'message' AS message FROM bursar_jobs, jsonb_array_elements(errors) e
                WHERE queue = 'bench'
                """
            ).map { try $0.string("message") }
        }
        #expect(
            messages.allSatisfy { $0.contains("no handler is registered for job kind bench.marker") }, "\(messages)")
        #expect(messages.allSatisfy { !$0.contains("\"k") && !$0.contains("milliseconds") }, "no job arguments")
        let ranByOld = markerLines(ids, in: markers).values.filter { !$0.isEmpty }.count
        #expect(ranByOld == 0, "the old process ran none")

        // The new build comes up, then the old one stops, as a rolling deploy does.
        let new = try start(database, markers: markers)
        try await QueueCompleterChaosTests.waitUntilRegistered(new, pool)
        #expect(TestDatabase.terminate(old) == 0)
        let done = try await TestDatabase.eventually(120) { try await TestDatabase.benchNotCompleted(pool) == 0 }
        #expect(done, "every job ran once the new process was up")
        let lines = markerLines(ids, in: markers)
        let once = lines.values.filter { $0 == ["\(new.processIdentifier) 1"] }.count
        #expect(once == ids.count, "each job ran exactly once, by the new process, as its first attempt: \(lines)")
        #expect(TestDatabase.terminate(new) == 0)
        await pool.shutdown()
        await database.close()
    }

    /// A home like the repository's whose migrations end with one that locks `bursar_jobs`
    /// ACCESS EXCLUSIVE (a new column), as a release's schema change can.
    private func homeWithALockingMigration() throws -> URL {
        let home = try temporaryFolder("deploy-home")
        let fm = FileManager.default
        let repository = TestDatabase.repository
        let migrations = home.appendingPathComponent("db/migrations")
        try fm.createDirectory(at: migrations, withIntermediateDirectories: true)
        for folder in try fm.contentsOfDirectory(atPath: repository.appendingPathComponent("db").path)
        where folder != "migrations" {
            try fm.createSymbolicLink(
                at: home.appendingPathComponent("db/\(folder)"),
                withDestinationURL: repository.appendingPathComponent("db/\(folder)"))
        }
        let source = repository.appendingPathComponent("db/migrations")
        for file in try fm.contentsOfDirectory(atPath: source.path) {
            try fm.createSymbolicLink(
                at: migrations.appendingPathComponent(file),
                withDestinationURL: source.appendingPathComponent(file))
        }
        try "ALTER TABLE bursar_jobs ADD COLUMN deploy_probe integer;\n".write(
            to: migrations.appendingPathComponent("999_deploy_probe.sql"), atomically: true, encoding: .utf8)
        return home
    }

    @Test func migrateDuringLoadNeverHoldsClaimsLongerThanItsLockTimeout() async throws {
        let database = try await TestDatabase.migrated()
        let markers = try temporaryFolder("migrate-markers")
        let home = try homeWithALockingMigration()
        defer {
            try? FileManager.default.removeItem(at: markers)
            try? FileManager.default.removeItem(at: home)
        }
        // 60 ms each on 16 slots: 15 s of work, so that some of it is left while the migration
        // waits its 8 s (at 20 ms, 5 s of work could all be done before the migration began
        // when the machine was busy with other suites).
        let ids = try await enqueueMarkers(4000, from: 0, milliseconds: 60, maxAttempts: 25, database)
        let pool = ConnectionPool(conninfo: database.conninfo, size: 2)
        let processes = try (0..<2).map { _ in try start(database, markers: markers) }
        for process in processes { try await QueueCompleterChaosTests.waitUntilRegistered(process, pool) }
        // An old worker's long transaction on the table: the migration's ALTER must wait for it.
        let holder = try await Connection.connect(database.conninfo)
        try await holder.simpleQuery("BEGIN; LOCK TABLE bursar_jobs IN ROW EXCLUSIVE MODE")
        let held: Duration = .seconds(8)
        let release = Task {
            try await Task.sleep(for: held)
            try await holder.simpleQuery("COMMIT")
        }
        // Claims as the workers make them (an empty queue: the probe takes no one's jobs).
        let probe = JobQueueClient(pool: ConnectionPool(conninfo: database.conninfo, size: 1))
        let finished = Finished()
        let migration = Task.detached {
            defer { finished.set() }
            let clock = ContinuousClock()
            let started = clock.now
            let result = try TestDatabase.run(
                [TestDatabase.bursar, "db", "migrate"],
                environment: ["DATABASE_URL": database.conninfo, "BURSAR_HOME": home.path])
            return (result, started.duration(to: clock.now))
        }
        let clock = ContinuousClock()
        var longest: Duration = .zero
        var claims = 0
        let completedBefore = try await count(
            "SELECT count(*)::int AS n FROM bursar_jobs WHERE queue = 'bench' AND state = 'completed'", pool)
        while !finished.isSet {
            let started = clock.now
            _ = try await probe.claim(queue: "deploy-probe", limit: 1, worker: "probe", lease: .seconds(30))
            longest = max(longest, started.duration(to: clock.now))
            claims += 1
            try await Task.sleep(for: .milliseconds(20))
        }
        let (result, took) = try await migration.value
        try await release.value
        #expect(result.status == 0, "\(result.error)")
        #expect(took >= held - .seconds(1), "the migration waited for the old transaction (\(took))")
        let column = try await count(
            """
            SELECT count(*)::int AS n FROM information_schema.columns
            WHERE table_name = 'bursar_jobs' AND column_name = 'deploy_probe'
            """, pool)
        #expect(column == 1, "the migration was applied")
        let bound = LockTimeoutRetry.lockTimeout + .milliseconds(1500)
        print("migrate under load: \(claims) probe claims, longest wait \(longest), migration \(took)")
        #expect(
            longest < bound,
            "a claim waited \(longest) behind the migration (lock_timeout \(LockTimeoutRetry.lockTimeout))")
        let completedDuring = try await count(
            "SELECT count(*)::int AS n FROM bursar_jobs WHERE queue = 'bench' AND state = 'completed'", pool)
        #expect(completedDuring > completedBefore, "the workers kept completing jobs during the migration")
        let done = try await TestDatabase.eventually(180) { try await TestDatabase.benchNotCompleted(pool) == 0 }
        #expect(done, "every job completed")
        for process in processes {
            try await QueueCompleterChaosTests.waitUntilRegistered(process, pool)
            #expect(TestDatabase.terminate(process) == 0)
        }
        let twice = markerLines(ids, in: markers).values.filter { $0.count != 1 }.count
        #expect(twice == 0, "each job's marker written exactly once")
        await holder.close()
        await probe.pool.shutdown()
        await pool.shutdown()
        await database.close()
    }
}

/// Set once by the task that runs the migration; read by the loop that probes claims meanwhile.
private final class Finished: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    func set() {
        lock.lock()
        done = true
        lock.unlock()
    }
    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return done
    }
}
