import Foundation
import Logging
import Postgres
import Testing

@testable import JobQueue

/// `bursar jobs cancel ID` of a running job (found by trying it: the job ran on to the end):
/// the worker sees the request at its next lease renewal, cancels the run, and the statement the
/// handler is blocked in is cancelled on the server; the job ends `cancelled`.
@Suite(.enabled(if: QueueTestDatabase.available, "BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh"))
struct RunningCancelTests {
    struct Empty: Codable, Sendable {}

    /// Runs `statement` in a transaction, blocking for longer than the test waits; says when it started.
    struct Blocked: JobHandler {
        static let kind = "test.blocked_long"
        let pool: ConnectionPool
        let statement: String
        let started: AsyncStream<Void>.Continuation
        var timeout: Duration { .seconds(120) }
        func run(_ job: JobRun<Empty>) async throws {
            started.yield()
            try await pool.withTransaction { try await $0.query(statement) }
        }
    }

    /// Runs one job whose handler blocks in `statement`, cancels it once it started, and
    /// returns the job as it ended.
    func cancelWhileBlocked(in statement: String, url: String) async throws -> JobSummary? {
        let client = JobQueueClient(pool: ConnectionPool(conninfo: url, size: 4))
        let (started, signal) = AsyncStream<Void>.makeStream()
        var registry = JobRegistry()
        registry.register(Blocked(pool: ConnectionPool(conninfo: url, size: 2), statement: statement, started: signal))
        guard case .inserted(let job) = try await client.enqueue(JobInsert(kind: Blocked.kind, maxAttempts: 3)) else {
            Issue.record("not inserted")
            return nil
        }
        var configuration = Supervisor.Configuration(queues: ["default": 2])
        configuration.drain = true
        configuration.maintenance = false
        configuration.lease = .milliseconds(1500)
        let supervisor = Supervisor(
            client: client, conninfo: url, registry: registry, configuration: configuration,
            logger: Logger(label: "test"))
        let running = Task { await supervisor.runToEnd() }
        try await QueueTestDatabase.within(.seconds(20)) {
            for await _ in started { return }
        }
        #expect(try await client.cancel(id: job) == .running)
        // Renewals every half second see the request; the run and its statement stop at once.
        _ = try await QueueTestDatabase.within(.seconds(20)) { await running.value }
        let summary = try await client.job(id: job)
        await client.pool.shutdown()
        return summary
    }

    @Test func cancellingARunningJobStopsTheStatementItIsBlockedIn() async throws {
        let url = try await QueueTestDatabase.create()
        let summary = try await cancelWhileBlocked(in: "SELECT pg_sleep(60)", url: url)
        #expect(summary?.state == .cancelled)
        #expect(summary?.attempt == 1, "it did not run again")
    }

    /// Parsing an INSERT into a table another session holds locked waits in preparing the
    /// statement, before it runs.
    @Test func cancellingAJobBlockedWhilePreparingAStatementStopsIt() async throws {
        let url = try await QueueTestDatabase.create()
        let holder = try await Connection.connect(url)
        try await holder.simpleQuery("CREATE TABLE held (n int)")
        try await holder.simpleQuery("BEGIN; LOCK TABLE held IN ACCESS EXCLUSIVE MODE")
        let summary = try await cancelWhileBlocked(in: "INSERT INTO held (n) VALUES (1)", url: url)
        #expect(summary?.state == .cancelled)
        try await holder.simpleQuery("ROLLBACK")
        await holder.close()
    }
}
