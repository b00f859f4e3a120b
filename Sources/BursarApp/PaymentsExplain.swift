import ArgumentParser
import Foundation
import History
import Lifecycle
import Screening
import Store

/// `bursar payments explain APPLICANT_ID YYYY-MM [--lang en|ja] [--json]` (interface §7): the chain
/// behind one stipend line.
struct PaymentsExplain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "The chain behind one stipend line: the run (or why not paid), the events, the admitting "
            + "decision, the clauses.",
        discussion: "Example: bursar payments explain S-01-base 2026-04 --lang ja")
    @Argument(help: "The applicant id.") var applicantID: String
    @Argument(help: "The month, YYYY-MM.") var month: String
    @OptionGroup var options: ProgramOption
    @Option(help: "Language: en or ja.") var lang: String = "en"
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        guard let month = YearMonth(iso: month) else {
            throw CLI.usageError("the month must be YYYY-MM, e.g. 2026-04")
        }
        guard let language = History.Language(rawValue: lang) else {
            throw CLI.usageError("--lang must be en or ja")
        }
        try await Runner.withDatabase { database in
            let program = try await Runner.program(options.program, database: database)
            let standing = try await Self.standing(
                program: program, applicantID: applicantID, month: month,
                database: database)
            let explanation = try await PaymentExplainer(database: database)
                .explain(program: program, applicantID: applicantID, month: month.description, standing: standing)
            printLine(json ? explanation.json(language) : explanation.text(language))
        }
    }

    /// The adapter to the lifecycle: how the month stands (status, amount, why, the paying run).
    /// The one place `payments explain` reads the lifecycle's view of a line.
    static func standing(
        program: String, applicantID: String, month: YearMonth,
        database: Database
    ) async throws -> PaymentStanding {
        try await database.pool.withConnection { connection in
            // The fold of the scholarship's events against the ledger of paid months (issue 21).
            let positions = try await PaymentStore.positions(
                program: program, applicantID: applicantID,
                on: connection)
            guard let position = positions.first else {
                throw BursarError.notFound("\(applicantID) has no scholarship in \(program) (not admitted yet?)")
            }
            guard let line = position.lines.first(where: { $0.month == month }) else {
                throw BursarError.notFound("\(month) is not a month of \(applicantID)'s scholarship")
            }
            var run: PaymentRunFacts?
            if let id = position.paid[month]?.runID,
                let facts = try await HistoryStore.paymentRun(id: id, on: connection)
            {
                run = PaymentRunFacts(id: id, month: facts.month, ranAt: facts.ranAt, bankFile: facts.bankFile)
            }
            return PaymentStanding(status: line.status.rawValue, amountYen: line.yen, reason: line.reason, run: run)
        }
    }
}
