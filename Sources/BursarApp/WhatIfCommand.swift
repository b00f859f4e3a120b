import ArgumentParser
import Foundation
import History
import Intake
import Partners
import Screening
import Store

/// `bursar whatif --program ID [--program-file FILE] [--partners FILE] [--exclusions FILE]`
/// (interface §7): what a change of program data would change, storing nothing.
struct WhatIfCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract:
            "Decide every application's latest revision under changed program data and list what would change "
            + "(stores nothing).",
        discussion: """
            Each option replaces only the data it names; admitted scholarships are listed first. Exit 2 when a file \
            cannot be read.
            Example: bursar whatif --program tgp-2026 --partners new-partners.csv --json
            """)

    @Option(help: "The program.") var program: String?
    @Option(help: "A program definition (JSON, as `programs show --json` prints).") var programFile: String?
    @Option(help: "A partner list CSV.") var partners: String?
    @Option(help: "An exclusion list CSV (each list it names replaces that list).") var exclusions: String?
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let changes = try Self.changes(programFile: programFile, partners: partners, exclusions: exclusions)
        try await Runner.withDatabase { database in
            let program = try await Runner.existingProgram(program, database: database)
            let report = try await WhatIf(database: database).run(program: program, changes: changes)
            printLine(json ? HistoryOutput.json(report) : HistoryOutput.text(report))
        }
    }

    /// The changes the files describe; exit status 2 (with the problem) when one cannot be read.
    static func changes(programFile: String?, partners: String?, exclusions: String?) throws -> WhatIf.Changes {
        var changes = WhatIf.Changes()
        if let programFile { changes.program = try readProgram(programFile) }
        if let partners { changes.partners = try unreadableIsTwo(partners) { try PartnerListCSV.parse($0) } }
        if let exclusions {
            changes.exclusions = try unreadableIsTwo(exclusions) { try ExclusionEntry.parse($0) }.map(entry)
        }
        return changes
    }

    /// A program definition file; exit status 2 when it cannot be read or is not a definition.
    static func readProgram(_ file: String) throws -> Program {
        try unreadableIsTwo(file) { try Program.decode(Data($0.utf8)) }
    }

    private static func unreadableIsTwo<T>(_ file: String, _ parse: (String) throws -> T) throws -> T {
        let text = try CLI.readText(file)
        do { return try parse(text) } catch {
            CLI.printError("\(file) cannot be read: \(error)")
            throw ExitCode(2)
        }
    }

    static func entry(_ e: ExclusionEntry) -> ExclusionImpact.Entry {
        ExclusionImpact.Entry(
            list: e.list, family: e.familyName, given: e.givenName, birthDate: e.birthDate.description,
            citizenship: e.citizenship, clause: e.clause, reference: e.reference)
    }
}
