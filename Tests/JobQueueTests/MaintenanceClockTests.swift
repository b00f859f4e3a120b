import Foundation
import Logging
import Postgres
import Testing

@testable import JobQueue

/// The maintenance loops on an injected clock: each service passes when *its* interval has gone
/// by on the clock it was given, and at no other time — stepped by the test, never slept.
@Suite(.enabled(if: QueueTestDatabase.available, "BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh"))
struct MaintenanceClockTests {
    private func state(_ pool: ConnectionPool, _ id: Int64) async throws -> String? {
        try await pool.withConnection {
            try await $0.query("SELECT state FROM bursar_jobs WHERE id = $1", id).first?.string("state")
        }
    }

    /// A running job whose lease lapsed a minute ago (its process died), past the rescuer's grace.
    private func lapsed(_ pool: ConnectionPool) async throws -> Int64 {
        try await pool.withConnection {
            try await $0.query(
                """
                INSERT INTO bursar_jobs (kind, state, attempt, attempted_by, lease_expires_at)
                VALUES ('x', 'running', 1, 'gone', now() - interval '1 minute') RETURNING id
                """
            ).first!.int64("id")
        }
    }

    /// A job completed two days ago, past the default retention of a day.
    private func oldCompleted(_ pool: ConnectionPool) async throws -> Int64 {
        try await pool.withConnection {
            try await $0.query(
                """
                INSERT INTO bursar_jobs (kind, state, attempt, finalized_at)
                VALUES ('x', 'completed', 1, now() - interval '2 days')
                RETURNING id
                """
            ).first!.int64("id")
        }
    }

    @Test func eachServicePassesWhenItsIntervalPassesOnTheInjectedClock() async throws {
        let pool = ConnectionPool(conninfo: try await QueueTestDatabase.create(), size: 3)
        let clock = ManualClock()
        // Each pass with the clock's time, so that passes of an earlier round are told apart.
        let (passes, report) = AsyncStream<(service: String, count: Int, at: Duration)>.makeStream()
        var configuration = Maintenance.Configuration()
        configuration.interval = .seconds(3600)
        configuration.cleanInterval = .seconds(7200)
        configuration.leaderLease = .seconds(24 * 3600)
        configuration.hook = { service, result in
            if case .success(let count) = result { report.yield((service, count, clock.now.offset)) }
        }
        let maintenance = Maintenance(
            client: JobQueueClient(pool: pool), holder: "m", configuration: configuration, logger: Logger(label: "t"))
        let running = Task { await maintenance.run(clock: clock) }
        // The elector and the three loops asleep: the first election (and any first passes) are done.
        try await QueueTestDatabase.within(.seconds(30)) { await clock.waitForSleepers(4) }
        #expect(maintenance.elector.isLeader)
        let job = try await lapsed(pool)
        let old = try await oldCompleted(pool)

        // A second short of the interval: nothing wakes, nothing is rescued.
        clock.advance(by: .seconds(3599))
        try await QueueTestDatabase.within(.seconds(30)) { await clock.waitForSleepers(4) }
        #expect(try await state(pool, job) == "running")

        // The interval: the rescuer and the scheduler pass; the cleaner (2 hours) does not.
        clock.advance(by: .seconds(1))
        let firstRound = try await QueueTestDatabase.within(.seconds(30)) {
            var seen: [String: Int] = [:]
            for await pass in passes where pass.at == .seconds(3600) {
                seen[pass.service] = pass.count
                if seen["rescuer"] == 1 && seen["scheduler"] != nil { return seen }
            }
            return seen
        }
        #expect(firstRound["rescuer"] == 1)
        try await QueueTestDatabase.within(.seconds(30)) { await clock.waitForSleepers(4) }
        #expect(try await state(pool, job) == "retryable", "rescued, to run again after a backoff")
        #expect(try await state(pool, old) == "completed")

        // Another hour: the cleaner's interval has passed; it deletes the old job.
        clock.advance(by: .seconds(3600))
        let cleaned = try await QueueTestDatabase.within(.seconds(30)) {
            for await pass in passes where pass.service == "cleaner" && pass.at == .seconds(7200) { return pass.count }
            return -1
        }
        #expect(cleaned == 1)
        #expect(try await state(pool, old) == nil)

        running.cancel()
        await running.value
        await pool.shutdown()
    }
}
