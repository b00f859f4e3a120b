import Foundation
import Postgres
import Screening
import Store
import Testing

/// Bank files the way a payroll writes them (issue 27 findings 1, 2 and 6; issue 26 finding 5):
/// created exclusively under the run's own name in the configured folder only, never at a stored
/// path; a planted file refuses the run before anything is paid; a folder others may write is
/// refused; a program that does not exist never reaches a path; a month with nothing new to pay
/// writes no file. The officer's runs go through `bursar` as `bursar_cli`.
@Suite("Bank files", .enabled(if: databaseAvailable, "needs scripts/test.sh"))
struct BankFileTests {
    typealias T = PaymentSettlementTests

    /// The sample decided, S-01 admitted and arrived; the officer's login; a private folder.
    static func start() async throws -> (s: LifecycleScenario, officer: String, folder: URL) {
        let s = try await LifecycleScenario.start()
        try await s.events(T.admitted("S-01-base"), T.arrived("S-01-base", on: "2026-03-28"))
        let logins = try await RealLogins.create(for: s.database)
        let folder = try ServiceAcceptanceTests.privateFolder()
        return (s, logins.officer, folder)
    }

    static func paid(_ s: LifecycleScenario) async throws -> Int {
        try await s.count("SELECT count(*)::int AS n FROM payments WHERE status = 'paid'")
    }

    /// `payments run --month MONTH --folder FOLDER` as the officer.
    static func run(
        _ month: String, folder: URL,
        as officer: String
    ) throws -> (status: Int32, output: String, error: String) {
        try RealLogins.bursar(["payments", "run", "--month", month, "--folder", folder.path], as: officer)
    }

    static func csvFiles(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".csv") }.sorted()
    }

    @Test("a file planted under the next run's name: the run fails clearly and pays nothing; then once")
    func plantedFileRefusesTheRun() async throws {
        let (s, officer, folder) = try await Self.start()
        defer { try? FileManager.default.removeItem(at: folder) }
        let nextRun = try await s.count(
            """
            SELECT (CASE WHEN is_called THEN last_value + 1 ELSE last_value END)::int AS n FROM payment_runs_id_seq
            """)
        let name = BankTransferFile.name(program: "tgp-2026", month: "2026-04", runID: Int64(nextRun))
        let planted = folder.appendingPathComponent(name)
        let forged = "\(BankTransferFile.header)\nS-01-base,Jaidee,Kritsada Siriporn,2026-04,9999999\n"
        try forged.write(to: planted, atomically: false, encoding: .utf8)
        let refused = try Self.run("2026-04", folder: folder, as: officer)
        #expect(refused.status == 1)
        #expect(refused.error.contains("already in") && refused.error.contains("Nothing was paid"), "\(refused.error)")
        #expect(try await Self.paid(s) == 0)
        #expect(try await s.count("SELECT count(*)::int AS n FROM payment_runs") == 0)
        #expect(try String(contentsOf: planted, encoding: .utf8) == forged, "left for the officer to examine")

        try FileManager.default.removeItem(at: planted)
        let run = try Self.run("2026-04", folder: folder, as: officer)
        #expect(run.status == 0, "\(run.error)")
        #expect(try await Self.paid(s) == 1)
        let again = try Self.run("2026-04", folder: folder, as: officer)
        #expect(again.status == 0 && again.output.contains("nothing new to pay"), "\(again.output)")
        #expect(!again.output.contains("bank-transfer file: "))
        #expect(try Self.csvFiles(folder).count == 1, "no header-only file for a month with nothing new")
        #expect(try await Self.paid(s) == 1)
        await s.finish()
    }

    @Test("a stopped run's file is rewritten under its name in the folder; a stored path changed by hand is ignored")
    func storedPathIsIgnored() async throws {
        let (s, officer, folder) = try await Self.start()
        defer { try? FileManager.default.removeItem(at: folder) }
        let stopped = try await s.database.pool.withTransaction {
            try await PaymentStore.run(program: "tgp-2026", month: YearMonth(iso: "2026-04")!, folder: folder, on: $0)
        }
        let elsewhere = folder.appendingPathComponent("elsewhere/.bash_login")
        // By hand, as the superuser with triggers off: what no login may do.
        try await s.database.pool.withConnection { connection in
            try await connection.simpleQuery("SET session_replication_role = replica")
            try await connection.query(
                "UPDATE payment_runs SET bank_file = $1, written_at = NULL WHERE id = $2",
                elsewhere.path, stopped.id)
            try await connection.simpleQuery("SET session_replication_role = origin")
        }
        let next = try Self.run("2026-05", folder: folder, as: officer)
        #expect(next.status == 0, "\(next.error)")
        #expect(!FileManager.default.fileExists(atPath: elsewhere.path))
        #expect(!FileManager.default.fileExists(atPath: elsewhere.deletingLastPathComponent().path), "no folder made")
        let stoppedName = stopped.bankFile.lastPathComponent
        #expect(try Self.csvFiles(folder) == [stoppedName, "tgp-2026-2026-05-run2-bank-transfer.csv"])
        #expect(try s.transferred().isEmpty, "the scenario's own folder is unused")
        let april = try String(contentsOf: folder.appendingPathComponent(stoppedName), encoding: .utf8)
        #expect(april == "\(BankTransferFile.header)\nS-01-base,Jaidee,Kritsada Siriporn,2026-04,150000\n")
        #expect(try await Self.paid(s) == 2)
        await s.finish()
    }

    @Test("a folder others may write is refused before anything is paid")
    func sharedFolderIsRefused() async throws {
        let (s, officer, folder) = try await Self.start()
        defer { try? FileManager.default.removeItem(at: folder) }
        chmod(folder.path, 0o777)
        let refused = try Self.run("2026-04", folder: folder, as: officer)
        #expect(refused.status == 1)
        #expect(refused.error.contains("written by group or others"), "\(refused.error)")
        #expect(try await s.count("SELECT count(*)::int AS n FROM payment_runs") == 0)
        await s.finish()
    }

    @Test("--program names an existing program, never a path")
    func programIsValidated() async throws {
        let (s, officer, folder) = try await Self.start()
        defer { try? FileManager.default.removeItem(at: folder) }
        for program in ["nope", "../../escaped"] {
            let arguments = ["payments", "run", "--month", "2026-04", "--program", program, "--folder", folder.path]
            let refused = try RealLogins.bursar(arguments, as: officer)
            #expect(refused.status == 1, "\(program)")
            #expect(refused.error.contains("no program"), "\(refused.error)")
        }
        #expect(try await s.count("SELECT count(*)::int AS n FROM payment_runs") == 0)
        #expect(try Self.csvFiles(folder).isEmpty)
        #expect(
            !FileManager.default.fileExists(
                atPath: folder.deletingLastPathComponent().deletingLastPathComponent()
                    .appendingPathComponent("escaped-2026-04-run1-bank-transfer.csv").path))
        await s.finish()
    }

    @Test("export -o writes 0600 and says in words what is wrong with a folder")
    func exportFiles() async throws {
        let (s, officer, folder) = try await Self.start()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("decisions.csv")
        let written = try RealLogins.bursar(["export", "decisions", "--format", "csv", "-o", target.path], as: officer)
        #expect(written.status == 0, "\(written.error)")
        let mode = try FileManager.default.attributesOfItem(atPath: target.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let toFolder = try RealLogins.bursar(["export", "decisions", "-o", folder.path], as: officer)
        #expect(toFolder.status == 1)
        #expect(toFolder.error.contains("is a folder"), "\(toFolder.error)")
        #expect(!toFolder.error.contains("NSCocoaErrorDomain"), "\(toFolder.error)")
        await s.finish()
    }
}
