import ArgumentParser
import Foundation
import Lifecycle
import Screening
import Store

/// `bursar export decisions|scholarships`.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export decisions or scholarships.",
        discussion: "Example: bursar export decisions --program tgp-2026 --format csv -o decisions.csv",
        subcommands: [Decisions.self, Scholarships.self])

    enum Format: String, ExpressibleByArgument, CaseIterable { case ndjson, csv }

    /// The format and where the lines go, shared by both exports.
    struct Destination: ParsableArguments {
        @Option(help: "ndjson or csv.") var format: Format = .ndjson
        @Flag(help: "JSON lines: the same as --format ndjson.") var json = false
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

        /// The format asked for: `--json` means NDJSON, whatever `--format` says.
        var chosen: Format { json ? .ndjson : format }
    }

    struct Decisions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One record per application (latest revision), interface §2.",
            discussion: "Example: bursar export decisions --program tgp-2026 --format ndjson")
        @OptionGroup var options: ProgramOption
        @OptionGroup var destination: Destination

        func run() async throws {
            let records = try await Runner.withDatabase { database in
                try await DecisionStore(database: database).latest(
                    program: try await Runner.existingProgram(options.program, database: database))
            }
            try destination.write(
                destination.chosen == .csv ? [DecisionRecord.csvHeader] + records.map(\.csv) : records.map(\.json))
        }
    }

    struct Scholarships: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One record per scholarship, interface §3.",
            discussion: "Example: bursar export scholarships --program tgp-2026 --format csv")
        @OptionGroup var options: ProgramOption
        @OptionGroup var destination: Destination

        func run() async throws {
            let all = try await Runner.withDatabase { database in
                let program = try await Runner.existingProgram(options.program, database: database)
                return try await database.pool.withConnection {
                    try await PaymentStore.positions(program: program, on: $0)
                }
            }
            let records = all.map(ScholarshipRecord.init)
            switch destination.chosen {
            case .csv:
                try destination.write([ScholarshipRecord.csvHeader] + records.map(\.csv))
            case .ndjson:
                try destination.write(try records.map { try LifecycleOutput.json($0) })
            }
        }
    }
}

/// One line of `export scholarships` (interface §3).
struct ScholarshipRecord: Encodable {
    let applicantID: String
    let status: String
    let firstPaymentMonth: String?
    let lastPaymentMonth: String?
    let months: Int
    let totalYen: Int
    let terminatedOn: String?
    let terminationReason: String?
    let returnTicket: Bool?
    let flags: [String]
    let paidYen: Int
    let overpaidYen: Int

    init(_ position: PaymentPosition) {
        let s = position.scholarship
        applicantID = s.applicantID
        status = s.status.rawValue
        firstPaymentMonth = s.months > 0 ? s.firstPaymentMonth.description : nil
        lastPaymentMonth = s.lastPaymentMonth?.description
        months = s.months
        totalYen = s.totalYen
        terminatedOn = s.terminatedOn?.description
        terminationReason = s.terminationReason?.rawValue
        returnTicket = s.returnTicket
        flags = s.flags
        paidYen = position.paidYen
        overpaidYen = position.overpaidYen
    }

    enum CodingKeys: String, CodingKey {
        case applicantID = "applicant_id"
        case status
        case firstPaymentMonth = "first_payment_month"
        case lastPaymentMonth = "last_payment_month"
        case months
        case totalYen = "total_yen"
        case terminatedOn = "terminated_on"
        case terminationReason = "termination_reason"
        case returnTicket = "return_ticket"
        case flags
        case paidYen = "paid_yen"
        case overpaidYen = "overpaid_yen"
    }

    /// Every key is written; a value not known (yet) is null.
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(applicantID, forKey: .applicantID)
        try c.encode(status, forKey: .status)
        try c.encode(firstPaymentMonth, forKey: .firstPaymentMonth)
        try c.encode(lastPaymentMonth, forKey: .lastPaymentMonth)
        try c.encode(months, forKey: .months)
        try c.encode(totalYen, forKey: .totalYen)
        try c.encode(terminatedOn, forKey: .terminatedOn)
        try c.encode(terminationReason, forKey: .terminationReason)
        try c.encode(returnTicket, forKey: .returnTicket)
        try c.encode(flags, forKey: .flags)
        try c.encode(paidYen, forKey: .paidYen)
        try c.encode(overpaidYen, forKey: .overpaidYen)
    }

    static let csvHeader =
        "applicant_id,status,first_payment_month,last_payment_month,months,total_yen,terminated_on,"
        + "termination_reason,return_ticket,flags,paid_yen,overpaid_yen"

    var csv: String {
        [
            applicantID, status, firstPaymentMonth ?? "", lastPaymentMonth ?? "", String(months), String(totalYen),
            terminatedOn ?? "",
            terminationReason ?? "", returnTicket.map { $0 ? "true" : "false" } ?? "", flags.joined(separator: ";"),
            String(paidYen), String(overpaidYen),
        ].map(CSV.field).joined(separator: ",")
    }
}

extension Export.Destination {
    /// Writes `lines` to the output file (whole or not at all, readable by its owner only: it
    /// holds personal data) or to standard output.
    func write(_ lines: [String]) throws {
        let text = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
        if let output {
            do { try PrivateFile.replace(URL(fileURLWithPath: output), with: text) } catch {
                CLI.printError("\(error)")
                throw ExitCode(1)
            }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
