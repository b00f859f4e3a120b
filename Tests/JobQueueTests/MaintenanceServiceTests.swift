import Foundation
import Logging
import Postgres
import Testing

@testable import JobQueue

/// The maintenance services one at a time: each pass is stepped by hand on rows written the way
/// the situation leaves them (a lease that already lapsed, a retry that is due).
@Suite(.enabled(if: QueueTestDatabase.available, "BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh"))
struct MaintenanceServiceTests {
    private func state(_ pool: ConnectionPool, _ id: Int64) async throws -> String {
        try await pool.withConnection {
            try await $0.query("SELECT state FROM bursar_jobs WHERE id = $1", id).first!.string("state")
        }
    }

    /// Inserts a job in `state`; a running one holds a lease that lapsed a minute ago (past the
    /// rescuer's grace).
    private func insert(
        _ pool: ConnectionPool, state: String, key: String? = nil, due: String = "now() - interval '1 second'"
    ) async throws -> Int64 {
        try await pool.withConnection {
            try await $0.query(
                """
                INSERT INTO bursar_jobs (kind, state, attempt, attempted_by, lease_expires_at, scheduled_at,
                                         finalized_at, unique_key)
                VALUES ('x', $1, CASE WHEN $1 = 'available' THEN 0 ELSE 1 END, 'gone',
                        CASE WHEN $1 = 'running' THEN now() - interval '1 minute' END, \(due),
                        CASE WHEN $1 = 'completed' THEN now() - interval '2 days' END, $2)
                RETURNING id
                """, state, key
            ).first!.int64("id")
        }
    }

    /// "each maintenance service must run and fail on its own": with the cleaner failing (a
    /// trigger refuses deletes), one pass still rescues and schedules.
    @Test func eachServiceRunsAndFailsOnItsOwn() async throws {
        let pool = ConnectionPool(conninfo: try await QueueTestDatabase.create(), size: 2)
        try await pool.withConnection {
            try await $0.simpleQuery(
                """
                CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql
                    AS $$ BEGIN RAISE EXCEPTION 'no deletes'; END $$;
                CREATE TRIGGER refuse BEFORE DELETE ON bursar_jobs FOR EACH ROW EXECUTE FUNCTION refuse();
                """)
        }
        let lapsed = try await insert(pool, state: "running")
        let due = try await insert(pool, state: "retryable")
        let old = try await insert(pool, state: "completed")
        let pass = await Maintenance(client: JobQueueClient(pool: pool), holder: "m", logger: Logger(label: "t"))
            .runOnce()
        #expect(pass.rescued == 1)
        #expect(pass.scheduled == 1)
        #expect(pass.cleaned == nil)
        #expect(pass.failures["cleaner"]?.contains("no deletes") == true)
        #expect(try await state(pool, lapsed) == "retryable", "rescued, to run again after a backoff")
        #expect(try await state(pool, due) == "available")
        #expect(try await state(pool, old) == "completed")
        await pool.shutdown()
    }

    /// The elected loops: while the cleaner fails every pass, the rescuer's loop still rescues.
    @Test func aFailingServiceDoesNotStopTheOthersLoops() async throws {
        let pool = ConnectionPool(conninfo: try await QueueTestDatabase.create(), size: 3)
        try await pool.withConnection {
            try await $0.simpleQuery(
                """
                CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql
                    AS $$ BEGIN RAISE EXCEPTION 'no deletes'; END $$;
                CREATE TRIGGER refuse BEFORE DELETE ON bursar_jobs FOR EACH ROW EXECUTE FUNCTION refuse();
                """)
        }
        _ = try await insert(pool, state: "completed")
        let (passes, report) = AsyncStream<(String, Bool, Int)>.makeStream()
        var configuration = Maintenance.Configuration()
        configuration.interval = .milliseconds(20)
        configuration.cleanInterval = .milliseconds(20)
        configuration.hook = { service, result in
            switch result {
            case .success(let count): report.yield((service, true, count))
            case .failure: report.yield((service, false, 0))
            }
        }
        let maintenance = Maintenance(
            client: JobQueueClient(pool: pool), holder: "m", configuration: configuration, logger: Logger(label: "t"))
        let running = Task { await maintenance.run() }
        let lapsed = try await insert(pool, state: "running")
        let seen = try await QueueTestDatabase.within(.seconds(20)) {
            var cleanerFailures = 0
            var rescued = false
            for await (service, ok, count) in passes {
                if service == "cleaner" && !ok { cleanerFailures += 1 }
                if service == "rescuer" && ok && count == 1 { rescued = true }
                if rescued && cleanerFailures >= 2 { return true }
            }
            return false
        }
        #expect(seen, "the rescuer rescued while the cleaner failed")
        #expect(try await state(pool, lapsed) == "retryable")
        running.cancel()
        await running.value
        await pool.shutdown()
    }

    /// The rescuer and the scheduler take at most their batch per pass.
    @Test func passesAreBatched() async throws {
        let pool = ConnectionPool(conninfo: try await QueueTestDatabase.create(), size: 2)
        for _ in 0..<5 { _ = try await insert(pool, state: "running") }
        for _ in 0..<3 { _ = try await insert(pool, state: "scheduled") }
        let rescuer = Rescuer(pool: pool, batchLimit: 2)
        #expect(try await rescuer.runOnce() == 2)
        #expect(try await rescuer.runOnce() == 2)
        #expect(try await rescuer.runOnce() == 1)
        #expect(try await rescuer.runOnce() == 0)
        let scheduler = Scheduler(pool: pool, batchLimit: 2)
        #expect(try await scheduler.runOnce() == 2)
        #expect(try await scheduler.runOnce() == 1)
        await pool.shutdown()
    }

    /// "A keyed job that fails while a duplicate waits: maintenance keeps running, both end
    /// correctly." A database that applied the old schema may hold such a pair; the queue's
    /// migration keeps both jobs (the later loses its key) and every transition then succeeds.
    @Test func keyedJobFailingBesideAWaitingDuplicateFromTheOldSchema() async throws {
        let url = try await QueueTestDatabase.createEmpty()
        let pool = ConnectionPool(conninfo: url, size: 2)
        // As db/migrations/001 left it.
        try await pool.withConnection { try await $0.simpleQuery(QueueMigrationSQL.v1) }
        let client = JobQueueClient(pool: pool)
        // The old insert, whose conflict target was the old index: it let the duplicate in.
        let oldInsert = """
            INSERT INTO bursar_jobs (kind, unique_key) VALUES ('x', 'k')
            ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND state IN ('available', 'scheduled', 'retryable')
                DO NOTHING
            """
        let first = try await pool.withConnection { try await $0.query(oldInsert).affectedRows }
        // Claimed as the old binary did (the claim function came with queue migration 5).
        let claimedRow = try await pool.withConnection {
            try await $0.query(
                """
                UPDATE bursar_jobs SET state = 'running', attempt = 1, attempted_at = now(), attempted_by = 'w',
                    lease_expires_at = now() + interval '30 seconds'
                WHERE unique_key = 'k' RETURNING id, kind, queue, args, attempt, max_attempts
                """
            ).first!
        }
        let running = [try ClaimedJob(row: claimedRow)]
        let duplicate = try await pool.withConnection { try await $0.query(oldInsert).affectedRows }
        #expect(first == 1 && duplicate == 1)
        let applied = try await pool.withConnection { try await QueueSchema.migrate(on: $0) }
        #expect(applied.count == QueueSchema.latestVersion - 1, "adopted at version 1, then the later versions")
        #expect(try await client.fail(running[0], message: "boom", retryIn: .zero))
        let pass = await Maintenance(client: client, holder: "m", logger: Logger(label: "t")).runOnce()
        #expect(pass.failures.isEmpty)
        let both = try await client.claim(queue: "default", limit: 5, worker: "w", lease: .seconds(30))
        #expect(both.count == 2)
        #expect(try await client.complete(both) == 2)
        await pool.shutdown()
    }
}
