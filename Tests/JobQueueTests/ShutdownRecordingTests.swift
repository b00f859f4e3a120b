import Foundation
import JobQueue
import Logging
import Postgres
import Synchronization
import Testing

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
