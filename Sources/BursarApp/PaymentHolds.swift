import ArgumentParser
import Foundation
import Lifecycle
import Screening
import Store

/// The current month in Asia/Tokyo: the office's calendar decides which month is "the current month".
enum TokyoCalendar {
    static func currentMonth(now: Date = Date()) -> YearMonth {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tokyo")!
        let parts = calendar.dateComponents([.year, .month], from: now)
        return YearMonth(year: parts.year!, month: parts.month!)!
    }
}

extension Payments {
    /// `bursar payments overpaid`: months paid that the events no longer owe, for recovery.
    struct Overpaid: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List months paid that are no longer owed (a later event or retraction), for recovery.",
            discussion: "Example: bursar payments overpaid --program tgp-2026 --json")
        @OptionGroup var options: ProgramOption
        @Flag(help: "Print as JSON (one object a line).") var json = false

        func run() async throws {
            let lines = try await Runner.withDatabase { database in
                let program = try await Runner.program(options.program, database: database)
                return try await database.pool.withConnection {
                    try await PaymentStore.overpaid(program: program, on: $0)
                }
            }
            if !json { printLine("APPLICANT\tMONTH\tYEN\tWHY") }
            for line in lines {
                if json {
                    printLine(try LifecycleOutput.json(ScholarMonthLine(line)))
                } else {
                    printLine(
                        [line.applicantID, line.month.description, String(line.yen), line.reason ?? ""].joined(
                            separator: "\t"))
                }
            }
            if !json {
                printLine(
                    "\(lines.count) month\(lines.count == 1 ? "" : "s") overpaid, "
                        + "\(lines.reduce(0) { $0 + $1.yen }) yen"
                )
            }
        }
    }

    /// `bursar payments hold ID --reason TEXT`.
    struct Hold: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hold a scholar's payments (officer.hold): owed months are held until released.",
            discussion: "Example: bursar payments hold A-001 --reason \"leave of absence being investigated\"")
        @Argument(help: "The applicant id.") var applicantID: String
        @Option(help: "Why, in one line (kept in the record).") var reason: String
        @OptionGroup var options: ProgramOption

        func validate() throws { try ReasonOption.check(reason) }

        func run() async throws {
            _ = try await OfficerHold.act(
                applicantID: applicantID, hold: true, reason: reason, program: options.program)
            printLine("held the payments of \(applicantID) (officer.hold); `bursar payments release` lifts it")
        }
    }

    /// `bursar payments release ID --reason TEXT`.
    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Release an officer's hold; held months still owed are paid by the next run.",
            discussion: "Example: bursar payments release A-001 --reason \"investigation closed\"")
        @Argument(help: "The applicant id.") var applicantID: String
        @Option(help: "Why, in one line (kept in the record).") var reason: String
        @OptionGroup var options: ProgramOption

        func validate() throws { try ReasonOption.check(reason) }

        func run() async throws {
            let released = try await OfficerHold.act(
                applicantID: applicantID, hold: false, reason: reason, program: options.program)
            printLine(
                "released the officer hold of \(applicantID); \(released) held payment\(released == 1 ? "" : "s") "
                    + "released (paid by the next `bursar payments run` when nothing else holds them)")
        }
    }
}

extension Payments {
    /// `bursar payments list --month M`: a month's payments for the officer (#26 item 7).
    struct ListMonth: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract:
                "A month's payments: paid by its runs, held (with the reason) and due up to it, totals, bank files.",
            discussion: "Example: bursar payments list --month 2026-06 --json")
        @Option(help: "The month, YYYY-MM.") var month: String
        @OptionGroup var options: ProgramOption
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            guard let month = YearMonth(iso: month) else {
                throw CLI.usageError("--month must be YYYY-MM, e.g. 2026-04")
            }
            let (program, report) = try await Runner.withDatabase { database in
                let program = try await Runner.program(options.program, database: database)
                return (
                    program,
                    try await database.pool.withConnection {
                        try await PaymentStore.monthReport(program: program, month: month, on: $0)
                    }
                )
            }
            let output = MonthListOutput(program: program, month: month.description, report: report)
            if json {
                printLine(try LifecycleOutput.json(output))
                return
            }
            printLine(
                "payments \(program) \(month): \(output.paid.count) paid (\(output.paidYen) yen), "
                    + "\(output.held.count) held (\(output.heldYen) yen), \(output.due.count) due "
                    + "(\(output.dueYen) yen)"
            )
            for m in output.paid { printLine("  paid \(m.applicantID) \(m.month) \(m.amountYen) yen") }
            for m in output.held { printLine("  held \(m.applicantID) \(m.month) \(m.amountYen) yen: \(m.reason)") }
            for m in output.due { printLine("  due \(m.applicantID) \(m.month) \(m.amountYen) yen: \(m.reason)") }
            for file in output.bankFiles { printLine("bank-transfer file: \(file)") }
        }
    }
}

/// `payments list --json`.
struct MonthListOutput: Encodable {
    let program: String
    let month: String
    let paid: [ScholarMonthLine]
    let held: [ScholarMonthLine]
    let due: [ScholarMonthLine]
    let paidYen: Int
    let heldYen: Int
    let dueYen: Int
    let bankFiles: [String]

    init(program: String, month: String, report: PaymentStore.MonthReport) {
        self.program = program
        self.month = month
        paid = report.paid.map(ScholarMonthLine.init)
        held = report.held.map(ScholarMonthLine.init)
        due = report.due.map(ScholarMonthLine.init)
        paidYen = report.paid.reduce(0) { $0 + $1.yen }
        heldYen = report.held.reduce(0) { $0 + $1.yen }
        dueYen = report.due.reduce(0) { $0 + $1.yen }
        bankFiles = report.bankFiles
    }

    enum CodingKeys: String, CodingKey {
        case program, month, paid, held, due
        case paidYen = "paid_yen"
        case heldYen = "held_yen"
        case dueYen = "due_yen"
        case bankFiles = "bank_files"
    }
}

/// An officer's hold or release, in one transaction; exit 1 when it does not apply.
enum OfficerHold {
    static func act(applicantID: String, hold: Bool, reason: String, program named: String?) async throws -> Int {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CLI.usageError("--reason must say why")
        }
        return try await Runner.withDatabase { database in
            let program = try await Runner.program(named, database: database)
            return try await database.pool.withTransaction {
                try await PaymentStore.officerHold(
                    program: program, applicantID: applicantID, hold: hold, reason: reason, on: $0)
            }
        }
    }
}

/// One month of a scholar in `payments overpaid|list --json` (the reason empty for a paid month).
struct ScholarMonthLine: Encodable {
    let applicantID: String
    let month: String
    let amountYen: Int
    let reason: String
    init(_ m: PaymentStore.SettledMonth) {
        (applicantID, month, amountYen, reason) = (m.applicantID, m.month.description, m.yen, m.reason ?? "")
    }
    enum CodingKeys: String, CodingKey {
        case applicantID = "applicant_id"
        case month
        case amountYen = "amount_yen"
        case reason
    }
}
