import ArgumentParser
import Foundation
import History
import Screening
import Store

/// `bursar exclusions import|list` and `bursar duplicates list|resolve`.
struct Exclusions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Person-level exclusion lists (interface §4).",
        discussion: "Example: bursar exclusions import examples/tgp-2026-sample/exclusions.csv --program tgp-2026",
        subcommands: [Import.self, List.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Load an exclusion list CSV (list,family_name,given_name,birth_date,citizenship,clause,reference); "
                + "importing a list again replaces it.",
            discussion: "Example: bursar exclusions import examples/tgp-2026-sample/exclusions.csv --program tgp-2026")
        @Argument(help: "The CSV file.") var file: String
        @Option(help: "The program.") var program: String
        @OptionGroup var why: ReasonOption
        @Flag(help: "Change nothing; list what the import would change (as `bursar whatif --exclusions`).") var dryRun =
            false

        func run() async throws {
            let entries = try CLI.readList(file, ExclusionEntry.parse)
            let lists = Dictionary(grouping: entries, by: \.list)
            if dryRun {
                try await Runner.withDatabase { database in
                    _ = try await ProgramStore(database: database).program(program)
                    let report = try await WhatIf(database: database).run(
                        program: program,
                        changes: .init(exclusions: entries.map(WhatIfCommand.entry)))
                    printLine("dry run: nothing was changed")
                    printLine(HistoryOutput.text(report))
                }
                return
            }
            try await Runner.withDatabase { database in
                let store = PersonScreening(database: database)
                _ = try await ProgramStore(database: database).program(program)
                for (list, items) in lists.sorted(by: { $0.key < $1.key }) {
                    let (count, rescreened) = try await store.importList(
                        program: program, list: list, entries: items,
                        source: URL(fileURLWithPath: file).lastPathComponent,
                        reason: why.text)
                    printLine(
                        "list \(list): \(Wording.count(count, "entry", "entries")); "
                            + "\(Wording.count(rescreened, "application")) queued for screening again"
                    )
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The program's exclusion lists and their sizes.",
            discussion: "Example: bursar exclusions list --program tgp-2026")
        @OptionGroup var options: ProgramOption
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            try await Runner.withDatabase { database in
                let program = try await Runner.program(options.program, database: database)
                let lists = try await PersonScreening(database: database).lists(program: program)
                if json {
                    printLine(
                        "["
                            + lists.map { "{\"list\": \"\($0.list)\", \"entries\": \($0.entries)}" }.joined(
                                separator: ", ") + "]")
                } else {
                    if lists.isEmpty { printLine("\(program) has no exclusion lists") }
                    for l in lists { printLine("\(l.list)\t\(Wording.count(l.entries, "entry", "entries"))") }
                }
            }
        }
    }
}

struct Duplicates: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Applications of one person under several applicant ids.",
        discussion: "Example: bursar duplicates list --json", subcommands: [List.self, Resolve.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open duplicates (identity.duplicate in review).",
            discussion: "Example: bursar duplicates list --program tgp-2026 --json")
        @OptionGroup var options: ProgramOption
        @Flag(help: "Print as JSON.") var json = false

        /// One open duplicate of `duplicates list --json`.
        struct Row: Encodable {
            let applicantID: String
            let samePersonAs: [String]

            enum CodingKeys: String, CodingKey {
                case applicantID = "applicant_id"
                case samePersonAs = "same_person_as"
            }
        }

        func run() async throws {
            try await Runner.withDatabase { database in
                let program = try await Runner.program(options.program, database: database)
                let open = try await PersonScreening(database: database).openDuplicates(program: program)
                if json {
                    printLine(try CLI.json(open.map { Row(applicantID: $0.applicantID, samePersonAs: $0.others) }))
                    return
                }
                if open.isEmpty { printLine("no open duplicates in \(program)") }
                for d in open { printLine("\(d.applicantID)\tsame person as \(d.others.joined(separator: ", "))") }
            }
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resolve a duplicate: withdraw ID in favour of --keep; both are decided again.",
            discussion: """
                Only a pair that `bursar duplicates list` shows (flagged identity.duplicate) can be resolved. The \
                withdrawn application's outcome becomes withdrawn (it can no longer be admitted); the kept one is \
                decided again without identity.duplicate for this pair.

                Example: bursar duplicates resolve A-016 --keep A-015 --program tgp-2026 --reason "same passport number"
                """)
        @Argument(help: "The application to withdraw.") var applicantID: String
        @Option(help: "The application that stands.") var keep: String
        @OptionGroup var options: ProgramOption
        @OptionGroup var why: ReasonOption

        func run() async throws {
            try await Runner.withDatabase { database in
                let program = try await Runner.existingProgram(options.program, database: database)
                let resolution = try await PersonScreening(database: database).resolveDuplicate(
                    program: program, drop: applicantID, keep: keep,
                    reason: why.text)
                if resolution.alreadyResolved {
                    printLine("\(applicantID) was already withdrawn in favour of \(keep); nothing changed")
                } else {
                    printLine(
                        "\(applicantID) withdrawn in favour of \(keep); "
                            + "\(Wording.count(resolution.redecided, "application")) queued to be decided again"
                    )
                }
            }
        }
    }
}
