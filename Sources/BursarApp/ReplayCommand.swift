import ArgumentParser
import Foundation
import History
import Store

/// `bursar replay APPLICANT_ID [--decision N]` and `bursar replay --program ID --all` (interface §7).
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract:
            "Decide stored decisions again from exactly what they recorded and say whether the result is identical.",
        discussion: """
            Exit status 1 when a decision replays differently (naming the clause), 2 for an unknown applicant or \
            decision.
            Example: bursar replay S-01-base --json; bursar replay --program tgp-2026 --all
            """)

    @Argument(help: "The applicant id (or --all).") var applicantID: String?
    @Option(help: "The decision id to replay (default: the applicant's latest).") var decision: Int64?
    @Option(help: "The program.") var program: String?
    @Flag(help: "Replay every stored decision of the program.") var all = false
    @Flag(help: "Print as JSON.") var json = false

    func validate() throws {
        if all, applicantID != nil { throw ValidationError("give an applicant id or --all, not both") }
        if !all, applicantID == nil { throw ValidationError("give an applicant id, or --program ID --all") }
        if all, decision != nil {
            throw ValidationError("--decision replays one applicant's decision; leave it out with --all")
        }
    }

    func run() async throws {
        try await Runner.withDatabase { database in
            let replay = Replay(database: database)
            if let applicantID {
                let result: Replay.Result
                do {
                    result = try await replay.replay(
                        applicantID: applicantID, program: program ?? ProgramOption.environmentDefault,
                        decisionID: decision)
                } catch let missing as Replay.NotFound {
                    CLI.printError(missing.description)
                    throw ExitCode(2)
                }
                printLine(json ? HistoryOutput.json(result) : HistoryOutput.text(result))
                if !result.comparison.identical { throw ExitCode(1) }
                return
            }
            let program = try await Runner.existingProgram(program, database: database)
            let summary = try await replay.replayAll(program: program) { done, total in
                FileHandle.standardError.write(Data("\rreplayed \(done)/\(total)\(done == total ? "\n" : "")".utf8))
            }
            printLine(json ? HistoryOutput.json(summary) : HistoryOutput.text(summary))
            if summary.different > 0 { throw ExitCode(1) }
        }
    }
}
