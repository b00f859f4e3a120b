import ArgumentParser
import Banking
import Foundation
import Store

/// `bursar payments returned FILE` (interface §3): transfers the bank sent back.
struct ReturnedPayments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "returned",
        abstract: "Record transfers the bank returned: their months are paid again after a new account.",
        discussion: """
            The header is applicant_id,month,reason; a line names any month of the returned Zengin transfer, and \
            every month that transfer carried becomes returned. The account then needs a correction: owed months \
            are held awaiting_account until `bursar accounts import` registers a new one. Exit 0 all applied, \
            3 some lines rejected, 2 the file unreadable.
            Example: bursar payments returned returns.csv --program tgp-2026
            """)
    @Argument(help: "The CSV file.") var file: String
    @OptionGroup var options: ProgramOption

    func run() async throws {
        let text = try CLI.readText(file)
        guard let lines = ReturnedFile.parse(text) else {
            CLI.printError("\(file): the first line must be the header \(ReturnedFile.header.joined(separator: ","))")
            throw ExitCode(2)
        }
        try await Runner.withDatabase { database in
            let program = try await Runner.existingProgram(options.program, database: database)
            let result = try await database.pool.withTransaction {
                try await ZenginRunStore.recordReturns(lines, program: program, on: $0)
            }
            printLine(
                "returned transfers \(program): \(result.returned) recorded, "
                    + "\(result.unchanged) already recorded, \(result.rejected.count) rejected")
            try ImportOutcome.finish(file: file, rejected: result.rejected)
        }
    }
}
