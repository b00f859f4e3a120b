import Foundation
import Intake
import Postgres
import Screening
import Store

/// One submission: reads, validates and stores in chunks, reporting progress to its caller
/// (`bursar submit` on a terminal, `bench pipeline`).
public struct SubmitSession {
    public struct Rejected {
        public let line: Int
        /// The record's place in the `applications` array (JSON form).
        public var record: Int? = nil
        public let applicantID: String?
        public let errors: [FieldError]

        /// Where the record is, for a person: its line, and its place in the array when the
        /// batch is the JSON form (a one-line batch has every record on line 1).
        public var place: String { "line \(line)" + (record.map { ", record \($0)" } ?? "") }
    }

    /// An applicant who appears again later in the same batch (the later line is the later revision).
    public struct Warning: Codable {
        public let line: Int
        public let applicantID: String
        public let message: String

        enum CodingKeys: String, CodingKey {
            case line, message
            case applicantID = "applicant_id"
        }
    }

    /// The database went away during the submission: what was stored before it did.
    public struct Interrupted: Error {
        public let stored: Int
        public let read: Int
        public let connectionLost: Bool

        public func message(file: String) -> String {
            let cause =
                connectionLost
                ? "the connection to the database was lost" : "the database refused to store a chunk of records"
            return
                "\(cause) during the submission: \(stored) of the \(read) records read were stored before it stopped. "
                + "Re-running `bursar submit \(file)` is safe: records already stored come back as unchanged, "
                + "the others are stored."
        }
    }

    public struct Summary {
        public var accepted = 0
        public var unchanged = 0
        public var rejected: [Rejected] = []
        public var recordCount = 0
        public var parsedAny = false
        public var fileError: String?
        public var warnings: [Warning] = []
        /// The signal that stopped the submission, if one did.
        public var interrupted: Int32?
        /// The line of the last record read.
        public var lastLine = 0
        /// Members not in the interface, each with how many records carried it (not stored).
        public var ignoredFields: [IgnoredField] = []

        public mutating func ignored(_ field: String) {
            if let i = ignoredFields.firstIndex(where: { $0.field == field }) {
                ignoredFields[i].records += 1
            } else {
                ignoredFields.append(IgnoredField(field: field, records: 1))
            }
        }

        /// The summary as `--json` prints it.
        public var report: Report {
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
    public struct Report: Encodable {
        public struct FieldProblem: Encodable {
            let field: String
            let message: String
        }

        public struct Rejected: Encodable {
            let line: Int
            let record: Int?
            let applicantID: String?
            let errors: [FieldProblem]

            enum CodingKeys: String, CodingKey {
                case line, record, errors
                case applicantID = "applicant_id"
            }

            public func encode(to encoder: Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(line, forKey: .line)
                try container.encodeIfPresent(record, forKey: .record)
                try container.encode(applicantID, forKey: .applicantID)
                try container.encode(errors, forKey: .errors)
            }
        }

        public let accepted: Int
        public let unchanged: Int
        /// Records stored by the end of the command (accepted and unchanged ones).
        public let stored: Int
        public let warnings: [Warning]
        public let ignoredFields: [IgnoredField]
        public let interrupted: String?
        public let rejected: [Rejected]

        enum CodingKeys: String, CodingKey {
            case accepted, unchanged, stored, warnings, interrupted, rejected
            case ignoredFields = "ignored_fields"
        }
    }

    /// A member the interface does not define, and how many records carried it.
    public struct IgnoredField: Encodable {
        public let field: String
        public var records: Int
    }

    public let database: Database
    public let reader: BatchReader
    /// The batch file, read a second time for the JSON form (see ``jsonFormProblem()``).
    public let path: String
    public let folder: String
    /// `--program`: the program of records and batches that name none.
    public let program: String?
    /// `BURSAR_PROGRAM`, the default after `--program` and the batch's own (interface §5).
    public let environmentProgram: String?
    /// The command's signals (none in the benchmark, which keeps the default handlers).
    public let stop: SubmitStop?
    /// Where progress goes (a line to show in place, nil when the work ends); nil shows none.
    public let progress: (@Sendable (String?) -> Void)?
    static let chunkSize = 500

    public init(
        database: Database, reader: BatchReader, path: String, folder: String, program: String?,
        environmentProgram: String?, stop: SubmitStop? = nil, progress: (@Sendable (String?) -> Void)? = nil
    ) {
        self.database = database
        self.reader = reader
        self.path = path
        self.folder = folder
        self.program = program
        self.environmentProgram = environmentProgram
        self.stop = stop
        self.progress = progress
    }

    public func run() async throws -> Summary {
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
            if let progress, summary.recordCount % 2000 == 0 {
                progress(
                    "\(Wording.count(summary.recordCount, "record")) read (\(reader.bytesRead >> 20) MiB), "
                        + "\(summary.accepted) stored, \(summary.rejected.count) rejected"
                )
            }
        }
        try await flush()
        try await collect()
        if let progress, summary.recordCount >= 2000 { progress(nil) }
    }
}
