import ArgumentParser
import Foundation
import History
import Screening
import Store

/// `bursar programs list|show ID|import FILE [--dry-run]` (interface §4, v1.2).
struct ProgramsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "programs", abstract: "Program definitions (the format of db/programs/*.json).",
        discussion: "Example: bursar programs show tgp-2026 --json", subcommands: [List.self, Show.self, Import.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The programs, their rule sets and definition versions.",
            discussion: "Example: bursar programs list --json")
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            try await Runner.withDatabase { database in
                let programs = try await ProgramStore(database: database).summaries()
                if json {
                    printLine(
                        "["
                            + programs.map {
                                JSONWriter.object([
                                    ("id", JSONWriter.string($0.id)), ("name", JSONWriter.string($0.name)),
                                    ("rule_set", JSONWriter.string($0.ruleSet)),
                                    ("definition_version", String($0.version)),
                                ])
                            }.joined(separator: ", ") + "]")
                } else {
                    for p in programs { printLine("\(p.id)\t\(p.ruleSet)\tdefinition version \(p.version)\t\(p.name)") }
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A program's definition in force.",
            discussion: "Example: bursar programs show tgp-2026 --json")
        @Argument(help: "The program id.") var id: String
        @Flag(help: "Print as JSON (the format of db/programs/*.json).") var json = false

        func run() async throws {
            try await Runner.withDatabase { database in
                let program = try await ProgramStore(database: database).program(id)
                if json {
                    printLine(String(decoding: try program.encoded(), as: UTF8.self))
                } else {
                    printLine(
                        """
                        \(program.id): \(program.name)
                        rule set \(program.ruleSet); enrollment \(program.enrollmentDate); stipend \
                        \(program.stipendYenPerMonth) yen a month
                        months: master \(program.durationMonths.master), doctoral \(program.durationMonths.doctoral); \
                        GPA threshold \(program.gpaThreshold)
                        """)
                }
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import a program definition: a new definition version (audited); every application of the program "
                + "is decided again.",
            discussion: """
                Exit 0 applied, 2 the file cannot be read or is not a definition. --dry-run reports what `whatif \
                --program-file` reports.
                Example: bursar programs import tgp-2026-v2.json --dry-run
                """)
        @Argument(help: "The definition file (JSON).") var file: String
        @Flag(help: "Change nothing; list what the new definition would change.") var dryRun = false
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            let program = try WhatIfCommand.readProgram(file)
            try await Runner.withDatabase { database in
                if dryRun {
                    let report = try await WhatIf(database: database).run(
                        program: program.id, changes: .init(program: program))
                    printLine(json ? HistoryOutput.json(report) : HistoryOutput.text(report))
                    return
                }
                let stored = String(decoding: try program.encoded(), as: UTF8.self)
                let done = try await ProgramStore(database: database).store(
                    program, json: stored, change: "programs.import")
                printLine(done ?? "program \(program.id): the definition is unchanged")
            }
        }
    }
}
