import Foundation
import Logging
import Postgres
import Testing

@testable import JobQueue

/// Issue 22, finding 3: a run whose lease lapsed stops itself before the rescuer hands its job
/// to another process, so an external effect (a file here) never happens twice at once.
@Suite(.enabled(if: QueueTestDatabase.available, "BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh"))
struct LeaseLapseTests {
    struct Empty: Codable, Sendable {}

    /// Works for `duration`, then writes its external effect: a line in the job's marker file.
    /// A run stopped before the end writes nothing.
    struct Marker: JobHandler {
        static let kind = "test.marker"
        let directory: URL
        let duration: Duration
        var timeout: Duration { .seconds(120) }
        func run(_ job: JobRun<Empty>) async throws {
            try await Task.sleep(for: duration)
            try Task.checkCancellation()
            let file = directory.appendingPathComponent("\(job.job.id)")
            let line = Data("\(job.job.attempt)\n".utf8)
            if let handle = try? FileHandle(forWritingTo: file) {
                handle.seekToEndOfFile()
                handle.write(line)
                try handle.close()
            } else {
                try line.write(to: file)
            }
        }
    }

    private func markers(_ directory: URL, _ job: Int64) -> Int {
        let file = directory.appendingPathComponent("\(job)")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return 0 }
        return text.split(separator: "\n").count
    }

    private func supervisor(_ url: String, _ directory: URL, worker: String, maintenance: Bool) -> Supervisor {
        var registry = JobRegistry()
        registry.register(Marker(directory: directory, duration: .seconds(6)))
        var configuration = Supervisor.Configuration(workerID: worker, queues: ["default": 2])
        configuration.lease = .seconds(2)
        configuration.pollInterval = .milliseconds(200)
        configuration.maintenance = maintenance
        configuration.maintenanceConfiguration.interval = .milliseconds(200)
        configuration.maintenanceConfiguration.rescueGrace = .milliseconds(500)
        let client = JobQueueClient(pool: ConnectionPool(conninfo: url, size: 4))
        return Supervisor(
            client: client, conninfo: url, registry: registry, configuration: configuration,
            logger: Logger(label: worker))
    }

    /// One row lock blocks the renewal of every lease of process A (one statement renews them
    /// all). The unlocked job's lease lapses; the rescuer gives it to process B. A must have
    /// stopped that run itself: each job's marker is written exactly once.
    @Test func aRunWhoseLeaseLapsedStopsBeforeAnotherProcessRunsIt() async throws {
        let url = try await QueueTestDatabase.create()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("markers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let admin = try await Connection.connect(url)
        let ids = try await admin.query(
            """
            INSERT INTO bursar_jobs (kind) SELECT 'test.marker' FROM generate_series(1, 2) RETURNING id
            """
        ).map { try $0.int64("id") }.sorted()
        let a = supervisor(url, directory, worker: "a", maintenance: false)
        let runningA = Task { await a.runToEnd() }
        try await QueueTestDatabase.within(.seconds(20)) {
            while try await admin.query(
                "SELECT count(*)::int AS n FROM bursar_jobs WHERE attempted_by = 'a' AND state = 'running'"
            )
            .first!.int("n") < 2 {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let holder = try await Connection.connect(url)
        try await holder.simpleQuery("BEGIN")
        try await holder.query("SELECT 1 FROM bursar_jobs WHERE id = $1 FOR UPDATE", ids[0])
        let b = supervisor(url, directory, worker: "b", maintenance: true)
        let runningB = Task { await b.runToEnd() }
        // B runs the unlocked job once the rescuer gave it over, then the locked one once free.
        try await QueueTestDatabase.within(.seconds(60)) {
            while try await admin.query("SELECT state FROM bursar_jobs WHERE id = $1", ids[1]).first!.string("state")
                != "completed"
            {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        try await holder.simpleQuery("COMMIT")
        try await QueueTestDatabase.within(.seconds(60)) {
            while try await admin.query("SELECT count(*)::int AS n FROM bursar_jobs WHERE state = 'completed'").first!
                .int("n") < 2
            {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        // A's runs would have ended by now (6 s of work): its marker, if any, is written.
        try await Task.sleep(for: .seconds(2))
        a.stop()
        b.stop()
        _ = try await QueueTestDatabase.within(.seconds(30)) { await runningA.value }
        _ = try await QueueTestDatabase.within(.seconds(30)) { await runningB.value }
        for job in ids {
            #expect(markers(directory, job) == 1, "job \(job): its effect happened \(markers(directory, job)) times")
        }
        await holder.close()
        await admin.close()
        try? FileManager.default.removeItem(at: directory)
    }
}
