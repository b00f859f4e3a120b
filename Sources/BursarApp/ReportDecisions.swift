import ArgumentParser
import Formats
import Foundation
import Screening
import Store

/// `bursar report decisions`: each applicant's latest decision counted by outcome and by clause.
struct ReportDecisions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decisions",
        abstract: "Decisions summarised: applicants by outcome of their latest decision; clauses failed or in review.",
        discussion: """
            Without --program every program's decisions are counted together. --csv prints rows kind,key,count \
            (kind is outcome, failed or review).
            Example: bursar report decisions --program tgp-2026 --json
            """)

    @Option(help: "The program (default: every program).") var program: String?
    @Flag(help: "Print as JSON.") var json = false
    @Flag(help: "Print as CSV.") var csv = false

    /// `report decisions --json`.
    struct Output: Encodable {
        struct Clause: Encodable {
            let failed: Int
            let review: Int
        }

        let program: String?
        let applicants: Int
        let byOutcome: [String: Int]
        let byClause: [String: Clause]

        enum CodingKeys: String, CodingKey {
            case program, applicants
            case byOutcome = "by_outcome"
            case byClause = "by_clause"
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(program, forKey: .program)  // null: every program
            try container.encode(applicants, forKey: .applicants)
            try container.encode(byOutcome, forKey: .byOutcome)
            try container.encode(byClause, forKey: .byClause)
        }
    }

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv cannot be given together") }
    }

    func run() async throws {
        let report = try await Runner.withDatabase { database in
            if let program { _ = try await ProgramStore(database: database).program(program) }
            return try await database.pool.withConnection { try await DecisionReport.make(program: program, on: $0) }
        }
        if json {
            let byClause = report.clauses.map { ($0.clause, Output.Clause(failed: $0.failed, review: $0.review)) }
            printLine(
                try CLI.json(
                    Output(
                        program: report.program, applicants: report.applicants,
                        byOutcome: Dictionary(uniqueKeysWithValues: report.outcomes.map { ($0.outcome, $0.count) }),
                        byClause: Dictionary(uniqueKeysWithValues: byClause))))
        } else if csv {
            printLine(CSV.row(["kind", "key", "count"]))
            for o in report.outcomes { printLine(CSV.row(["outcome", o.outcome, "\(o.count)"])) }
            for c in report.clauses where c.failed > 0 { printLine(CSV.row(["failed", c.clause, "\(c.failed)"])) }
            for c in report.clauses where c.review > 0 { printLine(CSV.row(["review", c.clause, "\(c.review)"])) }
        } else {
            let program = report.program ?? "every program"
            printLine("decisions of \(program): \(Wording.count(report.applicants, "applicant"))")
            printLine("by outcome:")
            for o in report.outcomes { printLine("  \(o.outcome): \(o.count)") }
            printLine("by clause:")
            if report.clauses.isEmpty { printLine("  no clause failed or went to review") }
            for c in report.clauses { printLine("  \(c.clause): \(c.failed) failed, \(c.review) in review") }
        }
    }
}

/// `bursar report …`: summaries for the office.
struct Reports: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Summaries for the office.",
        discussion: "Example: bursar report decisions --program tgp-2026 --csv",
        subcommands: [ReportDecisions.self, ReportScholarships.self])
}
