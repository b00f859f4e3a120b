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

    /// Blocks in a statement for longer than the test waits; says when it started.
    struct Blocked: JobHandler {
        static let kind = "test.blocked_long"
        let pool: ConnectionPool
        let started: AsyncStream<Void>.Continuation
        var timeout: Duration { .seconds(120) }
        func run(_ job: JobRun<Empty>) async throws {
            started.yield()
            try await pool.withTransaction { try await $0.query("SELECT pg_sleep(60)") }
        }
    }

    @Test func cancellingARunningJobStopsTheStatementItIsBlockedIn() async throws {
        let url = try await QueueTestDatabase.create()
        let client = JobQueueClient(pool: ConnectionPool(conninfo: url, size: 4))
        let (started, signal) = AsyncStream<Void>.makeStream()
        var registry = JobRegistry()
        registry.register(Blocked(pool: ConnectionPool(conninfo: url, size: 2), started: signal))
        guard case .inserted(let job) = try await client.enqueue(JobInsert(kind: Blocked.kind, maxAttempts: 3)) else {
            Issue.record("not inserted")
            return
        }
        var configuration = Supervisor.Configuration(queues: ["default": 2])
        configuration.drain = true
        configuration.maintenance = false
        configuration.lease = .milliseconds(1500)
        let supervisor = Supervisor(client: client, conninfo: url, registry: registry, configuration: configuration,
                                    logger: Logger(label: "test"))
        let running = Task { await supervisor.runToEnd() }
        try await QueueTestDatabase.within(.seconds(20)) {
            for await _ in started { return }
        }
        #expect(try await client.cancel(id: job) == .running)
        // Renewals every half second see the request; the run and its statement stop at once.
        _ = try await QueueTestDatabase.within(.seconds(20)) { await running.value }
        let summary = try await client.job(id: job)
        #expect(summary?.state == .cancelled)
        #expect(summary?.attempt == 1, "it did not run again")
        await client.pool.shutdown()
    }

    /// Parses an INSERT into a table another session holds locked: the wait is in preparing
    /// the statement, before it runs.
    struct BlockedInPrepare: JobHandler {
        static let kind = "test.blocked_prepare"
        let pool: ConnectionPool
        let started: AsyncStream<Void>.Continuation
        var timeout: Duration { .seconds(120) }
        func run(_ job: JobRun<Empty>) async throws {
            started.yield()
            try await pool.withTransaction { try await $0.query("INSERT INTO held (n) VALUES ($1)", 1) }
        }
    }

    @Test func cancellingAJobBlockedWhilePreparingAStatementStopsIt() async throws {
        let url = try await QueueTestDatabase.create()
        let client = JobQueueClient(pool: ConnectionPool(conninfo: url, size: 4))
        let holder = try await Connection.connect(url)
        try await holder.simpleQuery("CREATE TABLE held (n int)")
        try await holder.simpleQuery("BEGIN; LOCK TABLE held IN ACCESS EXCLUSIVE MODE")
        let (started, signal) = AsyncStream<Void>.makeStream()
        var registry = JobRegistry()
        registry.register(BlockedInPrepare(pool: ConnectionPool(conninfo: url, size: 2), started: signal))
        guard case .inserted(let job) = try await client.enqueue(JobInsert(kind: BlockedInPrepare.kind, maxAttempts: 3)) else {
            Issue.record("not inserted")
            return
        }
        var configuration = Supervisor.Configuration(queues: ["default": 2])
        configuration.drain = true
        configuration.maintenance = false
        configuration.lease = .milliseconds(1500)
        let supervisor = Supervisor(client: client, conninfo: url, registry: registry, configuration: configuration,
                                    logger: Logger(label: "test"))
        let running = Task { await supervisor.runToEnd() }
        try await QueueTestDatabase.within(.seconds(20)) {
            for await _ in started { return }
        }
        #expect(try await client.cancel(id: job) == .running)
        _ = try await QueueTestDatabase.within(.seconds(20)) { await running.value }
        #expect(try await client.job(id: job)?.state == .cancelled)
        try await holder.simpleQuery("ROLLBACK")
        await holder.close()
        await client.pool.shutdown()
    }
}
