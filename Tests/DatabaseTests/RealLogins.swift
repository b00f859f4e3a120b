import Foundation
import Postgres
import Store

/// The logins of `deploy/roles.sql` — `bursard` in bursar_worker, `bursar_cli` in bursar_officer —
/// with scram passwords, as a deployment has them (scripts/test.sh asks these names for
/// scram-sha-256 over TCP, so a wrong password is refused). Roles are cluster-wide: each use
/// runs deploy/roles.sql (which creates them when missing) and gives them a new password.
struct RealLogins {
    /// `DATABASE_URL` of the worker login.
    let worker: String
    /// `DATABASE_URL` of the officer login.
    let officer: String

    static func create(for database: Database) async throws -> RealLogins {
        // The roles as a deployment makes them: deploy/roles.sql, run by a superuser in the database.
        let bin = ProcessInfo.processInfo.environment["BURSAR_TEST_PG_BIN"] ?? "/usr/bin"
        let roles = TestDatabase.repository.appendingPathComponent("deploy/roles.sql").path
        let made = try TestDatabase.run([
            bin + "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
            "-d", database.conninfo, "-f", roles,
        ])
        guard made.status == 0 else { throw ScenarioError("deploy/roles.sql: \(made.error)") }
        let password = "pw-\(UUID().uuidString)"  // generated here, not user data
        try await database.pool.withConnection { connection in
            try await connection.simpleQuery(
                """
                SET password_encryption = 'scram-sha-256';
                ALTER ROLE bursard PASSWORD '\(password)';
                ALTER ROLE bursar_cli PASSWORD '\(password)';
                """)
        }
        return RealLogins(
            worker: try url(database.conninfo, user: "bursard", password: password),
            officer: try url(database.conninfo, user: "bursar_cli", password: password))
    }

    /// `conninfo` with another user and password.
    static func url(_ conninfo: String, user: String, password: String) throws -> String {
        guard var parts = URLComponents(string: conninfo) else { throw ScenarioError("not a URL: the test database") }
        parts.user = user
        parts.password = password
        guard let url = parts.string else { throw ScenarioError("cannot build the login's URL") }
        return url
    }

    /// `bursar ARGS` as `login`.
    @discardableResult
    static func bursar(
        _ arguments: [String],
        as login: String
    ) throws -> (status: Int32, output: String, error: String) {
        try TestDatabase.run(
            [TestDatabase.bursar] + arguments,
            environment: ["DATABASE_URL": login, "BURSAR_HOME": TestDatabase.repository.path])
    }
}
