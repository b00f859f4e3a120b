import Foundation
import JobQueue
import Logging
import Postgres
import Store
import XCTest

/// The job queue in one process against a real PostgreSQL.
final class QueueTests: XCTestCase {
    struct Empty: Codable, Sendable {}
    struct Tag: Codable, Sendable { let tag: String }

    struct Failing: JobHandler {
        static let kind = "test.failing"
        struct Failure: Error, CustomStringConvertible { var description: String { "deliberate failure" } }
        func run(_ job: JobRun<Empty>) async throws { throw Failure() }
    }

    struct Sleeper: JobHandler {
        static let kind = "test.sleeper"
        var timeout: Duration { .seconds(1) }
        func run(_ job: JobRun<Empty>) async throws { try await Task.sleep(nanoseconds: 30_000_000_000) }
    }

    actor Order {
        var tags: [String] = []
        func add(_ t: String) { tags.append(t) }
    }

    struct Recorder: JobHandler {
        static let kind = "test.recorder"
        let order: Order
        func run(_ job: JobRun<Tag>) async throws { await order.add(job.arguments.tag) }
    }

    private func supervisor(
        _ database: Database, _ registry: JobRegistry, queue: String = "default", concurrency: Int = 4,
        drain: Bool = true,
        retry: RetryPolicy = RetryPolicy(base: .milliseconds(50), maximum: .milliseconds(200), jitter: 0)
    ) -> Supervisor {
        var configuration = Supervisor.Configuration(queues: [queue: concurrency])
        configuration.drain = drain
        configuration.retry = retry
        configuration.pollInterval = .milliseconds(200)
        return Supervisor(
            client: database.queue, conninfo: database.conninfo, registry: registry, configuration: configuration,
            logger: Logger(label: "test"))
    }

    private func state(_ database: Database, _ id: Int64) async throws -> JobSummary {
        try await database.queue.job(id: id)!
    }

    private func insertedID(_ result: EnqueueResult) -> Int64 {
        if case .inserted(let id) = result { return id }
        XCTFail("expected an insert")
        return -1
    }

    func testRetriesBackOffThenDiscardWithErrorHistory() async throws {
        let database = try await TestDatabase.migrated()
        var registry = JobRegistry()
        registry.register(Failing())
        let id = insertedID(try await database.queue.enqueue(JobInsert(kind: Failing.kind, maxAttempts: 3)))
        let start = Date()
        _ = await supervisor(database, registry).runToEnd()
        let job = try await state(database, id)
        XCTAssertEqual(job.state, .discarded)
        XCTAssertEqual(job.attempt, 3)
        let history = try JSONSerialization.jsonObject(with: Data(job.errors.utf8)) as! [[String: Any]]
        XCTAssertEqual(history.count, 3)
        XCTAssertEqual(history.map { $0["attempt"] as? Int }, [1, 2, 3])
        XCTAssertEqual(history.first?["message"] as? String, "deliberate failure")
        // Backoff: 0.05 s then 0.1 s must have passed between the attempts.
        XCTAssertGreaterThan(Date().timeIntervalSince(start), 0.15)
        XCTAssertEqual(
            RetryPolicy(base: .seconds(2), maximum: .seconds(3600), jitter: 0).delay(afterAttempt: 4), .seconds(16))
        XCTAssertEqual(
            RetryPolicy(base: .seconds(2), maximum: .seconds(10), jitter: 0).delay(afterAttempt: 10), .seconds(10),
            "capped")
        await database.close()
    }

    func testUniqueKeyMakesSecondInsertANoOp() async throws {
        let database = try await TestDatabase.migrated()
        let first = try await database.queue.enqueue(JobInsert(kind: "x", uniqueKey: "k1"))
        let second = try await database.queue.enqueue(JobInsert(kind: "x", uniqueKey: "k1"))
        XCTAssertNotEqual(first, .duplicate)
        XCTAssertEqual(second, .duplicate)
        let third = try await database.queue.enqueue(JobInsert(kind: "x", uniqueKey: "k2"))
        XCTAssertNotEqual(third, .duplicate)
        await database.close()
    }

    func testDelayedJobWaitsForItsTime() async throws {
        let database = try await TestDatabase.migrated()
        let id = insertedID(
            try await database.queue.enqueue(JobInsert(kind: "x", scheduledAt: Date().addingTimeInterval(1.5))))
        let claimedEarly = try await database.queue.claim(queue: "default", limit: 10, worker: "t", lease: .seconds(10))
        XCTAssertTrue(claimedEarly.isEmpty)
        let scheduledState = try await state(database, id).state
        XCTAssertEqual(scheduledState, .scheduled)
        try await Task.sleep(nanoseconds: 1_600_000_000)
        let maintenance = Maintenance(client: database.queue, holder: "t", logger: Logger(label: "t"))
        _ = await maintenance.runOnce()
        let claimed = try await database.queue.claim(queue: "default", limit: 10, worker: "t", lease: .seconds(10))
        XCTAssertEqual(claimed.map(\.id), [id])
        await database.close()
    }

    func testPrioritiesAreClaimedFirst() async throws {
        let database = try await TestDatabase.migrated()
        let order = Order()
        var registry = JobRegistry()
        registry.register(Recorder(order: order))
        for (tag, priority) in [("low", 200), ("high", 1), ("mid", 100)] {
            try await database.queue.enqueue(
                try JobInsert(kind: Recorder.kind, arguments: Tag(tag: tag), priority: priority))
        }
        _ = await supervisor(database, registry, concurrency: 1).runToEnd()
        let tags = await order.tags
        XCTAssertEqual(tags, ["high", "mid", "low"])
        await database.close()
    }

    func testStopWhenIdleFinishesWhatIsQueuedWhileEnqueueing() async throws {
        let database = try await TestDatabase.migrated()
        let order = Order()
        var registry = JobRegistry()
        registry.register(Recorder(order: order))
        // A running (non-drain) supervisor sees an empty queue first; jobs arrive in waves while it
        // runs; once told to stop when idle it finishes every one of them and returns.
        let supervisor = supervisor(database, registry, concurrency: 4, drain: false)
        async let summary = supervisor.runToEnd()
        for wave in 0..<5 {
            try await Task.sleep(nanoseconds: 100_000_000)
            let jobs = try (0..<40).map { try JobInsert(kind: Recorder.kind, arguments: Tag(tag: "\(wave)-\($0)")) }
            _ = try await database.pool.withTransaction { try await database.queue.enqueue(jobs, on: $0) }
        }
        supervisor.stopWhenIdle()
        let completed = await summary.completed
        XCTAssertEqual(completed, 200)
        let tags = await order.tags
        XCTAssertEqual(Set(tags).count, 200, "each job ran once")
        XCTAssertEqual(tags.count, 200)
        await database.close()
    }

    func testPausedQueueIsNotClaimedUntilResumed() async throws {
        let database = try await TestDatabase.migrated()
        try await database.queue.setPaused(true, queue: "default")
        try await database.queue.enqueue(JobInsert(kind: "x"))
        let whilePaused = try await database.queue.claim(queue: "default", limit: 5, worker: "t", lease: .seconds(10))
        XCTAssertTrue(whilePaused.isEmpty)
        try await database.queue.setPaused(false, queue: "default")
        let afterResume = try await database.queue.claim(queue: "default", limit: 5, worker: "t", lease: .seconds(10))
        XCTAssertEqual(afterResume.count, 1)
        await database.close()
    }

    func testCancelWaitingAndRunningJobs() async throws {
        let database = try await TestDatabase.migrated()
        let waiting = insertedID(try await database.queue.enqueue(JobInsert(kind: "x", queue: "other")))
        let cancelledState = try await database.queue.cancel(id: waiting)
        XCTAssertEqual(cancelledState, .available)
        let waitingNow = try await state(database, waiting).state
        XCTAssertEqual(waitingNow, .cancelled)

        var registry = JobRegistry()
        registry.register(LongSleeper())
        let running = insertedID(try await database.queue.enqueue(JobInsert(kind: LongSleeper.kind)))
        var configuration = Supervisor.Configuration(queues: ["default": 2])
        configuration.lease = .milliseconds(600)  // renewals (which carry cancel requests) every 0.2 s
        configuration.drain = true
        let supervisor = Supervisor(
            client: database.queue, conninfo: database.conninfo, registry: registry, configuration: configuration,
            logger: Logger(label: "t"))
        async let summary = supervisor.runToEnd()
        let started = try await TestDatabase.eventually(5) { try await self.state(database, running).state == .running }
        XCTAssertTrue(started)
        let before = try await database.queue.cancel(id: running)
        XCTAssertEqual(before, .running)
        _ = await summary
        let finalState = try await state(database, running).state
        XCTAssertEqual(finalState, .cancelled, "the running job saw cancellation")
        await database.close()
    }

    struct LongSleeper: JobHandler {
        static let kind = "test.long"
        var timeout: Duration { .seconds(60) }
        func run(_ job: JobRun<Empty>) async throws { try await Task.sleep(nanoseconds: 30_000_000_000) }
    }

    func testTimeoutCancelsAStuckJob() async throws {
        let database = try await TestDatabase.migrated()
        var registry = JobRegistry()
        registry.register(Sleeper())
        let id = insertedID(try await database.queue.enqueue(JobInsert(kind: Sleeper.kind, maxAttempts: 1)))
        let start = Date()
        _ = await supervisor(database, registry).runToEnd()
        XCTAssertLessThan(Date().timeIntervalSince(start), 10, "the 1 s timeout ended the 30 s job")
        let job = try await state(database, id)
        XCTAssertEqual(job.state, .discarded)
        XCTAssertTrue(job.errors.contains("timed out"), job.errors)
        await database.close()
    }

    /// A late attempt cannot complete a job that was rescued and claimed again.
    func testCompletionIsGuardedByTheClaimingAttempt() async throws {
        let database = try await TestDatabase.migrated()
        try await database.queue.enqueue(JobInsert(kind: "x"))
        let first = try await database.queue.claim(queue: "default", limit: 1, worker: "a", lease: .milliseconds(200))[
            0]
        // The lease lapsed longer ago than the rescuer's grace; the rescued job is due at once.
        try await database.pool.withConnection {
            try await $0.query(
                "UPDATE bursar_jobs SET lease_expires_at = now() - interval '1 minute' WHERE id = $1", first.id)
        }
        let maintenance = Maintenance(client: database.queue, holder: "m", logger: Logger(label: "t"))
        let pass = await maintenance.runOnce()
        XCTAssertEqual(pass.rescued, 1, "the expired lease was rescued")
        try await database.pool.withConnection {
            try await $0.query("UPDATE bursar_jobs SET scheduled_at = now() WHERE id = $1", first.id)
        }
        _ = await maintenance.runOnce()
        let second = try await database.queue.claim(queue: "default", limit: 1, worker: "b", lease: .seconds(10))[0]
        XCTAssertEqual(second.id, first.id)
        XCTAssertEqual(second.attempt, 2)
        let late = try await database.pool.withConnection { try await database.queue.complete(first, on: $0) }
        XCTAssertFalse(late, "the rescued attempt may not complete the job")
        let current = try await database.pool.withConnection { try await database.queue.complete(second, on: $0) }
        XCTAssertTrue(current)
        await database.close()
    }
}
