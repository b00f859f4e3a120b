import ArgumentParser
import Foundation
import JobQueue
import Lifecycle
import Screening
import Store

/// `bursar payments show ID` and `bursar payments run --month YYYY-MM`.
struct Payments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stipend schedules and the monthly payment run.",
                                                    discussion: "Example: bursar payments run --month 2026-04; bursar payments show S-01-base", subcommands: [ShowPayments.self, RunPayments.self])

    struct ShowPayments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "A scholarship's months and amounts, and what was paid or held.", discussion: "Example: bursar payments show S-01-base --program tgp-2026")
        @Argument(help: "The applicant id.") var applicantID: String
        @OptionGroup var options: ProgramOption
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            try await Runner.withDatabase { database in
                let program = try await Runner.program(options.program, database: database)
                guard let s = try await database.pool.withConnection({ try await LifecycleStore.scholarship(program: program, applicantID: applicantID, on: $0) }) else {
                    throw BursarError.notFound("\(applicantID) has no scholarship in \(program) (not admitted yet?)")
                }
                let recorded = Dictionary(uniqueKeysWithValues: try await PaymentStore(database: database).payments(program: program, applicantID: applicantID).map { ($0.month, $0) })
                if json {
                    let months = s.schedule.map { m in
                        JSONWriter.object([("month", JSONWriter.string(m.month.description)), ("yen", String(m.yen)),
                                           ("status", JSONWriter.string(recorded[m.month.description]?.status ?? "scheduled"))])
                    }
                    printLine(JSONWriter.object([("applicant_id", JSONWriter.string(applicantID)), ("status", JSONWriter.string(s.status.rawValue)),
                                                 ("months", "[" + months.joined(separator: ", ") + "]"), ("total_yen", String(s.totalYen))]))
                    return
                }
                printLine("\(applicantID): \(s.status.rawValue), \(s.course.rawValue)'s course, \(s.months) months, \(s.totalYen) yen in all")
                for m in s.schedule {
                    printLine("  \(m.month)  \(m.yen) yen  \(recorded[m.month.description]?.status ?? "scheduled")")
                }
                for extra in recorded.values where !s.schedule.contains(where: { $0.month.description == extra.month }) {
                    printLine("  \(extra.month)  \(extra.yen) yen  \(extra.status) (before the current schedule)")
                }
                if !s.flags.isEmpty { printLine("open flags (payments held): \(s.flags.joined(separator: ", "))") }
                for line in s.history { printLine("  · \(line)") }
            }
        }
    }

    struct RunPayments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the month's payments as a job and write the bank-transfer CSV.", discussion: "Example: bursar payments run --month 2026-04 --program tgp-2026")
        @Option(help: "The month, YYYY-MM.") var month: String
        @OptionGroup var options: ProgramOption
        @Option(help: "Folder for the bank-transfer CSV.") var folder: String = "payments"

        func run() async throws {
            guard YearMonth(iso: month) != nil else {
                CLI.printError("--month must be YYYY-MM, e.g. 2026-04")
                throw ExitCode(1)
            }
            let absolute = URL(fileURLWithPath: folder).standardizedFileURL.path
            try await Runner.withDatabase(poolSize: 12) { database in
                let program = try await Runner.program(options.program, database: database)
                try await database.queue.enqueue(try JobInsert(kind: JobKinds.payments, queue: "payments",
                                                               arguments: PaymentRunJob(program: program, month: month, folder: absolute),
                                                               uniqueKey: "payments:\(program):\(month)"))
                _ = try await WorkerProcess.drain(database: database, concurrency: nil)
                guard let summary = try await PaymentStore(database: database).runSummary(program: program, month: month) else {
                    throw BursarError.setup("the payment run for \(month) did not finish; see `bursar status`")
                }
                printLine("payments \(program) \(month): \(summary.paid) paid, \(summary.held) held, \(summary.totalYen) yen transferred")
                if let file = summary.bankFile { printLine("bank-transfer file: \(file)") }
            }
        }
    }
}

/// `bursar flags clear ID FLAG --reason TEXT`.
struct Flags: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Compliance flags on scholarships.", discussion: "Example: bursar flags clear S-01-base academic.gpa_below_2_3 --reason \"transcript corrected\"", subcommands: [Clear.self])

    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Clear a flag (an officer's decision); held payments are released.", discussion: "Example: bursar flags clear S-01-base academic.gpa_below_2_3 --reason \"transcript corrected\"")
        @Argument(help: "The applicant id.") var applicantID: String
        @Argument(help: "The flag, e.g. academic.gpa_below_2_3.") var flag: String
        @Option(help: "Why (kept in the record).") var reason: String
        @OptionGroup var options: ProgramOption

        func run() async throws {
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                CLI.printError("--reason must say why the flag is cleared")
                throw ExitCode(1)
            }
            try await Runner.withDatabase { database in
                let program = try await Runner.program(options.program, database: database)
                let released = try await PaymentStore(database: database).clearFlag(program: program, applicantID: applicantID, flag: flag, reason: reason)
                printLine("cleared \(flag) for \(applicantID); \(released) held payment\(released == 1 ? "" : "s") released")
            }
        }
    }
}
