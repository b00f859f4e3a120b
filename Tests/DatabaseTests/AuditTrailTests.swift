import Foundation
import Postgres
import Store
import Testing

/// The audit trail (issue 14, interface §5 `bursar audit`): who did what, append-only.
@Suite(.enabled(if: databaseAvailable, "needs scripts/test.sh"))
struct AuditTrailTests {
    /// An officer action leaves one row with its reason and who (OS user, database role, `--as`),
    /// and `bursar audit --json` reads it back.
    @Test func officerActionLeavesOneRowWithReasonAndWho() async throws {
        let database = try await TestDatabase.migrated()
        let confirmed = try TestDatabase.bursar(
            [
                "--as", "Officer Hanako", "partners", "confirm", "IIT KGP",
                "--partner", "Indian Institute of Technology Kharagpur",
                "--reason", "registrar confirmed the spelling", "--program", "tgp-2026",
            ], database: database)
        #expect(confirmed.status == 0, "\(confirmed.error)")
        let rows = try await database.pool.withConnection { connection in
            try await connection.query(
                "SELECT reason, actor, os_user, db_role FROM audit_log WHERE action = 'partners.confirm'")
        }
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(try row.optionalString("reason") == "registrar confirmed the spelling")
        #expect(try row.optionalString("actor") == "Officer Hanako")
        #expect(try row.optionalString("os_user") == AuditLog.operatingSystemUser)
        #expect(try row.optionalString("db_role") == "postgres")

        let listed = try TestDatabase.bursar(["audit", "--json", "--since", "2000-01-01"], database: database)
        #expect(listed.status == 0, "\(listed.error)")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
        let confirm = try #require(entries.first { $0["action"] as? String == "partners.confirm" })
        #expect(confirm["reason"] as? String == "registrar confirmed the spelling")
        #expect(confirm["actor"] as? String == "Officer Hanako")
        #expect(confirm["db_role"] as? String == "postgres")
        let future = try TestDatabase.bursar(["audit", "--json", "--since", "2999-01-01"], database: database)
        #expect(future.output.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        await database.close()
    }

    /// The trail is append-only for everyone, the owner and a superuser included: UPDATE, DELETE
    /// and TRUNCATE are refused by the database; the role is stamped by it, not the client.
    @Test func rowsCannotBeChangedEvenByTheOwner() async throws {
        let database = try await TestDatabase.migrated()
        try await database.pool.withConnection { connection in
            try await connection.query("INSERT INTO audit_log (action, db_role) VALUES ('test.action', 'someone_else')")
            let role = try await connection.query("SELECT db_role FROM audit_log WHERE action = 'test.action'").first?
                .optionalString("db_role")
            #expect(role == "postgres")
            await #expect(throws: PostgresError.self) {
                try await connection.query("UPDATE audit_log SET reason = 'rewritten'")
            }
            await #expect(throws: PostgresError.self) { try await connection.query("DELETE FROM audit_log") }
            await #expect(throws: PostgresError.self) { try await connection.simpleQuery("TRUNCATE audit_log") }
            let count = try await connection.query(
                "SELECT count(*)::int AS n FROM audit_log WHERE action = 'test.action'"
            ).first!.int("n")
            #expect(count == 1)
        }
        await database.close()
    }
}
