import ArgumentParser
import Foundation
import Lifecycle
import Screening
import Store

/// `bursar payments show ID` and `bursar payments run --month YYYY-MM`.
struct Payments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stipend schedules and the monthly payment run.",
        discussion: "Example: bursar payments run --month 2026-04; bursar payments show S-01-base",
        subcommands: [
            ShowPayments.self, RunPayments.self, Overpaid.self, Hold.self,
            Release.self, ListMonth.self, ReturnedPayments.self,
            PaymentsExplain.self,
        ])

    struct ShowPayments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "A scholarship's months and amounts: paid, held, due or scheduled.",
            discussion: "Example: bursar payments show A-001 --json")
        @Argument(help: "The applicant id.") var applicantID: String
        @OptionGroup var options: ProgramOption
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            try await Runner.withDatabase { database in
                let program = try await Runner.program(options.program, database: database)
                let position = try await database.pool.withConnection { connection in
                    try await PaymentStore.positions(program: program, applicantID: applicantID, on: connection).first
                }
                guard let position else {
                    throw BursarError.notFound("\(applicantID) has no scholarship in \(program) (not admitted yet?)")
                }
                let s = position.scholarship
                let lines = PaymentLines.lines(of: position)
                if json {
                    printLine(try LifecycleOutput.json(PaymentLines(applicantID: applicantID, lines: lines)))
                    return
                }
                let months = Wording.count(s.months, "month")
                printLine(
                    "\(applicantID): \(s.status.rawValue), \(s.course.courseWords), \(months), "
                        + "\(Wording.yen(s.totalYen)) in all"
                )
                for line in lines {
                    printLine(
                        "  \(line.month)  \(Wording.yen(line.amountYen))  "
                            + "\(line.status)\(line.note.map { " (\($0))" } ?? "")"
                    )
                }
                if !s.flags.isEmpty {
                    printLine("open flags and holds (payments held): \(s.flags.joined(separator: ", "))")
                }
                if position.overpaidYen > 0 {
                    printLine("overpaid: \(Wording.yen(position.overpaidYen)) paid for months no longer owed")
                }
                for line in s.history { printLine("  · \(line)") }
            }
        }
    }

    struct RunPayments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run (or re-run) the month's payments and write this run's bank-transfer CSV.",
            discussion: """
                Example: bursar payments run --month 2026-04 --json
                Pays every owed month up to --month not paid before (held months released since, months an arrival \
                made owed); a month already paid is never paid again. The file is written after the run commits, \
                one file per run, readable by its owner only.
                """)
        @Option(help: "The month, YYYY-MM.") var month: String
        @OptionGroup var options: ProgramOption
        @Option(help: "Folder for the bank-transfer CSV.") var folder: String = "payments"
        @Flag(help: "Print the run as JSON (interface §3).") var json = false
        @OptionGroup var bankFile: BankFileOptions
        /// Today's date in Asia/Tokyo, for tests of the future-month rule (never for service use).
        @Option(help: ArgumentHelp(visibility: .private)) var today: String?

        func run() async throws {
            guard let month = YearMonth(iso: month) else {
                throw CLI.usageError("--month must be YYYY-MM, e.g. 2026-04")
            }
            let zengin = try bankFile.zenginTransferDate()
            let current: YearMonth
            if let today {
                guard let date = CalendarDate(iso: today) else {
                    throw CLI.usageError("--today must be YYYY-MM-DD")
                }
                current = date.yearMonth
            } else {
                current = TokyoCalendar.currentMonth()
            }
            // Interface §3 (v1.2): a month after the current month is refused, nothing paid.
            guard month <= current else {
                CLI.printError(
                    "--month \(month) is after the current month \(current) (Asia/Tokyo): a stipend is paid "
                        + "in its month or later, never ahead; nothing was paid")
                throw ExitCode(2)
            }
            let destination = URL(fileURLWithPath: folder).standardizedFileURL
            try await Runner.withDatabase { database in
                // Only a program that exists: its id becomes part of the file's name.
                let program = try await Runner.existingProgram(options.program, database: database)
                let report = try await PaymentRunner.run(
                    program: program, month: month, folder: destination,
                    database: database, zengin: zengin)
                let r = report.record
                if json {
                    printLine(try LifecycleOutput.json(PaymentRunOutput(report)))
                    return
                }
                for file in report.recovered {
                    printLine(
                        "bank-transfer file of an earlier run whose process stopped before recording it: \(file.path) "
                            + "(if that process wrote it on another machine, send only one of the two)")
                }
                printLine(
                    "payments \(program) \(month) (run \(r.id)): \(r.paid.count) paid, \(r.held.count) held, "
                        + "\(r.due.count) due, "
                        + "\(r.voided.count) voided, \(r.paid.reduce(0) { $0 + $1.yen }) yen transferred")
                for m in r.held { printLine("  held \(m.applicantID) \(m.month): \(m.reason ?? "")") }
                for m in r.due { printLine("  due \(m.applicantID) \(m.month): \(m.reason ?? "")") }
                for m in r.voided { printLine("  voided \(m.applicantID) \(m.month): \(m.reason ?? "")") }
                if let file = report.bankFile {
                    printLine("bank-transfer file: \(file.path)")
                } else {
                    printLine("nothing new to pay: no bank-transfer file written")
                }
            }
        }
    }
}

/// `payments show --json` (interface §3): the scholarship's months with their status.
struct PaymentLines: Encodable {
    struct Line: Encodable {
        let month: String
        let amountYen: Int
        let status: String
        /// Why a month has its status (text output only).
        let note: String?
        enum CodingKeys: String, CodingKey {
            case month
            case amountYen = "amount_yen"
            case status
        }
    }

    let applicantID: String
    let lines: [Line]
    enum CodingKeys: String, CodingKey {
        case applicantID = "applicant_id"
        case lines
    }

    /// Every month of the period and any month paid outside it (money that went out is always shown).
    static func lines(of position: PaymentPosition) -> [Line] {
        position.lines.map {
            Line(month: $0.month.description, amountYen: $0.yen, status: $0.status.rawValue, note: $0.reason)
        }
    }
}

/// `payments run --json` (interface §3), with the months left due and those voided.
struct PaymentRunOutput: Encodable {
    struct Paid: Encodable {
        let applicantID: String
        let month: String
        let amountYen: Int
        enum CodingKeys: String, CodingKey {
            case applicantID = "applicant_id"
            case month
            case amountYen = "amount_yen"
        }
    }

    struct Unpaid: Encodable {
        let applicantID: String
        let month: String
        let amountYen: Int
        let reason: String
        enum CodingKeys: String, CodingKey {
            case applicantID = "applicant_id"
            case month
            case amountYen = "amount_yen"
            case reason
        }
    }

    let program: String
    let month: String
    let run: Int64
    let paid: [Paid]
    let held: [Unpaid]
    let due: [Unpaid]
    let voided: [Unpaid]
    /// Null when the run paid nothing new (no file is written).
    let bankFile: String?
    enum CodingKeys: String, CodingKey {
        case program, month, run, paid, held, due, voided
        case bankFile = "bank_file"
    }

    /// Every key, `bank_file` null when there is no file.
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(program, forKey: .program)
        try c.encode(month, forKey: .month)
        try c.encode(run, forKey: .run)
        try c.encode(paid, forKey: .paid)
        try c.encode(held, forKey: .held)
        try c.encode(due, forKey: .due)
        try c.encode(voided, forKey: .voided)
        try c.encode(bankFile, forKey: .bankFile)
    }

    init(_ report: PaymentRunner.Report) {
        let r = report.record
        func unpaid(_ m: PaymentStore.SettledMonth) -> Unpaid {
            Unpaid(applicantID: m.applicantID, month: m.month.description, amountYen: m.yen, reason: m.reason ?? "")
        }
        program = r.program
        month = r.month.description
        run = r.id
        paid = r.paid.map { Paid(applicantID: $0.applicantID, month: $0.month.description, amountYen: $0.yen) }
        held = r.held.map(unpaid)
        due = r.due.map(unpaid)
        voided = r.voided.map(unpaid)
        bankFile = report.bankFile?.path
    }
}

/// `bursar flags clear ID FLAG --reason TEXT`.
struct Flags: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compliance flags on scholarships.",
        discussion: "Example: bursar flags clear S-01-base academic.gpa_below_2_3 --reason \"transcript corrected\"",
        subcommands: [Clear.self])

    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Clear a flag (an officer's decision); held months still owed are paid by the next run.",
            discussion:
                "Example: bursar flags clear A-001 eligibility.changed --reason \"registry entry was a namesake\"")
        @Argument(help: "The applicant id.") var applicantID: String
        @Argument(help: "The flag, e.g. academic.gpa_below_2_3.") var flag: String
        @Option(help: "Why, in one line (kept in the record).") var reason: String
        @OptionGroup var options: ProgramOption

        func validate() throws {
            if !reason.trimmingCharacters(in: .whitespaces).isEmpty { try ReasonOption.check(reason) }
        }

        func run() async throws {
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw CLI.usageError("--reason must say why the flag is cleared")
            }
            try await Runner.withDatabase { database in
                let program = try await Runner.program(options.program, database: database)
                let released = try await database.pool.withTransaction {
                    try await PaymentStore.clearFlag(
                        program: program, applicantID: applicantID, flag: flag, reason: reason, on: $0)
                }
                printLine(
                    "cleared \(flag) for \(applicantID); \(released) held payment\(released == 1 ? "" : "s") "
                        + "released (paid by the next `bursar payments run`)"
                )
            }
        }
    }
}
