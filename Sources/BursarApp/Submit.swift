import ArgumentParser
import Foundation
import Screening
import Store

/// `bursar submit FILE`: validates every record, stores the accepted ones with their jobs.
struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit a batch of applications (NDJSON, or {\"program\": …, \"applications\": […]}).",
        discussion: "Exit status: 0 when every record was accepted or unchanged, 3 when some were rejected, 2 when the file cannot be read or parsed at all.")

    @Argument(help: "The batch file. Document paths in it are relative to its folder.")
    var file: String

    @Option(help: "The program, when the records and the batch do not name it.")
    var program: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() async throws {
        let url = URL(fileURLWithPath: file)
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            CLI.printError("cannot read \(file): no such file or no permission")
            throw ExitCode(2)
        }
        let reader: BatchReader
        do { reader = try BatchReader(url: url) } catch {
            CLI.printError("\(error)")
            throw ExitCode(2)
        }
        let folderURL = url.deletingLastPathComponent().standardizedFileURL
        guard let resolved = realpath(folderURL.path, nil) else {
            CLI.printError("cannot resolve the batch folder \(folderURL.path)")
            throw ExitCode(2)
        }
        let folder = String(cString: resolved)
        free(resolved)

        let summary = try await Runner.withDatabase { database in
            try await SubmitSession(database: database, reader: reader, folder: folder, program: program).run()
        }
        if json {
            let rejected = summary.rejected.map { r in
                JSONWriter.object([
                    ("line", String(r.line)), ("applicant_id", JSONWriter.optionalString(r.applicantID)),
                    ("errors", "[" + r.errors.map { JSONWriter.object([("field", JSONWriter.string($0.field)), ("message", JSONWriter.string($0.message))]) }.joined(separator: ", ") + "]"),
                ])
            }
            printLine(JSONWriter.object([("accepted", String(summary.accepted)), ("unchanged", String(summary.unchanged)),
                                         ("rejected", "[" + rejected.joined(separator: ", ") + "]")]))
        } else {
            printLine("accepted: \(summary.accepted)")
            printLine("unchanged: \(summary.unchanged)")
            printLine("rejected: \(summary.rejected.count)")
            for r in summary.rejected {
                let errors = r.errors.map { $0.field.isEmpty ? $0.message : "\($0.field): \($0.message)" }.joined(separator: "; ")
                printLine("  line \(r.line)\(r.applicantID.map { " (\($0))" } ?? ""): \(errors)")
            }
        }
        if summary.fileError != nil || (summary.parsedAny == false && !summary.rejected.isEmpty) || summary.recordCount == 0 {
            if let message = summary.fileError { CLI.printError(message) }
            else if summary.recordCount == 0 { CLI.printError("\(file) holds no records") }
            else { CLI.printError("no line of \(file) is JSON: the file cannot be parsed at all") }
            throw ExitCode(2)
        }
        if !summary.rejected.isEmpty { throw ExitCode(3) }
    }
}

/// One submission: reads, validates and stores in chunks, with progress on a terminal.
struct SubmitSession {
    struct Rejected {
        let line: Int
        let applicantID: String?
        let errors: [FieldError]
    }

    struct Summary {
        var accepted = 0
        var unchanged = 0
        var rejected: [Rejected] = []
        var recordCount = 0
        var parsedAny = false
        var fileError: String?
    }

    let database: Database
    let reader: BatchReader
    let folder: String
    let program: String?
    static let chunkSize = 500

    func run() async throws -> Summary {
        var summary = Summary()
        let known = Set(try await ProgramStore(database: database).programIDs())
        let progress = isatty(2) == 1
        var chunk: [ApplicationStore.Record] = []
        let store = ApplicationStore(database: database)
        // One chunk is stored while the next is read and validated; chunks are stored in file
        // order (each waits for the one before), so later revisions stay later.
        var storing: Task<[ApplicationStore.Stored], Error>?
        func collect() async throws {
            guard let task = storing else { return }
            storing = nil
            for result in try await task.value {
                switch result {
                case .accepted: summary.accepted += 1
                case .unchanged: summary.unchanged += 1
                }
            }
        }
        func flush() async throws {
            guard !chunk.isEmpty else { return }
            let records = chunk
            chunk.removeAll(keepingCapacity: true)
            try await collect()
            storing = Task { [store, folder] in try await store.store(records, batchFolder: folder) }
        }
        defer { storing?.cancel() }
        while true {
            let item: BatchReader.Item?
            do { item = try reader.next() } catch {
                summary.fileError = "\(error)"
                break
            }
            guard let item else { break }
            summary.recordCount += 1
            let value: JSONValue
            do {
                value = try JSONParser.parse(item.bytes)
                summary.parsedAny = true
            } catch {
                summary.rejected.append(Rejected(line: item.line, applicantID: nil, errors: [FieldError(field: "", message: "\(error)")]))
                continue
            }
            let batchProgram = program ?? reader.program
            switch ApplicationDecoder.decode(value, defaultProgram: batchProgram) {
            case .failure(let rejection):
                summary.rejected.append(Rejected(line: item.line, applicantID: rejection.applicantID ?? ApplicationDecoder.readableApplicantID(value), errors: rejection.errors))
            case .success(let application):
                guard known.contains(application.program) else {
                    summary.rejected.append(Rejected(line: item.line, applicantID: application.applicantID, errors: [
                        FieldError(field: "program", message: "\"\(application.program)\" is not a known program (known: \(known.sorted().joined(separator: ", ")))"),
                    ]))
                    continue
                }
                let content = value.setting("program", to: .string(application.program)).canonicalText
                chunk.append(.init(line: item.line, application: application, content: content))
                if chunk.count >= Self.chunkSize { try await flush() }
            }
            if progress && summary.recordCount % 2000 == 0 {
                CLI.progress("\(summary.recordCount) records read (\(reader.bytesRead >> 20) MiB), \(summary.accepted) stored, \(summary.rejected.count) rejected")
            }
        }
        try await flush()
        try await collect()
        if progress && summary.recordCount >= 2000 { CLI.progress(nil) }
        return summary
    }
}

extension CLI {
    /// A progress line on the terminal (standard error), overwritten in place; nil ends it.
    static func progress(_ text: String?) {
        if let text { FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8)) }
        else { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
