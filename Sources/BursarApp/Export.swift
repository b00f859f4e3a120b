import ArgumentParser
import Foundation
import Lifecycle
import Screening
import Store

/// `bursar export decisions|scholarships`.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export decisions or scholarships.", subcommands: [Decisions.self, Scholarships.self])

    enum Format: String, ExpressibleByArgument, CaseIterable { case ndjson, csv }

    struct Decisions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One record per application (latest revision), interface §2.")
        @OptionGroup var options: ProgramOption
        @Option(help: "ndjson or csv.") var format: Format = .ndjson
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

        func run() async throws {
            let records = try await Runner.withDatabase { try await DecisionStore(database: $0).latest(program: options.program) }
            var lines = format == .csv ? [DecisionRecord.csvHeader] : []
            lines += records.map { format == .csv ? $0.csv : $0.json }
            try Export.write(lines, to: output)
        }
    }

    struct Scholarships: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One record per scholarship, interface §3.")
        @OptionGroup var options: ProgramOption
        @Option(help: "ndjson or csv.") var format: Format = .ndjson
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

        func run() async throws {
            let all = try await Runner.withDatabase { try await LifecycleStore(database: $0).scholarships(program: options.program) }
            var lines = format == .csv ? ["applicant_id,status,first_payment_month,last_payment_month,months,total_yen,terminated_on,termination_reason,return_ticket,flags"] : []
            for s in all {
                let fields: [(String, String)] = [
                    ("applicant_id", JSONWriter.string(s.applicantID)), ("status", JSONWriter.string(s.status.rawValue)),
                    ("first_payment_month", s.months > 0 ? JSONWriter.string(s.firstPaymentMonth.description) : "null"),
                    ("last_payment_month", JSONWriter.optionalString(s.lastPaymentMonth?.description)),
                    ("months", String(s.months)), ("total_yen", String(s.totalYen)),
                    ("terminated_on", JSONWriter.optionalString(s.terminatedOn?.description)),
                    ("termination_reason", JSONWriter.optionalString(s.terminationReason?.rawValue)),
                    ("return_ticket", s.returnTicket.map { $0 ? "true" : "false" } ?? "null"),
                    ("flags", JSONWriter.strings(s.flags)),
                ]
                if format == .csv {
                    lines.append([s.applicantID, s.status.rawValue, s.months > 0 ? s.firstPaymentMonth.description : "", s.lastPaymentMonth?.description ?? "",
                                  String(s.months), String(s.totalYen), s.terminatedOn?.description ?? "", s.terminationReason?.rawValue ?? "",
                                  s.returnTicket.map { $0 ? "true" : "false" } ?? "", s.flags.joined(separator: ";")].map(CSV.field).joined(separator: ","))
                } else {
                    lines.append(JSONWriter.object(fields))
                }
            }
            try Export.write(lines, to: output)
        }
    }

    static func write(_ lines: [String], to output: String?) throws {
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
