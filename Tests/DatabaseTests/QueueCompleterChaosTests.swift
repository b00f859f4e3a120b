import Foundation
import JobQueue
import Postgres
import Store
import XCTest

/// Issue 22's acceptance through the batched completer: 3 `bursard` processes run 20,000 jobs
/// whose handlers complete nothing themselves and write an external marker (a line in a file
/// named by the job). Every few seconds one process gets SIGTERM and starts again; one is
/// killed with SIGKILL, and the server restarts once. Every job ends completed; each marker is
/// written exactly once — except that a job whose effect the killed process had written but
/// whose completion it had not yet written runs again (at-least-once: nothing can tell a crash
/// after the effect from one before it), so a second marker is allowed only after a first one
/// of the killed process.
///
/// XCTest, not Swift Testing: it restarts the server (see `QueueChaosTests`).
/// `BURSAR_COMPLETER_CHAOS_JOBS` sets the number of jobs.
final class QueueCompleterChaosTests: XCTestCase {
    static let jobs = Int(ProcessInfo.processInfo.environment["BURSAR_COMPLETER_CHAOS_JOBS"] ?? "") ?? 20_000
    static let bursard = TestDatabase.repository.appendingPathComponent(".build/debug/bursard").path

    private func start(_ database: Database, markers: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.bursard)
        process.arguments = ["--bench-queue", "--concurrency", "8", "--lease", "3", "--http-port", "0"]
        process.environment = ProcessInfo.processInfo.environment.merging(
            [
                "DATABASE_URL": database.conninfo, "BURSAR_HOME": TestDatabase.repository.path,
                "BURSAR_BENCH_MARKERS": markers.path,
            ]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    func testSIGTERMCyclesKillAndRestartThroughTheCompleter() async throws {
        try TestDatabase.requireServerControl()
        let database = try await TestDatabase.migrated()
        let total = Self.jobs
        let markers = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bursar-markers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: markers, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: markers) }
        var ids: [Int64] = []
        for first in stride(from: 0, to: total, by: 5000) {
            let jobs = (first..<min(total, first + 5000)).map {
                JobInsert(
                    kind: "bench.marker", queue: "bench", args: "{\"key\": \"k\($0)\", \"milliseconds\": 40}",
                    maxAttempts: 25)
            }
            ids += try await database.pool.withTransaction { try await database.queue.enqueue(jobs, on: $0) }
        }
        let pool = ConnectionPool(conninfo: database.conninfo, size: 2)
        var processes = try (0..<3).map { _ in try start(database, markers: markers) }
        var killed: Int32?
        var restarted = false
        var cycle = 0
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(600)
        while try await TestDatabase.benchNotCompleted(pool) > 0, clock.now < deadline {
            try await Task.sleep(for: .seconds(3))
            cycle += 1
            let slot = cycle % 3
            if cycle == 4 {
                killed = processes[slot].processIdentifier
                kill(processes[slot].processIdentifier, SIGKILL)
                processes[slot].waitUntilExit()
            } else if cycle == 7 && !restarted {
                try TestDatabase.restartServer()
                restarted = true
                continue
            } else {
                try await Self.waitUntilRegistered(processes[slot], pool)
                XCTAssertEqual(
                    TestDatabase.terminate(processes[slot]), 0, "SIGTERM lets jobs in flight finish and exits 0")
            }
            processes[slot] = try start(database, markers: markers)
        }
        for process in processes {
            // A process started a moment ago may not handle SIGTERM yet: it says so by registering.
            try await Self.waitUntilRegistered(process, pool)
            XCTAssertEqual(TestDatabase.terminate(process), 0)
        }
        XCTAssertNotNil(killed, "the run lasted long enough for the kill")
        XCTAssertTrue(restarted, "the run lasted long enough for the server restart")
        let left = try await TestDatabase.benchNotCompleted(pool)
        XCTAssertEqual(left, 0, "every job completed")

        var missing = 0
        var doubled = 0
        var rerunAfterKill = 0
        for id in ids {
            let file = markers.appendingPathComponent("\(id)")
            let lines = ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n")
            if lines.isEmpty {
                missing += 1
            } else if lines.count > 1 {
                let firstWriter = Int32(lines[0].split(separator: " ")[0])
                if lines.count == 2 && firstWriter == killed { rerunAfterKill += 1 } else { doubled += 1 }
            }
        }
        print("completer chaos: \(total) jobs, \(cycle) cycles, \(rerunAfterKill) run again after the kill")
        XCTAssertEqual(missing, 0, "every job wrote its marker")
        XCTAssertEqual(doubled, 0, "no marker written twice but by a job the killed process had finished unrecorded")
        XCTAssertLessThan(rerunAfterKill, 200, "at most what the killed process had in flight or buffered")
        await pool.shutdown()
        await database.close()
    }

    /// Waits (bounded) until `process` has registered in `bursar_workers`: its services, the signal
    /// handler among them, are running.
    static func waitUntilRegistered(_ process: Process, _ pool: ConnectionPool) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while clock.now < deadline, process.isRunning {
            let registered = try await pool.withConnection {
                try await $0.query(
                    "SELECT count(*)::int AS n FROM bursar_workers WHERE pid = $1",
                    Int(process.processIdentifier)
                ).first!.int("n")
            }
            if registered > 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

extension TestDatabase {
    /// Jobs of the `bench` queue not completed yet (the chaos tests' processes run them).
    static func benchNotCompleted(_ pool: ConnectionPool) async throws -> Int {
        try await pool.withConnection {
            try await $0.query(
                "SELECT count(*)::int AS n FROM bursar_jobs WHERE queue = 'bench' AND state <> 'completed'"
            ).first!.int("n")
        }
    }

    /// Sends SIGTERM and returns the exit status.
    static func terminate(_ process: Process) -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
