import ArgumentParser
import Foundation
import Lifecycle
import Screening
import Store

/// `bursar export decisions|scholarships`.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export decisions or scholarships.",
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
        static let configuration = CommandConfiguration(abstract: "One record per application (latest revision), interface §2.",
                                                        discussion: "Example: bursar export decisions --program tgp-2026 --format ndjson")
        @OptionGroup var options: ProgramOption
        @OptionGroup var destination: Destination

        func run() async throws {
            let records = try await Runner.withDatabase { database in
                try await DecisionStore(database: database).latest(program: try await Runner.existingProgram(options.program, database: database))
            }
            try destination.write(destination.chosen == .csv ? [DecisionRecord.csvHeader] + records.map(\.csv) : records.map(\.json))
        }
    }

    struct Scholarships: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One record per scholarship, interface §3.",
                                                        discussion: "Example: bursar export scholarships --program tgp-2026 --format csv")
        @OptionGroup var options: ProgramOption
        @OptionGroup var destination: Destination

        func run() async throws {
            let all = try await Runner.withDatabase { database in
                try await LifecycleStore(database: database).scholarships(program: try await Runner.existingProgram(options.program, database: database))
            }
            switch destination.chosen {
            case .csv:
                try destination.write(["applicant_id,status,first_payment_month,last_payment_month,months,total_yen,terminated_on,termination_reason,return_ticket,flags"]
                    + all.map { s in
                        [s.applicantID, s.status.rawValue, s.months > 0 ? s.firstPaymentMonth.description : "", s.lastPaymentMonth?.description ?? "",
                         String(s.months), String(s.totalYen), s.terminatedOn?.description ?? "", s.terminationReason?.rawValue ?? "",
                         s.returnTicket.map { $0 ? "true" : "false" } ?? "", s.flags.joined(separator: ";")].map(CSV.field).joined(separator: ",")
                    })
            case .ndjson:
                try destination.write(all.map { s in
                    JSONWriter.object([
                        ("applicant_id", JSONWriter.string(s.applicantID)), ("status", JSONWriter.string(s.status.rawValue)),
                        ("first_payment_month", s.months > 0 ? JSONWriter.string(s.firstPaymentMonth.description) : "null"),
                        ("last_payment_month", JSONWriter.optionalString(s.lastPaymentMonth?.description)),
                        ("months", String(s.months)), ("total_yen", String(s.totalYen)),
                        ("terminated_on", JSONWriter.optionalString(s.terminatedOn?.description)),
                        ("termination_reason", JSONWriter.optionalString(s.terminationReason?.rawValue)),
                        ("return_ticket", s.returnTicket.map { $0 ? "true" : "false" } ?? "null"),
                        ("flags", JSONWriter.strings(s.flags)),
                    ])
                })
            }
        }
    }
}

extension Export.Destination {
    /// Writes `lines` to the output file (atomically) or to standard output.
    func write(_ lines: [String]) throws {
        let text = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
        if let output {
            do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch {
                CLI.printError("cannot write \(output): \(error.localizedDescription)")
                throw ExitCode(1)
            }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
