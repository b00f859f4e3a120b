import Foundation
import Logging
import Postgres
import Testing

@testable import JobQueue

/// Issue 22: the queue under faults and deploys. Each test failed on the code before its fix.
@Suite(.enabled(if: QueueTestDatabase.available, "BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh"))
struct QueueFaultTests {
    struct Empty: Codable, Sendable {}

    private func client(_ url: String, size: Int = 6) -> JobQueueClient {
        JobQueueClient(pool: ConnectionPool(conninfo: url, size: size))
    }

    private func id(_ result: EnqueueResult) -> Int64 {
        if case .inserted(let id) = result { return id }
        return -1
    }

    /// Waits until a statement of `admin`'s database waits for a lock (`admin` outside a
    /// transaction: inside one, `pg_stat_activity` is a snapshot).
    private func untilWaitingForALock(_ admin: Connection) async throws {
        try await QueueTestDatabase.within(.seconds(20)) {
            while try await admin.query(
                """
                SELECT count(*)::int AS n FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock'
                """
            ).first!.int("n") == 0 {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    /// Finding 1: the supervisor finishes the completer, then cancels it. A batch already being
    /// written when the finish starts must be written, not cancelled with the completer's task.
    @Test func completerFinishWaitsForTheBatchBeingWritten() async throws {
        let url = try await QueueTestDatabase.create()
        let client = client(url)
        let job = id(try await client.enqueue(JobInsert(kind: "x")))
        let claimed = try await client.claim(queue: "default", limit: 1, worker: "w", lease: .seconds(60))
        // A row lock holds the completer's UPDATE in flight.
        let holder = try await Connection.connect(url)
        try await holder.simpleQuery("BEGIN")
        try await holder.query("SELECT 1 FROM bursar_jobs WHERE id = $1 FOR UPDATE", job)
        let pool = ConnectionPool(conninfo: url, size: 2)
        let completer = Completer(pool: pool, outage: OutageLog(logger: Logger(label: "t")))
        let running = Task { await completer.run() }
        completer.add(claimed[0])
        let admin = try await Connection.connect(url)
        try await untilWaitingForALock(admin)
        await admin.close()
        // As the supervisor does at shutdown: finish, then cancel the completer's loop.
        let shutdown = Task {
            await completer.finish()
            running.cancel()
            await running.value
        }
        try await Task.sleep(for: .milliseconds(300))
        try await holder.simpleQuery("COMMIT")
        try await QueueTestDatabase.within(.seconds(20)) { await shutdown.value }
        let state = try await client.job(id: job)?.state
        #expect(state == .completed, "the batch in flight at shutdown was written")
        await holder.close()
        await pool.shutdown()
        await client.pool.shutdown()
    }

    struct NewKind: JobHandler {
        static let kind = "deploy.new_kind"
        func run(_ job: JobRun<Empty>) async throws {}
    }

    /// Finding 2: in a rolling deploy an old process claims a kind it does not know. The job
    /// waits to be retried (its attempt not counted) and runs once a process that knows it is up.
    @Test func unknownKindIsRetriedNotCancelled() async throws {
        let url = try await QueueTestDatabase.create()
        let client = client(url)
        let job = id(try await client.enqueue(JobInsert(kind: NewKind.kind, maxAttempts: 1)))
        var configuration = Supervisor.Configuration(queues: ["default": 2])
        configuration.maintenance = false
        let old = Supervisor(
            client: client, conninfo: url, registry: JobRegistry(), configuration: configuration,
            logger: Logger(label: "old"))
        let running = Task { await old.runToEnd() }
        let ended = try await QueueTestDatabase.within(.seconds(20)) {
            while true {
                let summary = try await client.job(id: job)
                if let summary, summary.state != .available, summary.state != .running { return summary }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        old.stop()
        _ = await running.value
        #expect(ended.state == .retryable, "not cancelled for good")
        #expect(ended.attempt == 0, "a kind this process does not know costs the job no attempt")
        #expect(ended.errors.contains("deploy.new_kind"), "the history says which kind was unknown")
        // The new process is up: the job runs once it is due.
        try await client.pool.withConnection {
            try await $0.query("UPDATE bursar_jobs SET scheduled_at = now() WHERE id = $1", job)
        }
        _ = await Maintenance(client: client, holder: "m", logger: Logger(label: "t")).runOnce()
        var registry = JobRegistry()
        registry.register(NewKind())
        configuration.drain = true
        let new = Supervisor(
            client: client, conninfo: url, registry: registry, configuration: configuration,
            logger: Logger(label: "new"))
        let summary = try await QueueTestDatabase.within(.seconds(20)) { await new.runToEnd() }
        #expect(summary.completed == 1)
        #expect(try await client.job(id: job)?.state == .completed)
        await client.pool.shutdown()
    }

    /// Finding 4: a graceful stop releases the job; an operator's cancel request made while it
    /// ran outlives the release ("a cancel request outlives fail/snooze", and release too).
    @Test func releaseKeepsAnOperatorsCancel() async throws {
        let url = try await QueueTestDatabase.create()
        let client = client(url)
        let job = id(try await client.enqueue(JobInsert(kind: "x")))
        let claimed = try await client.claim(queue: "default", limit: 1, worker: "w", lease: .seconds(60))
        #expect(try await client.cancel(id: job) == .running)
        _ = try await client.release(claimed)
        #expect(try await client.job(id: job)?.state == .cancelled)
        await client.pool.shutdown()
    }

    /// Finding 5: snooze(0), then the same process claims the job again with the same id and
    /// attempt before the first run's end is recorded in memory. The first run's end must not
    /// forget the second run (no renewal, no timeout, no cancel, not awaited at shutdown).
    @Test func aReclaimedRunStaysInFlightWhenTheEarlierRunEnds() async {
        let inFlight = InFlight()
        let job = ClaimedJob(id: 7, kind: "x", queue: "q", args: "{}", attempt: 1, maxAttempts: 5)
        let first = inFlight.add(job)
        inFlight.add(job)
        inFlight.remove(first, tally: .uncounted)
        #expect(inFlight.total == 1, "the second run is still in flight")
        #expect(inFlight.count(queue: "q") == 1)
    }

    /// Finding 6: the cleaner reads only rows it may delete, however many discarded rows are
    /// retained (River: an index on `(state, finalized_at)` and a cutoff per state).
    @Test func cleanerSkipsRetainedRowsInItsIndex() async throws {
        let url = try await QueueTestDatabase.create()
        let connection = try await Connection.connect(url)
        try await connection.simpleQuery(
            """
            INSERT INTO bursar_jobs (kind, state, attempt, finalized_at)
            SELECT 'x', 'discarded', 1, now() - interval '2 days' FROM generate_series(1, 20000);
            INSERT INTO bursar_jobs (kind, state, attempt, finalized_at)
            SELECT 'x', 'completed', 1, now() - interval '2 days' FROM generate_series(1, 100);
            ANALYZE bursar_jobs
            """)
        let plan = try await connection.query(
            "EXPLAIN (ANALYZE, COSTS OFF) " + QueueDriver.cleanSQL,
            Double(24 * 3600), Double(7 * 24 * 3600), 10_000)
        let lines = try plan.map { try $0.string("QUERY PLAN") }
        let removed = lines.compactMap { line -> Int? in
            guard let range = line.range(of: "Rows Removed by Filter: ") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }.reduce(0, +)
        #expect(removed < 1000, "rows read and thrown away: \(removed)\n\(lines.joined(separator: "\n"))")
        let left = try await connection.query("SELECT count(*)::int AS n FROM bursar_jobs").first!.int("n")
        #expect(left == 20_000, "the completed rows past retention were deleted, the discarded kept")
        await connection.close()
    }

    /// Finding 7: `bursar db migrate` while old workers run. A migration that must lock the jobs
    /// table waits at most its `lock_timeout` and tries again, so claims and renewals never queue
    /// behind its lock for longer than that.
    @Test func migrationDoesNotQueueClaimsBehindItsLock() async throws {
        let url = try await QueueTestDatabase.createEmpty()
        let setup = try await Connection.connect(url)
        try await setup.simpleQuery(QueueMigrationSQL.v1)  // a database at queue version 1
        try await setup.simpleQuery("INSERT INTO bursar_jobs (kind) SELECT 'x' FROM generate_series(1, 10)")
        // An old worker's transaction holds the table (a long claim or renewal).
        let holder = try await Connection.connect(url)
        try await holder.simpleQuery("BEGIN; LOCK TABLE bursar_jobs IN ROW EXCLUSIVE MODE")
        let migrator = try await Connection.connect(url)
        let migration = Task { try await QueueSchema.migrate(on: migrator) }
        try await untilWaitingForALock(setup)
        // Another worker's statement on the table meanwhile.
        let worker = try await Connection.connect(url)
        let clock = ContinuousClock()
        let started = clock.now
        let blocked = Task {
            try await worker.query("UPDATE bursar_jobs SET attempt = attempt WHERE id = 1")
        }
        let released = Task {
            try await Task.sleep(for: .seconds(12))
            try await holder.simpleQuery("COMMIT")
        }
        _ = try await QueueTestDatabase.within(.seconds(30)) { try await blocked.value }
        let waited = started.duration(to: clock.now)
        #expect(waited < .seconds(6), "a worker's statement waited \(waited) behind the migration's lock")
        _ = try await QueueTestDatabase.within(.seconds(60)) { try await released.value }
        _ = try await QueueTestDatabase.within(.seconds(60)) { try await migration.value }
        #expect(try await QueueSchema.currentVersion(on: setup) == QueueSchema.latestVersion)
        for connection in [setup, holder, migrator, worker] { await connection.close() }
    }
}

/// Issue 22, item 8: releases at graceful stops are counted; a job interrupted at every deploy
/// is discarded at the limit instead of looping for ever.
@Suite(.enabled(if: QueueTestDatabase.available, "BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh"))
struct InterruptionLimitTests {
    @Test func aJobInterruptedAtEveryStopIsDiscardedAtTheLimit() async throws {
        let url = try await QueueTestDatabase.create()
        let client = JobQueueClient(pool: ConnectionPool(conninfo: url, size: 2))
        guard case .inserted(let job) = try await client.enqueue(JobInsert(kind: "x")) else {
            Issue.record("not inserted")
            return
        }
        for _ in 1..<QueueDriver.interruptionLimit {
            let claimed = try await client.claim(queue: "default", limit: 1, worker: "w", lease: .seconds(60))
            #expect(try await client.release(claimed) == 1)
        }
        let summary = try await client.job(id: job)
        #expect(summary?.state == .available)
        #expect(summary?.attempt == 0, "a release counts no attempt")
        let last = try await client.claim(queue: "default", limit: 1, worker: "w", lease: .seconds(60))
        _ = try await client.release(last)
        let ended = try await client.job(id: job)
        #expect(ended?.state == .discarded)
        #expect(ended?.errors.contains("shutdown deadline") == true)
        await client.pool.shutdown()
    }
}

/// Issue 22, item 8: a burst of enqueue transactions wakes a queue's workers once per interval
/// (River: 100 ms per queue), not once per transaction.
@Suite(.enabled(if: QueueTestDatabase.available, "BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh"))
struct NotifyLimitTests {
    @Test func aBurstOfEnqueuesNotifiesAQueueOncePerInterval() async throws {
        let url = try await QueueTestDatabase.create()
        let client = JobQueueClient(pool: ConnectionPool(conninfo: url, size: 2), notifyInterval: .seconds(3600))
        let notes = NotificationListener.listen(conninfo: url, channels: [JobQueueClient.channel])
        // The listener is up once a notification of its own arrives (sent until one does).
        let admin = try await Connection.connect(url)
        var iterator = notes.makeAsyncIterator()
        let ready = Task {
            while !Task.isCancelled {
                _ = try? await admin.query("SELECT pg_notify($1, 'ready')", JobQueueClient.channel)
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        #expect(await iterator.next()?.payload == "ready")
        ready.cancel()
        await ready.value
        for _ in 0..<5 { try await client.enqueue(JobInsert(kind: "x", queue: "burst")) }
        // Delivered in commit order: everything the burst sent arrives before this.
        try await admin.query("SELECT pg_notify($1, 'end')", JobQueueClient.channel)
        var burst = 0
        while let note = await iterator.next(), note.payload != "end" {
            if note.payload == "burst" { burst += 1 }
        }
        #expect(burst == 1, "one wake-up for the burst, not one per transaction")
        await admin.close()
        await client.pool.shutdown()
    }
}

/// Issue 22, item 8: a handler that cannot be cancelled does not hold a graceful stop for ever:
/// past the deadline and the abandon wait the process stops, and the job is left running to its
/// lease (a release would let another process run it while this one still does).
@Suite(.enabled(if: QueueTestDatabase.available, "BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh"))
struct BoundedShutdownTests {
    struct Empty: Codable, Sendable {}

    /// Waits 60 s on a timer no cancellation reaches (as blocking work on a thread would).
    struct Uncancellable: JobHandler {
        static let kind = "test.uncancellable"
        let started: AsyncStream<Void>.Continuation
        func run(_ job: JobRun<Empty>) async throws {
            started.yield()
            await withCheckedContinuation { continuation in
                DispatchQueue.global().asyncAfter(deadline: .now() + 60) { continuation.resume() }
            }
        }
    }

    @Test func shutdownAbandonsARunThatDoesNotStop() async throws {
        let url = try await QueueTestDatabase.create()
        let client = JobQueueClient(pool: ConnectionPool(conninfo: url, size: 2))
        guard case .inserted(let job) = try await client.enqueue(JobInsert(kind: Uncancellable.kind)) else {
            Issue.record("not inserted")
            return
        }
        let (started, signal) = AsyncStream<Void>.makeStream()
        var registry = JobRegistry()
        registry.register(Uncancellable(started: signal))
        var configuration = Supervisor.Configuration(queues: ["default": 1])
        configuration.maintenance = false
        configuration.shutdownDeadline = .milliseconds(500)
        configuration.abandonAfter = .milliseconds(500)
        let supervisor = Supervisor(
            client: client, conninfo: url, registry: registry, configuration: configuration,
            logger: Logger(label: "t"))
        let running = Task { await supervisor.runToEnd() }
        try await QueueTestDatabase.within(.seconds(20)) { for await _ in started { return } }
        supervisor.stop()
        _ = try await QueueTestDatabase.within(.seconds(15)) { await running.value }
        #expect(try await client.job(id: job)?.state == .running, "left to its lease, not released")
        await client.pool.shutdown()
    }
}
