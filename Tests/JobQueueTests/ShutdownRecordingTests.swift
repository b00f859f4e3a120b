import Foundation
import Logging
import Postgres
import Synchronization
import Testing

@testable import JobQueue

/// Issue 22: a run is its handler's task alone (no second task awaiting it), so a graceful stop
/// cannot wait on the runs' tasks; it waits on the in-flight count — which must cover a run
/// whose handler returned but whose end is still being written, or the stop shuts the queue's
/// pool under those writes and the jobs stay `running` until their leases lapse.
@Suite(.enabled(if: QueueTestDatabase.available, "BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh"))
struct ShutdownRecordingTests {
    struct Empty: Codable, Sendable {}
    struct Refused: Error {}

    /// Holds every run until it is opened.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

        func wait() async {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.open { return true }
                    state.waiting.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }

        func open() {
            let waiting = state.withLock { state in
                state.open = true
                defer { state.waiting = [] }
                return state.waiting
            }
            for continuation in waiting { continuation.resume() }
        }
    }

    /// Says it started, waits for the gate, then fails: its end is a `fail` written to the queue.
    struct FailsAfterGate: JobHandler {
        static let kind = "test.fails-after-gate"
        let started: AsyncStream<Void>.Continuation
        let gate: Gate
        func run(_ job: JobRun<Empty>) async throws {
            started.yield()
            await gate.wait()
            throw Refused()
        }
    }

    @Test func aStopReturnsOnlyOnceEveryRunsEndIsWritten() async throws {
        let url = try await QueueTestDatabase.create()
        let client = JobQueueClient(pool: ConnectionPool(conninfo: url, size: 2))
        let jobs = 60
        _ = try await client.pool.withTransaction { connection in
            try await client.enqueue((0..<jobs).map { _ in JobInsert(kind: FailsAfterGate.kind) }, on: connection)
        }
        let (started, startedSignal) = AsyncStream<Void>.makeStream()
        let gate = Gate()
        var registry = JobRegistry()
        registry.register(FailsAfterGate(started: startedSignal, gate: gate))
        var configuration = Supervisor.Configuration(queues: ["default": jobs])
        configuration.maintenance = false
        let supervisor = Supervisor(
            client: client, conninfo: url, registry: registry, configuration: configuration,
            logger: Logger(label: "t"))
        let running = Task { await supervisor.runToEnd() }
        try await QueueTestDatabase.within(.seconds(20)) {
            var count = 0
            for await _ in started {
                count += 1
                if count == jobs { return }
            }
        }
        supervisor.stop()
        gate.open()
        let summary = try await QueueTestDatabase.within(.seconds(20)) { await running.value }
        #expect(summary.failed == jobs)
        let rows = try await client.pool.withConnection { connection in
            try await connection.query(
                "SELECT count(*)::int AS n FROM bursar_jobs WHERE state = 'running'")
        }
        #expect(try rows.first?.int("n") == 0, "every failed run's end was written before the stop returned")
        await client.pool.shutdown()
    }
}

/// The reason a run was stopped decides how its end is recorded: a graceful stop's cancel
/// (released) must not become a timeout (a failed attempt) when the deadline passes before the
/// cancelled handler throws — as it did while the stop's cancel left no reason behind.
@Suite struct ShutdownStopReasonTests {
    final class Cancels: Sendable {
        let count = Mutex(0)
    }

    @Test func aStopsCancelOutlivesTheDeadlineThatPassesAfterIt() {
        let inFlight = InFlight()
        let job = ClaimedJob(id: 7, kind: "x", queue: "q", args: "{}", attempt: 1, maxAttempts: 5)
        let token = inFlight.add(job)
        let cancels = Cancels()
        let now = ContinuousClock.now
        inFlight.attach(token, deadline: now + .seconds(1), cancel: { cancels.count.withLock { $0 += 1 } })
        inFlight.cancelRuns(queue: "q")
        inFlight.stopOverdue(at: now + .seconds(2))
        #expect(inFlight.stopReason(token) == .shuttingDown)
        #expect(cancels.count.withLock { $0 } == 1, "cancelled once")
    }

    @Test func aRunAttachedAfterTheStopIsCancelledAtOnce() {
        let inFlight = InFlight()
        let job = ClaimedJob(id: 8, kind: "x", queue: "q", args: "{}", attempt: 1, maxAttempts: 5)
        let token = inFlight.add(job)
        inFlight.cancelRuns(queue: "q")
        let cancels = Cancels()
        inFlight.attach(token, deadline: .now + .seconds(60), cancel: { cancels.count.withLock { $0 += 1 } })
        #expect(cancels.count.withLock { $0 } == 1)
    }
}
