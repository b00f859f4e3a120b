import ArgumentParser
import Foundation
import Postgres
import Screening
import Store

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
            do {
                let session = SubmitSession(
                    database: database, reader: reader, path: file, folder: folder,
                    program: program, stop: stop)
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
}

/// One submission: reads, validates and stores in chunks, with progress on a terminal.
struct SubmitSession {
    struct Rejected {
        let line: Int
        /// The record's place in the `applications` array (JSON form).
        var record: Int? = nil
        let applicantID: String?
        let errors: [FieldError]

        /// Where the record is, for a person: its line, and its place in the array when the
        /// batch is the JSON form (a one-line batch has every record on line 1).
        var place: String { "line \(line)" + (record.map { ", record \($0)" } ?? "") }
    }

    /// An applicant who appears again later in the same batch (the later line is the later revision).
    struct Warning: Codable {
        let line: Int
        let applicantID: String
        let message: String

        enum CodingKeys: String, CodingKey {
            case line, message
            case applicantID = "applicant_id"
        }
    }

    /// The database went away during the submission: what was stored before it did.
    struct Interrupted: Error {
        let stored: Int
        let read: Int
        let connectionLost: Bool

        func message(file: String) -> String {
            let cause =
                connectionLost
                ? "the connection to the database was lost" : "the database refused to store a chunk of records"
            return
                "\(cause) during the submission: \(stored) of the \(read) records read were stored before it stopped. "
                + "Re-running `bursar submit \(file)` is safe: records already stored come back as unchanged, "
                + "the others are stored."
        }
    }

    struct Summary {
        var accepted = 0
        var unchanged = 0
        var rejected: [Rejected] = []
        var recordCount = 0
        var parsedAny = false
        var fileError: String?
        var warnings: [Warning] = []
        /// The signal that stopped the submission, if one did.
        var interrupted: Int32?
        /// The line of the last record read.
        var lastLine = 0
        /// Members not in the interface, each with how many records carried it (not stored).
        var ignoredFields: [IgnoredField] = []

        mutating func ignored(_ field: String) {
            if let i = ignoredFields.firstIndex(where: { $0.field == field }) {
                ignoredFields[i].records += 1
            } else {
                ignoredFields.append(IgnoredField(field: field, records: 1))
            }
        }

        /// The summary as `--json` prints it.
        var report: Report {
            Report(
                accepted: accepted, unchanged: unchanged, stored: accepted + unchanged, warnings: warnings,
                ignoredFields: ignoredFields, interrupted: interrupted.map(SubmitStop.name),
                rejected: rejected.map {
                    Report.Rejected(
                        line: $0.line, record: $0.record, applicantID: $0.applicantID,
                        errors: $0.errors.map { Report.FieldProblem(field: $0.field, message: $0.message) })
                })
        }
    }

    /// `bursar submit --json`.
    struct Report: Encodable {
        struct FieldProblem: Encodable {
            let field: String
            let message: String
        }

        struct Rejected: Encodable {
            let line: Int
            let record: Int?
            let applicantID: String?
            let errors: [FieldProblem]

            enum CodingKeys: String, CodingKey {
                case line, record, errors
                case applicantID = "applicant_id"
            }

            func encode(to encoder: Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(line, forKey: .line)
                try container.encodeIfPresent(record, forKey: .record)
                try container.encode(applicantID, forKey: .applicantID)
                try container.encode(errors, forKey: .errors)
            }
        }

        let accepted: Int
        let unchanged: Int
        /// Records stored by the end of the command (accepted and unchanged ones).
        let stored: Int
        let warnings: [Warning]
        let ignoredFields: [IgnoredField]
        let interrupted: String?
        let rejected: [Rejected]

        enum CodingKeys: String, CodingKey {
            case accepted, unchanged, stored, warnings, interrupted, rejected
            case ignoredFields = "ignored_fields"
        }
    }

    /// A member the interface does not define, and how many records carried it.
    struct IgnoredField: Encodable {
        let field: String
        var records: Int
    }

    let database: Database
    let reader: BatchReader
    /// The batch file, read a second time for the JSON form (see ``jsonFormProblem()``).
    let path: String
    let folder: String
    let program: String?
    /// The command's signals (none in the benchmark, which keeps the default handlers).
    var stop: SubmitStop? = nil
    static let chunkSize = 500

    func run() async throws -> Summary {
        var summary = Summary()
        do {
            try await read(into: &summary)
        } catch {
            // Records whose chunk committed are stored; the rest are not (a chunk is one transaction).
            throw Interrupted(
                stored: summary.accepted + summary.unchanged, read: summary.recordCount,
                connectionLost: (error as? PostgresError)?.isConnectionLoss ?? true)
        }
        return summary
    }

    /// The JSON form is one JSON value: it is read whole once before anything is stored, so a
    /// file cut off, with a key given twice at any level or with text after it is refused whole.
    private func jsonFormProblem() -> String? {
        do {
            let whole = try BatchReader(path: path)
            while let item = try whole.next() {
                if stop?.signal != nil { return nil }
                guard item.problem == nil else { continue }
                let place = "record \(item.record ?? 0) (line \(item.line))"
                let value: JSONValue
                do { value = try JSONParser.parse(item.bytes) } catch {
                    return "\(place) of the batch is not valid JSON (\(error)); nothing was stored"
                }
                if let repeated = value.repeatedMemberPath {
                    return "\(place): the key \(repeated) appears twice in one object; which value was meant cannot be "
                        + "known, so nothing was stored"
                }
            }
            return nil
        } catch {
            return "\(error); nothing was stored"
        }
    }

    /// A first line that only opens an object or an array: a pretty-printed value, not NDJSON.
    private static func spreadOverLines(_ bytes: [UInt8]) -> String? {
        let trimmed = bytes.filter { $0 != 32 && $0 != 9 }
        if trimmed == [UInt8(ascii: "{")] { return "one JSON object" }
        if trimmed == [UInt8(ascii: "[")] || trimmed == Array("[{".utf8) { return "one JSON array" }
        return nil
    }

    private func read(into summary: inout Summary) async throws {
        if reader.form == .jsonObject, let problem = jsonFormProblem() {
            summary.fileError = problem
            return
        }
        let known = Set(try await ProgramStore(database: database).programIDs())
        // Read once: each read of the environment builds a dictionary of it (5 % of a submission
        // when it was read per record).
        let environmentProgram = ProgramOption.environmentDefault
        let progress = isatty(2) == 1
        var chunk: [ApplicationStore.Record] = []
        // The line each applicant was last seen on, to warn when one appears again — keyed by the
        // hash of (program, applicant) rather than the text: two integers an applicant, where the
        // strings had made it the largest thing a 1,000,000-record submission held (~100 MB). Two
        // applicants sharing a 64-bit hash in one batch (odds ~10⁻⁸ at 1,000,000) would only
        // cost a warning that names the wrong earlier line; what is stored does not depend on it.
        // A compact table rather than a dictionary: 146 → 130 MB peak RSS at 1,000,000 (ApplicantLines).
        var lastLines = ApplicantLines()
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
            if let signal = stop?.signal {
                // The chunk being built is not stored; the one being stored commits below.
                summary.interrupted = signal
                chunk.removeAll()
                break
            }
            let item: BatchReader.Item?
            do { item = try reader.next() } catch {
                summary.fileError = "\(error)"
                break
            }
            guard let item else { break }
            summary.recordCount += 1
            summary.lastLine = item.line
            if reader.form == .ndjson, summary.recordCount == 1, let shape = Self.spreadOverLines(item.bytes) {
                summary.fileError =
                    "this looks like \(shape) spread over lines: write one application a line (NDJSON) "
                    + "or the JSON form {\"program\": …, \"applications\": […]}; nothing was stored"
                break
            }
            if let problem = item.problem {
                summary.rejected.append(
                    Rejected(
                        line: item.line, record: item.record, applicantID: nil,
                        errors: [FieldError(field: "", message: problem)]))
                continue
            }
            let value: JSONValue
            do {
                value = try JSONParser.parse(item.bytes)
                summary.parsedAny = true
            } catch {
                summary.rejected.append(
                    Rejected(
                        line: item.line, record: item.record, applicantID: nil,
                        errors: [FieldError(field: "", message: "\(error)")]))
                continue
            }
            if let repeated = value.repeatedMemberPath {
                summary.rejected.append(
                    Rejected(
                        line: item.line, record: item.record,
                        applicantID: ApplicationDecoder.readableApplicantID(value),
                        errors: [
                            FieldError(
                                field: repeated,
                                message: "the key appears twice in one object; which value was meant cannot be known")
                        ]))
                continue
            }
            // --program, then the batch's own, then BURSAR_PROGRAM, then the only program there is (interface §5).
            let batchProgram = program ?? reader.program ?? environmentProgram ?? (known.count == 1 ? known.first : nil)
            switch ApplicationDecoder.decode(value, defaultProgram: batchProgram) {
            case .failure(let rejection):
                summary.rejected.append(
                    Rejected(
                        line: item.line, record: item.record,
                        applicantID: rejection.applicantID ?? ApplicationDecoder.readableApplicantID(value),
                        errors: rejection.errors))
            case .success(let application):
                guard known.contains(application.program) else {
                    summary.rejected.append(
                        Rejected(
                            line: item.line, record: item.record, applicantID: application.applicantID,
                            errors: [
                                FieldError(
                                    field: "program",
                                    message: "is not a known program (known: \(known.sorted().joined(separator: ", ")))"
                                )
                            ]))
                    continue
                }
                var key = Hasher()
                key.combine(application.program)
                key.combine(application.applicantID)
                if let earlier = lastLines.updateValue(item.line, forKey: key.finalize()) {
                    summary.warnings.append(
                        Warning(
                            line: item.line, applicantID: application.applicantID,
                            message:
                                "the applicant is also on line \(earlier); this later line is stored as the later "
                                + "revision"
                        ))
                }
                let (kept, ignored) = KnownFields.pruned(value)
                for field in ignored { summary.ignored(field) }
                let content = kept.setting("program", to: .string(application.program)).canonicalText
                chunk.append(.init(line: item.line, application: application, content: content))
                if chunk.count >= Self.chunkSize { try await flush() }
            }
            if progress && summary.recordCount % 2000 == 0 {
                CLI.progress(
                    "\(Wording.count(summary.recordCount, "record")) read (\(reader.bytesRead >> 20) MiB), "
                        + "\(summary.accepted) stored, \(summary.rejected.count) rejected"
                )
            }
        }
        try await flush()
        try await collect()
        if progress && summary.recordCount >= 2000 { CLI.progress(nil) }
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
