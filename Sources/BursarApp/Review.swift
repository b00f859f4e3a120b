import ArgumentParser
import Foundation
import Store

/// `bursar review list`: what waits for a person, and why (interface §2).
struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What waits for a person: applications in needs_review and uncertain institution spellings.",
        discussion: "Example: bursar review list --program tgp-2026",
        subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "List each application in needs_review with the clauses left to a person and why, and the "
                + "uncertain spellings.",
            discussion: """
                Resolve an uncertain spelling with `bursar partners confirm SPELLING --partner NAME` or \
                `bursar partners reject SPELLING`; the applications holding it are decided again.
                Example: bursar review list --program tgp-2026 --json
                """)
        @OptionGroup var options: ProgramOption
        @Flag(help: "Print as JSON.") var json = false

        /// `review list --json`.
        struct Report: Encodable {
            struct Application: Encodable {
                let applicantID: String
                let revision: Int
                let review: [Clause]

                enum CodingKeys: String, CodingKey {
                    case revision, review
                    case applicantID = "applicant_id"
                }
            }

            struct Clause: Encodable {
                let clause: String
                let why: String
            }

            struct Spelling: Encodable {
                let spelling: String
                let country: String
                let applications: Int
            }

            struct Admitted: Encodable {
                let applicantID: String
                let outcome: String
                let clauses: [String]
                /// Payments held by an open `eligibility.changed`.
                let held: Bool
                enum CodingKeys: String, CodingKey {
                    case applicantID = "applicant_id"
                    case outcome, clauses
                    case held = "payments_held"
                }
            }

            let program: String
            let applications: [Application]
            let uncertainSpellings: [Spelling]
            /// Admitted scholars who would not be eligible today, and whether their payments are held.
            let admittedNotEligible: [Admitted]

            enum CodingKeys: String, CodingKey {
                case program, applications
                case uncertainSpellings = "uncertain_spellings"
                case admittedNotEligible = "admitted_not_eligible"
            }
        }

        func run() async throws {
            let report = try await Runner.withDatabase { database in
                let program = try await Runner.existingProgram(options.program, database: database)
                let store = ReviewStore(database: database)
                let waiting = try await store.waiting(program: program)
                let spellings = try await store.uncertainSpellings(program: program)
                let admitted = try await store.admittedNotEligible(program: program).map {
                    Report.Admitted(
                        applicantID: $0.applicantID, outcome: $0.outcome, clauses: $0.clauses, held: $0.held)
                }
                var applications: [Report.Application] = []
                for item in waiting {
                    let clause = Report.Clause(clause: item.clause, why: item.why)
                    if let last = applications.last, last.applicantID == item.applicantID {
                        applications[applications.count - 1] = Report.Application(
                            applicantID: last.applicantID, revision: last.revision,
                            review: last.review + [clause])
                    } else {
                        applications.append(
                            Report.Application(applicantID: item.applicantID, revision: item.revision, review: [clause])
                        )
                    }
                }
                return Report(
                    program: program, applications: applications,
                    uncertainSpellings: spellings.map {
                        Report.Spelling(spelling: $0.spelling, country: $0.country, applications: $0.applications)
                    }, admittedNotEligible: admitted)
            }
            if json {
                printLine(try CLI.json(report))
                return
            }
            if report.applications.isEmpty && report.uncertainSpellings.isEmpty && report.admittedNotEligible.isEmpty {
                printLine("nothing waits for a person in \(report.program)")
                return
            }
            printLine(
                "\(report.applications.count) application\(report.applications.count == 1 ? "" : "s") in "
                    + "needs_review (\(report.program)):"
            )
            for application in report.applications {
                printLine("  \(application.applicantID) (revision \(application.revision))")
                for clause in application.review { printLine("    \(clause.clause): \(clause.why)") }
            }
            for a in report.admittedNotEligible {
                let standing =
                    a.held
                    ? "payments held: eligibility.changed is open until an officer clears it (`bursar flags clear`)"
                    : "nothing is held: after acceptance only (10) findings and terminations stop support"
                printLine(
                    "  \(a.applicantID): admitted; would not be eligible today: clauses "
                        + "\(a.clauses.joined(separator: ", ")) (\(a.outcome); \(standing))")
            }
            if !report.uncertainSpellings.isEmpty {
                printLine("")
                printLine(
                    "uncertain institution spellings (confirm or reject each with `bursar partners confirm|reject`):")
                for s in report.uncertainSpellings {
                    printLine(
                        "  \"\(s.spelling)\" (\(CountryName.of(s.country))): \(s.applications) "
                            + "application\(s.applications == 1 ? "" : "s")"
                    )
                }
            }
        }
    }
}
