import Foundation
import Logging
import Postgres
import Synchronization
import Testing

@testable import JobQueue

/// Issue 22, the bench line: a busy queue is claimed by two lanes at once. They share the
/// queue's limit through reservations, so the limit holds whatever the lanes do.
@Suite struct ClaimReservationTests {
    private func job(_ id: Int64) -> ClaimedJob {
        ClaimedJob(id: id, kind: "k", queue: "q", args: "{}", attempt: 1, maxAttempts: 3)
    }

    @Test func twoLanesNeverReserveMoreThanTheLimit() {
        let inFlight = InFlight()
        let first = inFlight.reserve(queue: "q", limit: 7, atMost: 4, atLeast: 1)
        let second = inFlight.reserve(queue: "q", limit: 7, atMost: 4, atLeast: 1)
        #expect(first == 4)
        #expect(second == 3, "only what the first left")
        #expect(inFlight.reserve(queue: "q", limit: 7, atMost: 4, atLeast: 1) == 0)
        // The first claim found two jobs: its other two slots are free again.
        _ = inFlight.add([job(1), job(2)], queue: "q", reservation: first, leaseValidUntil: .now + .seconds(30))
        #expect(inFlight.reserve(queue: "q", limit: 7, atMost: 4, atLeast: 1) == 2)
        #expect(!inFlight.isBusy(queue: "q"), "a claim that got less than it asked for: the queue is drained")
    }

    @Test func theRunThatFreesTheSlotsAWaitingRunnerWantsWakesIt() {
        let inFlight = InFlight()
        let reservation = inFlight.reserve(queue: "q", limit: 4, atMost: 4, atLeast: 1)
        let tokens = inFlight.add(
            (1...4).map(job), queue: "q", reservation: reservation,
            leaseValidUntil: .now + .seconds(30))
        #expect(inFlight.isBusy(queue: "q"))
        // The runner waits for two free slots.
        #expect(inFlight.reserve(queue: "q", limit: 4, atMost: 4, atLeast: 2) == 0)
        #expect(inFlight.remove(tokens[0], tally: .completed) == false, "one slot: not yet")
        #expect(inFlight.remove(tokens[1], tally: .completed) == true, "two: wake it")
        #expect(inFlight.remove(tokens[2], tally: .completed) == false, "woken once")
        #expect(inFlight.remove(tokens[3], tally: .completed) == true, "nothing left in flight: a stop waits for that")
        #expect(inFlight.completed == 4)
    }
}

/// The supervisor's lanes against a real PostgreSQL: several processes' worth of supervisors on
/// one queue, each under its limit, every job run once.
@Suite(.enabled(if: QueueTestDatabase.available, "BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh"))
struct ClaimLaneTests {
    /// Counts the runs in flight in this process and the most seen at once.
    final class Gauge: Sendable {
        private let state = Mutex((now: 0, peak: 0, runs: [Int64: Int]()))
        func enter(_ id: Int64) {
            state.withLock {
                $0.now += 1
                $0.peak = max($0.peak, $0.now)
                $0.runs[id, default: 0] += 1
            }
        }
        func leave() { state.withLock { $0.now -= 1 } }
        var peak: Int { state.withLock { $0.peak } }
        var runs: [Int64: Int] { state.withLock { $0.runs } }
    }

    struct Slow: JobHandler {
        struct Arguments: Codable, Sendable {}
        static let kind = "test.slow"
        let gauge: Gauge
        func run(_ job: JobRun<Arguments>) async throws {
            gauge.enter(job.job.id)
            defer { gauge.leave() }
            try await Task.sleep(for: .milliseconds(Int.random(in: 1...5)))
        }
    }

    @Test func lanesKeepEachSupervisorUnderItsLimitAndRunEveryJobOnce() async throws {
        let url = try await QueueTestDatabase.create()
        let client = JobQueueClient(pool: ConnectionPool(conninfo: url, size: 4))
        let jobs = 3000
        for start in stride(from: 0, to: jobs, by: 1000) {
            try await client.pool.withTransaction { connection in
                try await client.enqueue((start..<start + 1000).map { _ in JobInsert(kind: Slow.kind) }, on: connection)
            }
        }
        let limits = [7, 1, 20]
        let gauges = limits.map { _ in Gauge() }
        let summaries = try await QueueTestDatabase.within(.seconds(120)) {
            try await withThrowingTaskGroup(of: Supervisor.Summary.self) { group in
                for (limit, gauge) in zip(limits, gauges) {
                    var registry = JobRegistry()
                    registry.register(Slow(gauge: gauge))
                    var configuration = Supervisor.Configuration(queues: ["default": limit])
                    configuration.drain = true
                    configuration.maintenance = false
                    let supervisor = Supervisor(
                        client: client, conninfo: url, registry: registry,
                        configuration: configuration, logger: Logger(label: "lanes"))
                    group.addTask { await supervisor.runToEnd() }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(summaries.map(\.completed).reduce(0, +) == jobs)
        for (limit, gauge) in zip(limits, gauges) {
            #expect(gauge.peak <= limit, "at most \(limit) at once")
        }
        #expect(gauges[2].peak > 10, "more than one claim's batch (10) in flight at once")
        var runs: [Int64: Int] = [:]
        for gauge in gauges { runs.merge(gauge.runs, uniquingKeysWith: +) }
        #expect(runs.count == jobs)
        #expect(runs.values.allSatisfy { $0 == 1 }, "no job ran twice")
        let left = try await client.pool.withConnection {
            try await $0.query("SELECT count(*)::int AS n FROM bursar_jobs WHERE state <> 'completed'").first!.int("n")
        }
        #expect(left == 0)
        await client.pool.shutdown()
    }
}
