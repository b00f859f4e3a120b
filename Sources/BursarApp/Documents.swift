import ArgumentParser
import Foundation
import Store

/// `bursar documents recheck` (interface §2).
struct Documents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Application documents.",
        discussion: "Example: bursar documents recheck A-001 --from /srv/batches/2026-03",
        subcommands: [Recheck.self])

    struct Recheck: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check an application's documents again and decide it again.",
            discussion: """
                Reads the documents of the latest revision from the batch folder recorded at submit, or from --from \
                (a folder laid out like the batch folder). The workers (bursard, or bursar drain) do the check and the \
                new decision.

                Examples: bursar documents recheck A-001 --program tgp-2026
                          bursar documents recheck --program tgp-2026 --from /data/batches/2026-01
                """)
        @Argument(
            help: "The applicant whose documents to check again; omit it to check every application of --program.")
        var applicantID: String?
        @OptionGroup var options: ProgramOption
        @Option(
            name: .customLong("from"), help: "Read the documents from this folder instead of the recorded batch folder."
        )
        var folder: String?
        @OptionGroup var why: ReasonOption

        func validate() throws {
            if applicantID == nil && options.program == nil {
                throw ValidationError("name an applicant, or --program to check every application of a program")
            }
        }

        func run() async throws {
            // The folder is resolved as submit resolves a batch folder: documents are only read
            // inside it after resolving `..` and symlinks.
            var resolvedFolder: String?
            if let folder {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue,
                    let resolved = realpath(folder, nil)
                else {
                    CLI.printError("\(folder) is not a folder")
                    throw ExitCode(2)
                }
                resolvedFolder = String(cString: resolved)
                free(resolved)
            }
            try await Runner.withDatabase { database in
                let program = try await Runner.existingProgram(options.program, database: database)
                let count = try await ApplicationStore(database: database).recheckDocuments(
                    program: program, applicantID: applicantID,
                    folder: resolvedFolder, reason: why.text)
                printLine("\(count) application\(count == 1 ? "" : "s") queued for a document check and a new decision")
            }
        }
    }
}
