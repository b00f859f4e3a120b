import ArgumentParser
import Foundation
import Lifecycle
import Screening
import Store

/// `bursar events submit FILE` and `bursar events list`.
struct Events: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Scholarship lifecycle events (interface §3).",
                                                    discussion: "Example: bursar events submit events.ndjson; bursar events list --applicant S-01-base", subcommands: [SubmitEvents.self, ListEvents.self])

    struct SubmitEvents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "submit",
            abstract: "Queue lifecycle events (NDJSON); workers apply them in order per applicant.",
            discussion: "Exit status: 0 when every line was queued or ignored as a repeated event_id, 3 when some lines were malformed, 2 when the file cannot be read.\nExample: bursar events submit events.ndjson")
        @Argument(help: "The events file (NDJSON).") var file: String
        @OptionGroup var options: ProgramOption

        func run() async throws {
            let text = try CLI.readText(file)
            var malformed: [String] = []
            let (queued, ignored) = try await Runner.withDatabase { database in
                let program = try await Runner.program(options.program, database: database)
                var items: [(line: Int, event: SubmittedEvent, program: String, body: String)] = []
                for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                    guard !trimmed.isEmpty else { continue }
                    do {
                        let value = try JSONParser.parse(trimmed)
                        switch EventDecoder.decode(value) {
                        case .success(let event): items.append((index + 1, event, event.program ?? program, value.canonicalText))
                        case .failure(let rejection): malformed.append("line \(index + 1)\(rejection.applicantID.map { " (\($0))" } ?? ""): \(rejection)")
                        }
                    } catch {
                        malformed.append("line \(index + 1): \(error)")
                    }
                }
                let results = try await LifecycleStore(database: database).submit(items)
                return (results.filter { $0 == .queued }.count, results.filter { $0 == .duplicateEventID }.count)
            }
            printLine("queued: \(queued)")
            printLine("ignored (event_id already submitted): \(ignored)")
            printLine("rejected: \(malformed.count)")
            for line in malformed { printLine("  \(line)") }
            printLine("run `bursar drain` (or keep bursard running) to apply them; `bursar events list` shows what each did")
            if !malformed.isEmpty { throw ExitCode(3) }
        }
    }

    struct ListEvents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List events and what became of them.",
                                                        discussion: "Example: bursar events list --program tgp-2026")
        @OptionGroup var options: ProgramOption
        @Option(help: "Only this applicant.") var applicant: String?
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            let events = try await Runner.withDatabase { try await LifecycleStore(database: $0).events(program: options.program, applicantID: applicant) }
            for e in events {
                if json {
                    printLine(JSONWriter.object([("seq", String(e.seq)), ("applicant_id", JSONWriter.string(e.applicant)), ("type", JSONWriter.string(e.type)),
                                                 ("status", JSONWriter.string(e.status)), ("message", JSONWriter.optionalString(e.message))]))
                } else {
                    printLine("\(e.seq)\t\(e.applicant)\t\(e.type)\t\(e.status)\(e.message.map { "\t\($0)" } ?? "")")
                }
            }
        }
    }
}
