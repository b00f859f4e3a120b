import Foundation
import Logging
import Postgres
import Testing

@testable import JobQueue

/// The defects of issue 12, each pinned by a test that failed before its fix.
@Suite(.enabled(if: QueueTestDatabase.available, "BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh"))
struct QueueDefectTests {
    struct Empty: Codable, Sendable {}

    private func client(_ url: String, size: Int = 8) -> JobQueueClient {
        JobQueueClient(pool: ConnectionPool(conninfo: url, size: size))
    }

    private func supervisor(
        _ url: String, _ client: JobQueueClient, _ registry: JobRegistry, concurrency: Int = 4,
        drain: Bool
    ) -> Supervisor {
        var configuration = Supervisor.Configuration(queues: ["default": concurrency])
        configuration.drain = drain
        configuration.maintenance = false
        return Supervisor(
            client: client, conninfo: url, registry: registry, configuration: configuration,
            logger: Logger(label: "test"))
    }

    private func id(_ result: EnqueueResult) -> Int64 {
        if case .inserted(let id) = result { return id }
        return -1
    }

    /// Defect 1: a unique key holds while its job runs, so no duplicate can wait beside it and
    /// the running job's return to a waiting state cannot violate the index.
    @Test func uniqueKeyHoldsWhileTheJobRuns() async throws {
        let url = try await QueueTestDatabase.create()
        let client = client(url)
        let first = id(try await client.enqueue(JobInsert(kind: "x", uniqueKey: "k")))
        let running = try await client.claim(queue: "default", limit: 1, worker: "w", lease: .seconds(30))
        #expect(running.map(\.id) == [first])
        let second = try await client.enqueue(JobInsert(kind: "x", uniqueKey: "k"))
        #expect(second == .duplicate, "a job with the key is running")
        try await client.fail(running[0], message: "boom", retryIn: .zero)
        let maintenance = Maintenance(client: client, holder: "m", logger: Logger(label: "t"))
        _ = await maintenance.runOnce()
        let again = try await client.claim(queue: "default", limit: 5, worker: "w", lease: .seconds(30))
        #expect(again.map(\.id) == [first])
        await client.pool.shutdown()
    }

    actor Gate {
        var started = false
        func start() { started = true }
    }

    struct Slow: JobHandler {
        static let kind = "test.slow"
        let gate: Gate
        func run(_ job: JobRun<Empty>) async throws {
            await gate.start()
            try await Task.sleep(for: .milliseconds(1500))
        }
    }

    /// Defect 2: a graceful stop lets a job in flight finish and records it completed.
    @Test func gracefulStopLetsJobsInFlightFinish() async throws {
        let url = try await QueueTestDatabase.create()
        let client = client(url)
        let gate = Gate()
        var registry = JobRegistry()
        registry.register(Slow(gate: gate))
        let job = id(try await client.enqueue(JobInsert(kind: Slow.kind)))
        let supervisor = supervisor(url, client, registry, drain: false)
        async let summary = supervisor.runToEnd()
        while await !gate.started { try await Task.sleep(for: .milliseconds(20)) }
        supervisor.stop()
        let completed = await summary.completed
        #expect(completed == 1)
        let state = try await client.job(id: job)?.state
        #expect(state == .completed)
        await client.pool.shutdown()
    }

    /// Defect 3: a cancelled wait returns at once.
    @Test func wakeupWaitEndsWhenCancelled() async throws {
        let wakeup = Wakeup()
        let waiting = Task { await wakeup.wait(timeout: .seconds(3600)) }
        try await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        try await QueueTestDatabase.within(.seconds(2)) { await waiting.value }
    }

    struct BlockedQuery: JobHandler {
        static let kind = "test.blocked"
        let pool: ConnectionPool
        var timeout: Duration { .seconds(1) }
        func run(_ job: JobRun<Empty>) async throws {
            try await pool.withConnection { try await $0.query("SELECT pg_sleep(30)") }
        }
    }

    /// Defect 4: a handler's timeout stops the query it is blocked in.
    @Test func timeoutStopsABlockedQuery() async throws {
        let url = try await QueueTestDatabase.create()
        let client = client(url)
        var registry = JobRegistry()
        registry.register(BlockedQuery(pool: ConnectionPool(conninfo: url, size: 2)))
        let job = id(try await client.enqueue(JobInsert(kind: BlockedQuery.kind, maxAttempts: 1)))
        let supervisor = supervisor(url, client, registry, drain: true)
        _ = try await QueueTestDatabase.within(.seconds(10)) { await supervisor.runToEnd() }
        let state = try await client.job(id: job)?.state
        #expect(state == .discarded)
        await client.pool.shutdown()
    }

    /// Defect 5: a snoozed job waits again, its attempt uncounted.
    @Test func snoozeReschedulesTheJob() async throws {
        let url = try await QueueTestDatabase.create()
        let client = client(url)
        let job = id(try await client.enqueue(JobInsert(kind: "x")))
        let claimed = try await client.claim(queue: "default", limit: 1, worker: "w", lease: .seconds(30))
        try await client.snooze(claimed[0], for: .seconds(30))
        let summary = try await client.job(id: job)
        #expect(summary?.state == .scheduled)
        #expect(summary?.attempt == 0)
        await client.pool.shutdown()
    }

    struct HoldsAConnection: JobHandler {
        static let kind = "test.holds"
        let pool: ConnectionPool
        func run(_ job: JobRun<Empty>) async throws {
            try await pool.withTransaction { connection in
                try await connection.query("SELECT pg_sleep(1.5)")
                try await job.complete(on: connection)
            }
        }
    }

    /// Defect 6: handlers that hold every connection of the application's pool do not starve
    /// the queue's own lease renewals: no job loses its lease and runs twice.
    @Test func handlersCannotStarveLeaseRenewal() async throws {
        let url = try await QueueTestDatabase.create()
        let pool = ConnectionPool(conninfo: url, size: 2)
        let client = JobQueueClient(pool: pool)
        var registry = JobRegistry()
        registry.register(HoldsAConnection(pool: pool))
        for _ in 0..<6 { try await client.enqueue(JobInsert(kind: HoldsAConnection.kind)) }
        var configuration = Supervisor.Configuration(queues: ["default": 6])
        configuration.drain = true
        // Jobs 5 and 6 wait ~3 s for a connection: longer than the lease, so a starved renewal
        // would let it lapse; 2 s leaves renewals (every third of it) slack on a loaded machine.
        configuration.lease = .seconds(2)
        let supervisor = Supervisor(
            client: client, conninfo: url, registry: registry, configuration: configuration, logger: Logger(label: "t"))
        let summary = try await QueueTestDatabase.within(.seconds(60)) { await supervisor.runToEnd() }
        #expect(summary.completed == 6)
        let attempts = try await pool.withConnection {
            try await $0.query(
                "SELECT max(attempt)::int AS a, count(*) FILTER (WHERE state = 'completed')::int AS c FROM bursar_jobs"
            ).first!
        }
        #expect(try attempts.int("a") == 1, "no lease lapsed")
        #expect(try attempts.int("c") == 6)
        await pool.shutdown()
    }

    /// Defect 7: a closed connection fails at once.
    @Test func closedConnectionFailsInsteadOfHanging() async throws {
        let url = try await QueueTestDatabase.create()
        let connection = try await Connection.connect(url)
        await connection.close()
        await #expect(throws: PostgresError.self) {
            try await QueueTestDatabase.within(.seconds(2)) { try await connection.query("SELECT 1") }
        }
    }

    /// Defect 7: a job an operator cancelled is not rescued to run again when its lease lapses.
    @Test func cancelledRunningJobIsNotRescued() async throws {
        let url = try await QueueTestDatabase.create()
        let client = client(url)
        let job = id(try await client.enqueue(JobInsert(kind: "x")))
        _ = try await client.claim(queue: "default", limit: 1, worker: "gone", lease: .seconds(30))
        #expect(try await client.cancel(id: job) == .running)
        try await client.pool.withConnection {
            try await $0.query(
                "UPDATE bursar_jobs SET lease_expires_at = now() - interval '1 minute' WHERE id = $1", job)
        }
        _ = await Maintenance(client: client, holder: "m", logger: Logger(label: "t")).runOnce()
        let state = try await client.job(id: job)?.state
        #expect(state == .cancelled)
        await client.pool.shutdown()
    }

    /// Defect 7: the jobs in flight are told apart by attempt, so a late attempt's end does not
    /// forget the current one.
    @Test func inFlightKeepsAttemptsApart() async {
        let inFlight = InFlight()
        let first = ClaimedJob(id: 7, kind: "x", queue: "q", args: "{}", attempt: 1, maxAttempts: 5)
        let second = ClaimedJob(id: 7, kind: "x", queue: "q", args: "{}", attempt: 2, maxAttempts: 5)
        let token = inFlight.add(first)
        inFlight.add(second)
        inFlight.remove(token, tally: .failed)
        #expect(inFlight.total == 1)
        #expect(inFlight.count(queue: "q") == 1)
    }

    /// Issue 13: a drain finishes what is runnable while another queue is paused.
    @Test func drainFinishesWhileAQueueIsPaused() async throws {
        let url = try await QueueTestDatabase.create()
        let client = client(url)
        try await client.setPaused(true, queue: "held")
        try await client.enqueue(JobInsert(kind: "x", queue: "held"))
        var registry = JobRegistry()
        registry.register(Slow(gate: Gate()))
        try await client.enqueue(JobInsert(kind: Slow.kind))
        var configuration = Supervisor.Configuration(queues: ["default": 2, "held": 2])
        configuration.drain = true
        let supervisor = Supervisor(
            client: client, conninfo: url, registry: registry, configuration: configuration, logger: Logger(label: "t"))
        let summary = try await QueueTestDatabase.within(.seconds(15)) { await supervisor.runToEnd() }
        #expect(summary.completed == 1)
        await client.pool.shutdown()
    }
}
