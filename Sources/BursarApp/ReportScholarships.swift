import ArgumentParser
import Formats
import Foundation
import Lifecycle
import Screening
import Store

/// `bursar report scholarships`: scholarships by status with their totals (issue 26 item 7),
/// from the same fold and ledger as `export scholarships` — nothing computed twice.
struct ReportScholarships: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scholarships",
        abstract: "Scholarships by status (active, terminated, completed) with months and yen: entitled, paid, "
            + "overpaid.",
        discussion: """
            --csv prints one row a status and a last row `all`.
            Example: bursar report scholarships --program tgp-2026 --json
            """)

    @OptionGroup var options: ProgramOption
    @Flag(help: "Print as JSON.") var json = false
    @Flag(help: "Print as CSV.") var csv = false

    /// One status and its totals.
    struct Row: Encodable, Equatable {
        let status: String
        var scholarships = 0
        var months = 0
        var totalYen = 0
        var paidYen = 0
        var overpaidYen = 0

        enum CodingKeys: String, CodingKey {
            case status, scholarships, months
            case totalYen = "total_yen"
            case paidYen = "paid_yen"
            case overpaidYen = "overpaid_yen"
        }

        mutating func add(_ position: PaymentPosition) {
            scholarships += 1
            months += position.scholarship.months
            totalYen += position.scholarship.totalYen
            paidYen += position.paidYen
            overpaidYen += position.overpaidYen
        }
    }

    /// `report scholarships --json`.
    struct Output: Encodable {
        let program: String
        let byStatus: [Row]
        let all: Row
        enum CodingKeys: String, CodingKey {
            case program
            case byStatus = "by_status"
            case all
        }
    }

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv cannot be given together") }
    }

    /// The rows of `positions`, one per status in the interface's order, and their sum.
    static func rows(_ positions: [PaymentPosition]) -> (byStatus: [Row], all: Row) {
        var all = Row(status: "all")
        let byStatus = Scholarship.Status.allCases.map { status in
            var row = Row(status: status.rawValue)
            for position in positions where position.scholarship.status == status {
                row.add(position)
            }
            return row
        }
        for position in positions {
            all.add(position)
        }
        return (byStatus, all)
    }

    func run() async throws {
        let (program, positions) = try await Runner.withDatabase { database in
            let program = try await Runner.existingProgram(options.program, database: database)
            let positions = try await database.pool.withConnection {
                try await PaymentStore.positions(program: program, on: $0)
            }
            return (program, positions)
        }
        let (byStatus, all) = Self.rows(positions)
        if json {
            printLine(try CLI.json(Output(program: program, byStatus: byStatus, all: all)))
        } else if csv {
            printLine(CSV.row(["status", "scholarships", "months", "total_yen", "paid_yen", "overpaid_yen"]))
            for row in byStatus + [all] {
                printLine(
                    CSV.row([
                        row.status, "\(row.scholarships)", "\(row.months)", "\(row.totalYen)",
                        "\(row.paidYen)", "\(row.overpaidYen)",
                    ]))
            }
        } else {
            printLine("scholarships of \(program): \(all.scholarships)")
            for row in byStatus + [all] {
                let yen =
                    "entitled \(Wording.yen(row.totalYen)), paid \(Wording.yen(row.paidYen)), "
                    + "overpaid \(Wording.yen(row.overpaidYen))"
                printLine("  \(row.status): \(row.scholarships) (\(Wording.count(row.months, "month")); \(yen))")
            }
        }
    }
}
