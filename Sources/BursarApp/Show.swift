import ArgumentParser
import Foundation
import Screening
import Store

/// `bursar show ID`: the full decision trace, for a person.
struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain an applicant's current decision clause by clause.",
        discussion: "Example: bursar show S-01-base; bursar show S-01-base --program tgp-2026 --json")

    @Argument(help: "The applicant id.")
    var applicantID: String

    @OptionGroup var options: ProgramOption

    @Flag(help: "Print as JSON.")
    var json = false

    /// `show --json`: the exported record (interface §2), the program, how many decisions were
    /// made for the applicant, and the full trace.
    struct Report: Encodable {
        let decision: StoredJSON
        let program: String
        let decisionsMade: Int
        let trace: StoredJSON

        enum CodingKeys: String, CodingKey {
            case decision, program, trace
            case decisionsMade = "decisions_made"
        }
    }

    func run() async throws {
        try await Runner.withDatabase { database in
            let store = DecisionStore(database: database)
            let (record, trace, decidedAt, program) = try await store.current(
                program: options.program ?? ProgramOption.environmentDefault,
                applicantID: applicantID)
            let history = try await store.historyCount(program: program, applicantID: applicantID)
            if json {
                printLine(
                    try CLI.json(
                        Report(
                            decision: StoredJSON(record.json), program: program, decisionsMade: history,
                            trace: StoredJSON(trace?.json ?? "null"))))
                return
            }
            guard let trace else {
                printLine(
                    "Applicant \(applicantID) (\(program)), revision \(record.revision): pending — not processed yet "
                        + "(run `bursar drain`)."
                )
                return
            }
            let when = decidedAt.map { ISO8601DateFormatter().string(from: $0) } ?? "?"
            let name = try await ReviewStore(database: database).name(program: program, applicantID: applicantID)
                .map { [$0.given, $0.family].filter { !$0.isEmpty }.joined(separator: " ") }
            printLine(
                DecisionReport.render(
                    record: record, trace: trace, decidedAt: when, applicant: name, explain: CountryName.naming))
            if history > 1 { printLine("\n(\(history) decisions recorded for this applicant; this is the latest.)") }
        }
    }
}
