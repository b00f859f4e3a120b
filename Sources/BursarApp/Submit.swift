import ArgumentParser
import Foundation
import Intake
import Postgres
import Screening
import Store
import Submission

/// `bursar submit FILE`: validates every record, stores the accepted ones with their jobs.
struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit a batch of applications (NDJSON, or {\"program\": …, \"applications\": […]}).",
        discussion: """
            Exit status: 0 when every record was accepted or unchanged, 3 when some were rejected, 2 when the file \
            cannot be read (missing, a folder, a named pipe, a device) or parsed at all, 1 when the database fails \
            (what was stored is said), 130/143 when stopped by SIGINT/SIGTERM (what was stored is said; re-running \
            stores the rest). The JSON form is one JSON value, read whole before anything is stored: text after \
            it, a key given twice or a file cut off refuses the file. Members the interface does not define are not \
            stored (the summary names them).
            Example: bursar submit examples/tgp-2026-sample/batch.ndjson --program tgp-2026
            """)

    @Argument(help: "The batch file. Document paths in it are relative to its folder.")
    var file: String

    @Option(help: "The program, when the records and the batch do not name it.")
    var program: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() async throws {
        let stop = SubmitStop()
        let reader: BatchReader
        do { reader = try BatchReader(path: file) } catch {
            CLI.printError("\(error)")
            throw ExitCode(2)
        }
        let folderURL = URL(fileURLWithPath: file).deletingLastPathComponent().standardizedFileURL
        guard let resolved = realpath(folderURL.path, nil) else {
            CLI.printError("cannot resolve the batch folder \(folderURL.path)")
            throw ExitCode(2)
        }
        let folder = String(cString: resolved)
        free(resolved)

        let summary = try await Runner.withDatabase { database in
            try await submit(reader, folder: folder, stop: stop, database: database)
        }
        if json {
            printLine(try CLI.json(summary.report))
        } else {
            printLine("accepted: \(summary.accepted)")
            printLine("unchanged: \(summary.unchanged)")
            printLine("rejected: \(summary.rejected.count)")
            for r in summary.rejected {
                let errors = r.errors.map { $0.field.isEmpty ? $0.message : "\($0.field): \($0.message)" }.joined(
                    separator: "; ")
                printLine("  \(r.place)\(r.applicantID.map { " (\($0))" } ?? ""): \(errors)")
            }
            if !summary.warnings.isEmpty {
                printLine("warnings: \(summary.warnings.count)")
                for w in summary.warnings { printLine("  line \(w.line) (\(w.applicantID)): \(w.message)") }
            }
            for field in summary.ignoredFields {
                let records = Wording.count(field.records, "record")
                printLine("ignored unknown field `\(field.field)` in \(records) (not stored)")
            }
        }
        if let signal = summary.interrupted {
            CLI.printError(
                "stopped by \(SubmitStop.name(signal)) after line \(summary.lastLine): "
                    + "\(summary.accepted + summary.unchanged) records are stored (\(summary.accepted) accepted, "
                    + "\(summary.unchanged) unchanged); the records read after the last stored chunk were not stored. "
                    + "Re-running `bursar submit \(file)` stores the rest: records already stored come back as "
                    + "unchanged."
            )
            throw ExitCode(128 + signal)
        }
        if summary.fileError != nil || (summary.parsedAny == false && !summary.rejected.isEmpty)
            || summary.recordCount == 0
        {
            if let message = summary.fileError {
                CLI.printError(message)
            } else if summary.recordCount == 0 {
                CLI.printError("\(file) holds no records")
            } else {
                CLI.printError("no line of \(file) is JSON: the file cannot be parsed at all")
            }
            throw ExitCode(2)
        }
        if !summary.rejected.isEmpty { throw ExitCode(3) }
    }

    /// Runs the submission and writes its audit row (also when a signal stopped it).
    private func submit(_ reader: BatchReader, folder: String, stop: SubmitStop, database: Database) async throws
        -> SubmitSession.Summary
    {
        do {
            var progress: (@Sendable (String?) -> Void)?
            if isatty(2) == 1 { progress = { CLI.progress($0) } }
            // The environment read once: each read builds a dictionary of it (5 % of a
            // submission when it was read per record).
            let session = SubmitSession(
                database: database, reader: reader, path: file, folder: folder, program: program,
                environmentProgram: ProgramOption.environmentDefault, stop: stop,
                progress: progress)
            let summary = try await session.run()
            var detail = [
                "file": URL(fileURLWithPath: file).lastPathComponent, "records": "\(summary.recordCount)",
                "accepted": "\(summary.accepted)", "unchanged": "\(summary.unchanged)",
                "rejected": "\(summary.rejected.count)", "warnings": "\(summary.warnings.count)",
            ]
            if let signal = summary.interrupted { detail["interrupted"] = SubmitStop.name(signal) }
            try await database.pool.withConnection { connection in
                try await AuditLog.record(
                    on: connection, action: "applications.submit", program: program,
                    detail: detail)
            }
            return summary
        } catch let interrupted as SubmitSession.Interrupted {
            CLI.printError(interrupted.message(file: file))
            throw ExitCode(1)
        }
    }
}

extension CLI {
    /// A progress line on the terminal (standard error), overwritten in place; nil ends it.
    static func progress(_ text: String?) {
        if let text {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
        } else {
            FileHandle.standardError.write(Data("\n".utf8))
        }
    }
}
