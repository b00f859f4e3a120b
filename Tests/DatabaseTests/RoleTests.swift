import Foundation
import JobQueue
import Postgres
import Store
import Testing

/// The least-privilege roles of migration 029 (issue 14): a login in `bursar_worker` runs every
/// statement `bursard` runs and nothing more.
@Suite(.enabled(if: databaseAvailable, "needs scripts/test.sh"))
struct RoleTests {
    /// A fresh login role in `group` (roles are cluster-wide: the name is random) and the
    /// database URL that logs in with it.
    private func login(in group: String, database: Database) async throws -> (name: String, url: String) {
        let name = "bursar_t_login_\(UInt32.random(in: 0...UInt32.max))"
        // A scram password: scripts/test.sh asks every member of bursar_officer for one (the console's officers).
        let password = "pw-\(UUID().uuidString)"
        try await database.pool.withConnection { connection in
            // generated name and password, not user data
            try await connection.simpleQuery(
                """
                SET password_encryption = 'scram-sha-256';
                CREATE ROLE \(name) LOGIN PASSWORD '\(password)' IN ROLE \(group)
                """)
        }
        var parts = try #require(URLComponents(string: database.conninfo))
        parts.user = name
        parts.password = password
        return (name, try #require(parts.string))
    }

    private func drop(_ role: String, database: Database) async throws {
        try await database.pool.withConnection { try await $0.simpleQuery("DROP ROLE IF EXISTS \(role)") }
    }

    /// The worker role cannot UPDATE or DELETE audit rows, cannot run DDL, cannot write the
    /// schema version; it can append to the trail.
    @Test func workerCannotChangeAuditRowsOrRunDDL() async throws {
        let database = try await TestDatabase.migrated()
        let worker = try await login(in: "bursar_worker", database: database)
        let connection = try await Connection.connect(worker.url)
        try await connection.query("INSERT INTO audit_log (action) VALUES ('worker.test')")
        // The worker appends to the trail but does not read it (migration 035): read as the superuser.
        let mine = try await database.pool.withConnection {
            try await $0.query("SELECT db_role FROM audit_log WHERE action = 'worker.test'")
                .first?.optionalString("db_role")
        }
        #expect(mine == worker.name, "the database stamps the role that wrote the row")
        let refused = [
            "UPDATE audit_log SET reason = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log",
            "CREATE TABLE worker_made (id int)", "DROP TABLE decisions", "ALTER TABLE applications ADD COLUMN x int",
            "CREATE INDEX worker_index ON decisions (id)", "DELETE FROM decisions", "DELETE FROM schema_migrations",
            "INSERT INTO schema_migrations (version, name, checksum) VALUES (999, 'x', 'x')",
        ]
        for statement in refused {
            await #expect(throws: PostgresError.self, "\(statement) must be refused") {
                try await connection.simpleQuery(statement)
            }
        }
        await connection.close()
        try await drop(worker.name, database: database)
        await database.close()
    }

    /// Every statement of the worker works under it: an officer login submits the sample batch
    /// (enqueue), `bursar drain` as the worker claims, runs and completes the jobs (reads
    /// applications, writes document checks and decisions, maintenance); the queue's own calls
    /// (enqueue, claim, complete, fail) work through the client as well.
    @Test func workerAndOfficerStatementsWorkUnderTheirRoles() async throws {
        let database = try await TestDatabase.migrated()
        let officer = try await login(in: "bursar_officer", database: database)
        let worker = try await login(in: "bursar_worker", database: database)
        let sample = TestDatabase.shared.appendingPathComponent("examples/tgp-2026-sample/batch.ndjson").path
        let environment = { (url: String) in ["DATABASE_URL": url, "BURSAR_HOME": TestDatabase.repository.path] }
        let submitted = try TestDatabase.run(
            [TestDatabase.bursar, "submit", sample], environment: environment(officer.url))
        #expect(submitted.status == 0, "\(submitted.error)")
        let drained = try TestDatabase.run([TestDatabase.bursar, "drain"], environment: environment(worker.url))
        #expect(drained.status == 0, "\(drained.error)")
        let counts = try await database.pool.withConnection { connection in
            try await connection.query(
                """
                SELECT (SELECT count(*)::int FROM applications) AS applications,
                       (SELECT count(DISTINCT applicant_id)::int FROM decisions) AS decided,
                       (SELECT count(*)::int FROM bursar_jobs WHERE state NOT IN ('completed')) AS unfinished
                """
            ).first!
        }
        #expect(try counts.int("applications") > 0)
        #expect(try counts.int("decided") == (try counts.int("applications")))
        #expect(try counts.int("unfinished") == 0)

        let pool = ConnectionPool(conninfo: worker.url, size: 2)
        let client = JobQueueClient(pool: pool)
        _ = try await client.enqueue(JobInsert(kind: "role.test", queue: "role-test"))
        _ = try await client.enqueue(JobInsert(kind: "role.test", queue: "role-test"))
        let claimed = try await client.claim(queue: "role-test", limit: 2, worker: "role-test", lease: .seconds(10))
        #expect(claimed.count == 2)
        #expect(try await client.complete([claimed[0]]) == 1)
        try await client.fail(claimed[1], message: "role test", retryIn: .seconds(1))
        let statuses = try TestDatabase.run(
            [TestDatabase.bursar, "status", "--json"], environment: environment(worker.url))
        #expect(statuses.status == 0, "\(statuses.error)")
        await pool.shutdown()
        try await drop(officer.name, database: database)
        try await drop(worker.name, database: database)
        await database.close()
    }
}
