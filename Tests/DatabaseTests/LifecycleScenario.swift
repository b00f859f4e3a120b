import Foundation
import Lifecycle
import Postgres
import Store
import Workers

@testable import BursarApp

/// A fresh database holding the public sample, decided, and the CLI as an officer runs it:
/// events, payment runs, flags, through the same commands (the `bursar` executable) or the same
/// functions those commands call.
struct LifecycleScenario {
    let database: Database
    /// Where this scenario's bank-transfer files go.
    let folder: URL

    /// With `accounts`, every sample applicant has a bank account (issue 25: without one, owed
    /// months are held `awaiting_account`).
    static func start(accounts: Bool = true) async throws -> LifecycleScenario {
        let database = try await TestDatabase.migrated()
        let batch = TestDatabase.shared.appendingPathComponent("examples/tgp-2026-sample/batch.ndjson")
        _ = try TestDatabase.bursar(["submit", batch.path], database: database)
        if accounts {
            _ = try TestDatabase.bursar(["accounts", "import", TestDatabase.sampleAccounts.path], database: database)
        }
        let scenario = LifecycleScenario(
            database: database,
            folder: FileManager.default.temporaryDirectory.appendingPathComponent("pay-\(UUID().uuidString)"))
        try await scenario.drain()
        return scenario
    }

    func finish() async {
        try? FileManager.default.removeItem(at: folder)
        await database.close()
    }

    /// `bursar ARGS`.
    @discardableResult
    func cli(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try TestDatabase.bursar(arguments, database: database)
    }

    /// `bursar events submit` of these NDJSON lines, then the workers until idle.
    @discardableResult
    func events(_ lines: String...) async throws -> (status: Int32, output: String, error: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString).ndjson")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try cli(["events", "submit", file.path])
        try await drain()
        return result
    }

    /// The workers, in this process, until no job is runnable (what `bursar drain` runs).
    func drain() async throws {
        _ = try await WorkerProcess.drain(database: database, concurrency: nil)
    }

    /// `bursar payments run --month MONTH --json`, decoded.
    func run(_ month: String) throws -> RunOutput {
        // Runs are dated in the scenario's time: the month itself is "today" (interface §3 refuses later months).
        let result = try cli([
            "payments", "run", "--month", month, "--folder", folder.path, "--json", "--today", "\(month)-28",
        ])
        guard result.status == 0 else {
            throw ScenarioError("payments run \(month) exited \(result.status): \(result.error)")
        }
        return try JSONDecoder().decode(RunOutput.self, from: Data(result.output.utf8))
    }

    /// `bursar payments show ID --json`, as month → status.
    func show(_ applicantID: String) throws -> [String: String] {
        let result = try cli(["payments", "show", applicantID, "--json"])
        guard result.status == 0 else { throw ScenarioError("payments show exited \(result.status): \(result.error)") }
        let shown = try JSONDecoder().decode(ShowOutput.self, from: Data(result.output.utf8))
        return Dictionary(uniqueKeysWithValues: shown.lines.map { ($0.month, $0.status) })
    }

    /// Every line of every bank-transfer file written, as "applicant month amount".
    func transferred() throws -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var lines: [String] = []
        for name in files where name.hasSuffix("-bank-transfer.csv") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n").dropFirst() {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                lines.append("\(cells[0]) \(cells[3]) \(cells[4])")
            }
        }
        return lines.sorted()
    }

    /// What the decisions helper does when a re-decision finds a (10) clause worse: record the
    /// flag raised, holding from the month after the latest run.
    func raiseEligibilityChanged(_ applicantID: String) async throws {
        try await database.pool.withTransaction { connection in
            let month = try await EligibilityWatch.flagMonth(
                program: "tgp-2026", applicantID: applicantID, on: connection)
            try await LifecycleStore.recordFlag(
                program: "tgp-2026", applicantID: applicantID, flag: Scholarship.eligibilityChangedFlag,
                action: "raised", reason: "test: (10) found after acceptance", month: month, on: connection)
        }
    }

    /// A statement's single integer.
    func count(_ sql: String, _ parameters: any PostgresBindable...) async throws -> Int {
        try await database.pool.withConnection { try await $0.query(sql, parameters).first!.int("n") }
    }
}

struct ScenarioError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `payments run --json` as the interface §3 fixes it.
struct RunOutput: Decodable {
    struct Paid: Decodable, Equatable {
        let applicant_id: String
        let month: String
        let amount_yen: Int
    }
    struct Unpaid: Decodable {
        let applicant_id: String
        let month: String
        let amount_yen: Int
        let reason: String
    }
    let program: String
    let month: String
    let paid: [Paid]
    let held: [Unpaid]
    let due: [Unpaid]
    let voided: [Unpaid]
    let bank_file: String?

    func paidMonths(_ applicantID: String) -> [String] { paid.filter { $0.applicant_id == applicantID }.map(\.month) }
}

/// `payments show --json`.
struct ShowOutput: Decodable {
    struct Line: Decodable {
        let month: String
        let amount_yen: Int
        let status: String
    }
    let applicant_id: String
    let lines: [Line]
}
