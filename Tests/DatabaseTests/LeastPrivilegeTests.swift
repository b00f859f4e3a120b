import Foundation
import Lifecycle
import Postgres
import Store
import Testing

/// Issue 27's acceptance: the sample's life runs through the CLI as the deployed logins (the
/// officer's `bursar_cli` submits, runs payments, clears flags, imports lists; the worker's
/// `bursard` drains), and then each reproduction of the review is tried as each login: every one
/// is refused or harmless, and the audit trail and the decisions are what they were.
@Suite("Least privilege: the real logins", .enabled(if: databaseAvailable, "needs scripts/test.sh"))
struct LeastPrivilegeTests {
    typealias T = PaymentSettlementTests

    /// A migrated database where the sample lived through its first two payment months, all of
    /// it as the real logins; S-08's stipend stays held (a low GPA nobody cleared).
    struct Lived {
        let database: Database
        let logins: RealLogins
        let folder: URL
    }

    static func lived() async throws -> Lived {
        let database = try await TestDatabase.migrated()
        let logins = try await RealLogins.create(for: database)
        let sample = TestDatabase.shared.appendingPathComponent("examples/tgp-2026-sample")
        let folder = try ServiceAcceptanceTests.privateFolder()
        func officer(_ arguments: [String]) throws {
            let result = try RealLogins.bursar(arguments, as: logins.officer)
            #expect(result.status == 0, "\(arguments.prefix(2)) as bursar_cli: \(result.error)")
        }
        func drain() throws {
            let result = try RealLogins.bursar(["drain"], as: logins.worker)
            #expect(result.status == 0, "drain as bursard: \(result.error)")
        }
        try officer(["submit", sample.appendingPathComponent("batch.ndjson").path])
        try drain()
        // Issue 25: without a bank account, owed months are held awaiting_account.
        try officer(["accounts", "import", TestDatabase.sampleAccounts.path])
        let events = folder.appendingPathComponent("events.ndjson")
        try [
            T.admitted("S-01-base"), T.arrived("S-01-base", on: "2026-03-28"),
            T.admitted("S-07-partner-only"), T.arrived("S-07-partner-only", on: "2026-03-28"),
            T.report("S-07-partner-only", on: "2026-03-29", term: "2025-2", gpa: "2.10"),
            T.admitted("S-08-sister-city"), T.arrived("S-08-sister-city", on: "2026-03-28"),
            T.report("S-08-sister-city", on: "2026-03-29", term: "2025-2", gpa: "2.10"),
        ]
        .joined(separator: "\n").write(to: events, atomically: true, encoding: .utf8)
        try officer(["events", "submit", events.path])
        try drain()
        try officer(["payments", "run", "--month", "2026-04", "--folder", folder.path])
        try officer(["flags", "clear", "S-07-partner-only", Scholarship.lowGPAFlag, "--reason", "recovery plan agreed"])
        let exclusions = sample.appendingPathComponent("exclusions.csv").path
        try officer(["exclusions", "import", exclusions, "--program", "tgp-2026"])
        try drain()
        try officer(["payments", "run", "--month", "2026-05", "--folder", folder.path])
        return Lived(database: database, logins: logins, folder: folder)
    }

    /// What must not move: the trail (rows, last id), the decisions as exported, payments, runs,
    /// lists and scholarships, read as the superuser.
    static func snapshot(_ database: Database) async throws -> [String] {
        try await database.pool.withConnection { connection in
            try await connection.query(
                """
                SELECT (SELECT count(*) || ' ' || max(id) FROM audit_log) AS t
                UNION ALL SELECT (SELECT string_agg(id || outcome, ',' ORDER BY id) FROM decisions)
                UNION ALL SELECT (SELECT string_agg(
                    applicant_id || month || amount_yen || status || coalesce(run_id, 0), ',' ORDER BY
                    applicant_id, month)
                    FROM payments)
                UNION ALL SELECT (SELECT string_agg(id || coalesce(bank_file, '') || coalesce(written_at::text, ''), ','
                                                    ORDER BY id) FROM payment_runs)
                UNION ALL SELECT (SELECT string_agg(family_name || birth_date, ',' ORDER BY family_name)
                                  FROM exclusion_entries)
                UNION ALL SELECT (SELECT count(*)::text FROM partners)
                UNION ALL SELECT (SELECT string_agg(state::text, ',' ORDER BY applicant_id) FROM scholarships)
                UNION ALL SELECT (SELECT string_agg(family_name, ',' ORDER BY applicant_id) FROM applicants)
                UNION ALL SELECT (SELECT max(version)::text FROM bursar_queue_migrations)
                """
            ).map { try $0.optionalString("t") ?? "" }
        }
    }

    /// What a stolen worker password tried in the review, and the rest of what would matter.
    static let workerAttempts = [
        // Finding 1: the stored path, the amount, the name that reaches a shell.
        "UPDATE payment_runs SET written_at = NULL, bank_file = '/root/.bash_login'",
        "UPDATE payments SET amount_yen = 9999999",
        "UPDATE applicants SET family_name = 'Jaidee$(touch /tmp/owned)'",
        "UPDATE applications SET family_name = 'Jaidee$(touch /tmp/owned)'",
        "UPDATE applicants SET latest_revision = latest_revision",
        // S-08's May is held (a low GPA nobody cleared): held months are no rows since the ledger
        // of paid months (issue 21); paying one means inserting it outside a run.
        "INSERT INTO payments (program, applicant_id, month, amount_yen, status, run_month, run_id) "
            + "VALUES ('tgp-2026', 'S-08-sister-city', '2026-05', 150000, 'paid', '2026-05', 2)",
        "UPDATE payments SET status = 'due' WHERE status = 'paid'",
        "UPDATE payments SET run_id = NULL",
        """
        INSERT INTO payments (program, applicant_id, month, amount_yen, status, run_month)
        VALUES ('tgp-2026', 'S-02-too-young', '2026-04', 9999999, 'due', '2026-04')
        """,
        "INSERT INTO payment_runs (program, month, paid, held, total_yen) VALUES ('tgp-2026', '2026-06', 0, 0, 0)",
        "DELETE FROM payments", "DELETE FROM payment_runs",
        // Money through the scholarship the officer's next run pays from.
        "UPDATE scholarships SET state = jsonb_set(state, '{monthlyYen}', '9999999')",
        "UPDATE scholarships SET state = jsonb_set(state, '{lastPaymentMonth}', '\"2040-03\"')",
        "UPDATE scholarships SET state = jsonb_set(state, '{scheduledLastMonth}', '\"2040-03\"')",
        // Finding 3: decisions and the office's lists.
        "UPDATE decisions SET outcome = 'eligible' WHERE applicant_id = 'S-02-too-young'",
        "DELETE FROM decisions WHERE applicant_id = 'S-02-too-young'",
        "TRUNCATE decisions",
        """
        INSERT INTO decisions (id, program, applicant_id, revision, outcome, categories, failed, review, conditions,
                               rule_set, trace)
        VALUES (9000000000, 'tgp-2026', 'S-02-too-young', 1, 'eligible', '{}', '{}', '{}', '{}', 'tgp-2026@1', '{}')
        """,
        """
        INSERT INTO decisions (program, applicant_id, revision, outcome, categories, failed, review, conditions,
                               rule_set, trace, decided_at)
        VALUES ('tgp-2026', 'S-02-too-young', 1, 'eligible', '{}', '{}', '{}', '{}', 'tgp-2026@1', '{}', '2100-01-01')
        """,
        "SELECT setval('decisions_id_seq', 9000000000)",
        "UPDATE exclusion_entries SET family_name = 'Someone Else'",
        "DELETE FROM exclusion_entries",
        """
        INSERT INTO exclusion_entries (program, list, family_name, given_name, birth_date, citizenship, clause,
                                       reference)
        VALUES ('tgp-2026', 'mext-alumni', 'A', 'B', '2000-01-01', 'TH', 'x', 'x')
        """,
        "UPDATE exclusion_lists SET entries = 0", "UPDATE partners SET name = 'Nowhere University'",
        "DELETE FROM partners",
        "INSERT INTO partner_decisions (program, spelling_key, spelling, partner) VALUES ('tgp-2026', 'x', 'x', 'x')",
        "UPDATE programs SET definition = '{}'", "DELETE FROM duplicate_resolutions",
        """
        INSERT INTO program_data_versions (program, kind, version, change, snapshot)
        VALUES ('tgp-2026', 'exclusions', 99, 'x', '[]')
        """,
        "UPDATE lifecycle_events SET body = '{}'",
        """
        INSERT INTO lifecycle_events (program, applicant_id, type, body)
        VALUES ('tgp-2026', 'S-01-base', 'termination', '{}')
        """,
        "UPDATE flag_actions SET reason = 'x'", "DELETE FROM flag_actions",
        // Finding 6: the audit trail, the queue's schema version, code and DDL.
        "INSERT INTO audit_log (id, action) VALUES (1, 'forged')",
        "INSERT INTO audit_log (action, at) VALUES ('forged', '2000-01-01')",
        "INSERT INTO audit_log (action, db_role) VALUES ('forged', 'bursar_cli')",
        "INSERT INTO audit_log (action, os_user) VALUES ('forged', E'officer\\n2026-04-01 payments.run by os:officer')",
        "UPDATE audit_log SET reason = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log",
        "SELECT count(*) FROM audit_log",
        "INSERT INTO bursar_queue_migrations (version, name) VALUES (99, 'skip the next queue migration')",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
        "CREATE FUNCTION public.worker_code() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        "COPY bursar_workers (worker_id) FROM PROGRAM 'id'",
        "CREATE TABLE public.worker_made (id int)",
    ]

    /// What a stolen officer password must still not do: rewrite history or money after the fact.
    static let officerAttempts = [
        "UPDATE decisions SET outcome = 'eligible' WHERE applicant_id = 'S-02-too-young'",
        "DELETE FROM decisions",
        "UPDATE payments SET amount_yen = 9999999",
        "UPDATE payments SET status = 'due' WHERE status = 'paid'",
        "DELETE FROM payments",
        "UPDATE payment_runs SET written_at = NULL",
        "UPDATE payment_runs SET bank_file = '/root/.bash_login'",
        "UPDATE payment_runs SET total_yen = 0",
        """
        INSERT INTO payments (program, applicant_id, month, amount_yen, status, run_month, run_id)
        VALUES ('tgp-2026', 'S-02-too-young', '2026-04', 9999999, 'paid', '2026-04', 1)
        """,
        "UPDATE scholarships SET state = jsonb_set(state, '{monthlyYen}', '9999999')",
        "INSERT INTO audit_log (id, action) VALUES (1, 'forged')",
        "UPDATE audit_log SET reason = 'x'", "DELETE FROM audit_log",
        "DELETE FROM program_data_versions", "UPDATE flag_actions SET reason = 'x'",
        "INSERT INTO bursar_queue_migrations (version, name) VALUES (99, 'skip the next queue migration')",
        "ALTER TABLE decisions DISABLE TRIGGER decisions_append_only",
    ]

    @Test("each reproduction as bursard and as bursar_cli is refused; the trail, decisions and money stay as they were")
    func reproductionsAreRefused() async throws {
        let lived = try await Self.lived()
        defer { try? FileManager.default.removeItem(at: lived.folder) }
        let before = try await Self.snapshot(lived.database)
        let tries = [(lived.logins.worker, Self.workerAttempts), (lived.logins.officer, Self.officerAttempts)]
        for (login, attempts) in tries {
            let connection = try await Connection.connect(login)
            for statement in attempts {
                await #expect(throws: PostgresError.self, "\(statement) must be refused") {
                    try await connection.simpleQuery(statement)
                }
            }
            await connection.close()
        }
        #expect(try await Self.snapshot(lived.database) == before)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/owned"))

        // The officer's next run: paid once, its file in its folder only.
        let next = try RealLogins.bursar(
            ["payments", "run", "--month", "2026-06", "--folder", lived.folder.path],
            as: lived.logins.officer)
        #expect(next.status == 0, "\(next.error)")
        let files = try BankFileTests.csvFiles(lived.folder)
        #expect(
            files == [
                "tgp-2026-2026-04-run1-bank-transfer.csv", "tgp-2026-2026-05-run2-bank-transfer.csv",
                "tgp-2026-2026-06-run3-bank-transfer.csv",
            ])
        let juneFile = try #require(files.count == 3 ? files[2] : nil, "the June run wrote its file")
        let june = try String(contentsOf: lived.folder.appendingPathComponent(juneFile), encoding: .utf8)
        #expect(!june.contains("9999999") && june.split(separator: "\n").count == 3, "\(june)")
        await lived.database.close()
    }

    @Test("the logins sign in with scram passwords: a wrong one is refused")
    func loginsUsePasswords() async throws {
        let database = try await TestDatabase.migrated()
        let logins = try await RealLogins.create(for: database)
        let wrong = try RealLogins.url(database.conninfo, user: "bursard", password: "not-the-password")
        await #expect(throws: PostgresError.self) { try await Connection.connect(wrong) }
        let connection = try await Connection.connect(logins.worker)
        let me = try await connection.query("SELECT current_user AS u").first!.string("u")
        #expect(me == "bursard")
        await connection.close()
        let stored = try await database.pool.withConnection {
            try await $0.query(
                """
                SELECT rolpassword LIKE 'SCRAM-SHA-256$%' AS scram FROM pg_authid WHERE rolname = 'bursard'
                """
            ).first!.bool("scram")
        }
        #expect(stored)
        await database.close()
    }

    /// Migration 035: whoever inserts (the owner too), the database numbers and stamps the row.
    @Test("audit ids, times and roles are the database's, even for the owner")
    func auditRowsAreStampedByTheDatabase() async throws {
        let database = try await TestDatabase.migrated()
        try await database.pool.withConnection { connection in
            try await connection.simpleQuery("INSERT INTO audit_log (action) VALUES ('first')")
            try await connection.simpleQuery(
                """
                INSERT INTO audit_log (id, at, db_role, action) VALUES (1, '2000-01-01', 'bursar_cli', 'forged')
                """)
            let rows = try await connection.query(
                """
                SELECT id, action, at > now() - interval '1 hour' AS recent, db_role FROM audit_log ORDER BY id
                """)
            let actions = try rows.map { try $0.string("action") }
            #expect(actions.suffix(2) == ["first", "forged"], "a forged id does not sort first")
            #expect(try rows.allSatisfy { try $0.bool("recent") && $0.optionalString("db_role") == "postgres" })
            await #expect(throws: PostgresError.self) {
                try await connection.simpleQuery(
                    """
                    INSERT INTO audit_log (action, actor) VALUES ('x', E'Ms A\\nforged line')
                    """)
            }
        }
        await database.close()
    }

    /// The documented flow on a fresh PostgreSQL 15 database: a superuser runs deploy/roles.sql in
    /// it, `bursar db migrate` runs as `bursar_migrate` (not a superuser), and the worker reads.
    @Test("the bursar_migrate flow of deploy/roles.sql migrates a fresh database")
    func migrateLoginFlow() async throws {
        let url = try await TestDatabase.create()
        let database = Database.connect(conninfo: url, home: TestDatabase.repository, poolSize: 2)
        let logins = try await RealLogins.create(for: database)
        let password = "pw-\(UUID().uuidString)"
        let admin = try await Connection.connect(url)
        try await admin.simpleQuery(
            """
            SET password_encryption = 'scram-sha-256'; ALTER ROLE bursar_migrate PASSWORD '\(password)'
            """)
        await admin.close()
        let migrate = try RealLogins.url(url, user: "bursar_migrate", password: password)
        let migrated = try RealLogins.bursar(["db", "migrate"], as: migrate)
        #expect(migrated.status == 0, "\(migrated.error)")
        let status = try RealLogins.bursar(["status", "--json"], as: logins.worker)
        #expect(status.status == 0, "\(status.error)")
        let owners = try await database.pool.withConnection {
            try await $0.query(
                """
                SELECT DISTINCT tableowner::text AS o FROM pg_tables WHERE schemaname = 'public'
                """
            ).map { try $0.string("o") }
        }
        #expect(owners == ["bursar_owner"])
        await database.close()
    }
}
