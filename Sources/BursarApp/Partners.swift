import ArgumentParser
import Foundation
import History
import Partners
import Screening
import Store

/// `bursar partners list|import|match|confirm|reject|evaluate`.
struct Partners: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Partner lists (clause (2)(b)) and the institution matcher.",
        discussion: "Example: bursar partners match \"Chulalongkorn Univ.\" --country TH; bursar partners list",
        subcommands: [List.self, Import.self, Match.self, Confirm.self, Reject.self, Evaluate.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a program's partner list: one row per agreement.",
            discussion: "Example: bursar partners list --program tgp-2026; bursar partners list --json")
        @OptionGroup var options: ProgramOption
        @Flag(help: "Print as JSON lines.") var json = false

        /// One institution of `partners list --json`.
        struct Row: Encodable {
            struct Agreement: Encodable {
                let level: String
                /// The level as the list writes it (全学, 部局間).
                let levelAsListed: String
                let department: String

                enum CodingKeys: String, CodingKey {
                    case level, department
                    case levelAsListed = "level_as_listed"
                }
            }

            let name: String
            let country: String
            let agreements: [Agreement]
        }

        func run() async throws {
            try await Runner.withDatabase { database in
                let program = try await Runner.program(options.program, database: database)
                let partners = try await PartnerStore(database: database).partners(program: program)
                if partners.isEmpty {
                    throw BursarError.notFound(
                        "\(program) has no partner list; load one with `bursar partners import FILE --program "
                            + "\(program)`"
                    )
                }
                if json {
                    for p in partners {
                        printLine(
                            try CLI.json(
                                Row(
                                    name: p.name, country: p.country,
                                    agreements: p.agreements.map {
                                        Row.Agreement(
                                            level: AgreementLevel.english($0.level), levelAsListed: $0.level,
                                            department: $0.department)
                                    })))
                    }
                    return
                }
                printLine(["INSTITUTION", "COUNTRY", "AGREEMENT", "DEPARTMENT"].joined(separator: "\t"))
                for p in partners {
                    for a in p.agreements {
                        printLine(
                            [p.name, p.country, AgreementLevel.english(a.level), a.department].joined(separator: "\t"))
                    }
                }
                CLI.note(
                    "\(partners.count) institutions, \(partners.reduce(0) { $0 + $1.agreements.count }) agreements")
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a partner list (CSV with a header row); replaces the program's list.",
            discussion: """
                Prints what changes (institutions added, removed, renamed, changed) and how many applications are \
                decided again because their partner match changes. With --dry-run nothing is changed.

                Example: bursar partners import partners-2026.csv --program tgp-2026 --dry-run
                """)
        @Argument(
            help: ArgumentHelp(
                "The CSV file (columns: name, country; optional japanese_name, level, department, tmu_faculty, "
                    + "aliases).")
        ) var file: String
        @Option(help: "The program the list belongs to.") var program: String
        @Flag(help: "Show what the import would change, and change nothing.") var dryRun = false
        @Flag(help: "Replace the list even when the import removes more than 5 institutions.")
        var yes = false

        /// Removals an import may make without --yes (renamed institutions are not removals).
        static let removalsWithoutYes = 5

        func run() async throws {
            let partners = try CLI.readList(file, PartnerListCSV.parse)
            let imported = try await Runner.withDatabase { database in
                let source = URL(fileURLWithPath: file).lastPathComponent
                return try await PartnerStore(database: database).replace(
                    program: program, partners: partners, source: source, dryRun: dryRun,
                    maxRemovals: yes ? nil : Self.removalsWithoutYes)
            }
            let agreements = partners.reduce(0) { $0 + $1.agreements.count }
            let count = imported.redecided
            let applications = Wording.count(count, "application")
            if dryRun {
                printLine(
                    "dry run: nothing was changed; importing \(partners.count) institutions (\(agreements) agreements) "
                        + "as the partner list of \(program) would change:"
                )
            } else {
                printLine(
                    "imported \(partners.count) institutions (\(agreements) agreements) as the partner list of "
                        + "\(program):"
                )
            }
            for line in imported.change.lines { printLine(line) }
            printLine(dryRun ? "\(applications) would be decided again" : "\(applications) queued to be decided again")
            guard dryRun else { return }
            // What those decisions would be: the same what-if as `bursar whatif --partners`.
            let report = try await Runner.withDatabase { database in
                try await WhatIf(database: database).run(program: program, changes: .init(partners: partners))
            }
            printLine(HistoryOutput.text(report))
        }
    }

    struct Match: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show how an institution name as an applicant wrote it is matched.",
            discussion: "Example: bursar partners match \"Univ. of Bayreuth\" --country DE --program tgp-2026 --json")
        @Argument(help: "The name as written.") var name: String
        @Option(help: "The institution's country (ISO alpha-2); a guard against same names elsewhere.") var country:
            String?
        @OptionGroup var options: ProgramOption
        @Flag(help: "Print as JSON.") var json = false

        /// `partners match --json` (interface §6).
        struct Report: Encodable {
            struct Candidate: Encodable {
                let partner: String
                let score: Double
            }

            let result: String
            let partner: String?
            let candidates: [Candidate]
            let reason: String

            func encode(to encoder: Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(result, forKey: .result)
                try container.encode(partner, forKey: .partner)  // null when there is none
                try container.encode(candidates, forKey: .candidates)
                try container.encode(reason, forKey: .reason)
            }

            enum CodingKeys: String, CodingKey { case result, partner, candidates, reason }
        }

        func run() async throws {
            let result = try await Runner.withDatabase { database in
                let program = try await Runner.program(options.program, database: database)
                return try await PartnerStore(database: database).matcher(program: program).match(
                    institution: name, country: country?.uppercased())
            }
            if json {
                printLine(
                    try CLI.json(
                        Report(
                            result: result.result.rawValue, partner: result.partner,
                            candidates: result.candidates.map {
                                Report.Candidate(partner: $0.partner, score: ($0.score * 100).rounded() / 100)
                            }, reason: result.reason)))
                return
            }
            printLine("\(result.result.rawValue)\(result.partner.map { ": \($0)" } ?? "")")
            printLine("why: \(result.reason)")
            for c in result.candidates where result.result != .matched {
                printLine("  candidate: \(c.partner) (similarity \(String(format: "%.2f", c.score)))")
            }
        }
    }

    struct Confirm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Confirm an uncertain spelling as a partner; applications waiting on it are screened again.",
            discussion:
                "Example: bursar partners confirm \"Bayreuth\" --partner \"University of Bayreuth\" --reason \"checked "
                    + "with the office\""
        )
        @Argument(help: "The spelling as applicants wrote it.") var spelling: String
        @Option(help: "The partner's English name, as `partners list` prints it.") var partner: String
        @OptionGroup var why: ReasonOption
        @OptionGroup var options: ProgramOption

        func run() async throws {
            let count = try await Partners.decide(
                spelling, partner: partner, reason: why.text ?? "", program: options.program)
            printLine(
                "\"\(spelling)\" is now an alias of \(partner); \(Wording.count(count, "application")) queued for "
                    + "screening again"
            )
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reject an uncertain spelling: it is not a partner; waiting applications are screened again.",
            discussion: "Example: bursar partners reject \"Bayreuth Technical College\" --reason \"not the university\""
        )
        @Argument(help: "The spelling as applicants wrote it.") var spelling: String
        @OptionGroup var why: ReasonOption
        @OptionGroup var options: ProgramOption

        func run() async throws {
            let count = try await Partners.decide(
                spelling, partner: nil, reason: why.text ?? "", program: options.program)
            printLine(
                "\"\(spelling)\" is recorded as not a partner; \(Wording.count(count, "application")) queued for "
                    + "screening again"
            )
        }
    }

    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Precision and recall of the matcher on a labelled set (name,country,expected_partner,kind).",
            discussion:
                "Relative paths are read from BURSAR_HOME (the folder holding db/). Example: bursar partners evaluate")
        @Option(help: "The labelled set.") var cases: String = "db/partners/tgp-2026-evaluation.csv"
        @Option(help: "The partner list CSV.") var list: String = "db/partners/tgp-2026.csv"

        func run() throws {
            // Found through BURSAR_HOME like the rest of the program data, whatever the current folder.
            let home: URL
            do { home = try BursarHome.locate() } catch {
                CLI.printError("\(error)")
                throw ExitCode(2)
            }
            func path(_ file: String) -> String { file.hasPrefix("/") ? file : home.appendingPathComponent(file).path }
            guard let listText = try? String(contentsOfFile: path(list), encoding: .utf8),
                let casesText = try? String(contentsOfFile: path(cases), encoding: .utf8)
            else {
                CLI.printError("cannot read \(path(list)) or \(path(cases))")
                throw ExitCode(2)
            }
            let evaluation = MatcherEvaluation(
                matcher: PartnerMatcher(partners: try PartnerListCSV.parse(listText)),
                cases: MatcherEvaluation.cases(csv: casesText))
            printLine(evaluation.report)
            if !evaluation.meetsTargets { throw ExitCode(1) }
        }
    }
}

extension Partners {
    /// Records an officer's decision on an uncertain spelling (a partner's name, or nil for "not
    /// a partner"); returns how many applications were queued for screening again.
    static func decide(_ spelling: String, partner: String?, reason: String, program: String?) async throws -> Int {
        try await Runner.withDatabase { database in
            let program = try await Runner.program(program, database: database)
            return try await PartnerStore(database: database).decide(
                program: program, spelling: spelling, partner: partner, reason: reason)
        }
    }
}
