import ArgumentParser
import Foundation
import Lifecycle
import Screening
import Store

/// `bursar events submit FILE` and `bursar events list`.
struct Events: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Scholarship lifecycle events (interface §3).",
        discussion: "Example: bursar events submit events.ndjson; bursar events list --applicant S-01-base",
        subcommands: [SubmitEvents.self, ListEvents.self])

    struct SubmitEvents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "submit",
            abstract: "Queue lifecycle events (NDJSON); workers apply them in order per applicant.",
            discussion: """
                Example: bursar events submit events.ndjson --json
                Exit status: 0 when every line was queued or ignored as a repeated event, 3 when some lines were \
                rejected (malformed, or an event_id already used for a different event), 2 when the file cannot be \
                read or holds no line that parses at all.
                """)
        @Argument(help: "The events file (NDJSON).") var file: String
        @OptionGroup var options: ProgramOption
        @Flag(help: "Print the summary as JSON.") var json = false

        func run() async throws {
            let parsed = EventsFile.parse(try EventsFile.read(file))
            // Interface §1's rule for batches, kept for events: a file of which no line can be
            // parsed at all (an empty one included) is not an events file.
            guard parsed.parsedAny else {
                for r in parsed.rejected { CLI.printError("line \(r.line): \(r.message)") }
                CLI.printError(
                    parsed.rejected.isEmpty
                        ? "\(file) holds no events" : "no line of \(file) is JSON: the file cannot be parsed at all")
                throw ExitCode(2)
            }
            let (queued, ignored, conflicting) = try await Runner.withDatabase { database in
                let program = try await Runner.existingProgram(options.program, database: database)
                let known = Set(try await ProgramStore(database: database).programIDs())
                let all = parsed.events.map {
                    (line: $0.line, event: $0.event, program: $0.event.program ?? program, body: $0.body)
                }
                // A line naming a program that does not exist is rejected here, not queued to fail later.
                let unknown = all.filter { !known.contains($0.program) }.map {
                    EventsFile.Rejected(
                        line: $0.line, applicantID: $0.event.applicantID,
                        message:
                            "there is no program \"\($0.program)\" (known: \(known.sorted().joined(separator: ", ")))")
                }
                let lines = all.filter { known.contains($0.program) }
                return try await database.pool.withTransaction { connection in
                    let results = try await LifecycleStore.submit(lines, queue: database.queue, on: connection)
                    var queued: [AuditLog.Row] = []
                    var ignored = 0
                    var conflicting = unknown
                    for (item, result) in zip(lines, results) {
                        switch result {
                        case .queued:
                            queued.append(
                                AuditLog.Row(
                                    program: item.program, applicantID: item.event.applicantID,
                                    detail: [
                                        "type": item.event.typeName, "event_id": item.event.eventID ?? "",
                                        "line": "\(item.line)",
                                    ]))
                        case .duplicateEventID: ignored += 1
                        case .conflictingEventID(let message):
                            conflicting.append(
                                EventsFile.Rejected(
                                    line: item.line, applicantID: item.event.applicantID, message: message))
                        }
                    }
                    // One row for the file (its counts) and one per event queued, so that
                    // `bursar audit --applicant ID` shows the applicant's events.
                    try await AuditLog.record(
                        on: connection, action: "events.submit", program: program,
                        detail: [
                            "file": URL(fileURLWithPath: file).lastPathComponent, "queued": "\(queued.count)",
                            "ignored": "\(ignored)", "rejected": "\(parsed.rejected.count + conflicting.count)",
                        ])
                    try await AuditLog.record(on: connection, action: "event.queued", rows: queued)
                    return (queued.count, ignored, conflicting)
                }
            }
            var rejected = parsed.rejected + conflicting
            rejected.sort { $0.line < $1.line }
            if json {
                printLine(
                    try LifecycleOutput.json(EventsSubmitted(queued: queued, ignored: ignored, rejected: rejected)))
            } else {
                printLine("queued: \(queued)")
                printLine("ignored (event_id already submitted with the same content): \(ignored)")
                printLine("rejected: \(rejected.count)")
                for r in rejected {
                    printLine("  line \(r.line)\(r.applicantID.map { " (\($0))" } ?? ""): \(r.message)")
                }
                printLine(
                    "run `bursar drain` (or keep bursard running) to apply them; `bursar events list` shows what "
                        + "each did"
                )
            }
            if !rejected.isEmpty { throw ExitCode(3) }
        }
    }

    struct ListEvents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List events and what became of them.",
            discussion: "Example: bursar events list --applicant A-001 --json")
        @OptionGroup var options: ProgramOption
        @Option(help: "Only this applicant.") var applicant: String?
        @Flag(help: "Print as JSON (one object a line).") var json = false

        func run() async throws {
            let events = try await Runner.withDatabase { database in
                try await database.pool.withConnection {
                    try await LifecycleStore.events(program: options.program, applicantID: applicant, on: $0)
                }
            }
            if !json { printLine("SEQ\tDATE\tEVENT_ID\tAPPLICANT\tTYPE\tSTATUS\tEFFECT") }
            for e in events {
                if json {
                    printLine(try LifecycleOutput.json(ListedEvent(e)))
                } else {
                    printLine(
                        [
                            String(e.seq), e.date ?? "", e.eventID ?? "-", e.applicantID, e.type, e.status,
                            e.effect ?? "",
                        ].joined(separator: "\t"))
                }
            }
        }
    }
}

/// An events file read line by line: the events that decode, and the lines that do not.
enum EventsFile {
    struct Parsed {
        var events: [(line: Int, event: SubmittedEvent, body: String)] = []
        var rejected: [Rejected] = []
        /// Whether any line was JSON at all.
        var parsedAny = false
    }

    struct Rejected: Encodable {
        let line: Int
        let applicantID: String?
        let message: String
        enum CodingKeys: String, CodingKey { case line, applicantID = "applicant_id", message }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(line, forKey: .line)
            try c.encode(applicantID, forKey: .applicantID)  // null when unreadable
            try c.encode(message, forKey: .message)
        }
    }

    /// The file's bytes; exit status 2 (with a message) when it cannot be read. Lines are decoded
    /// one by one (a line that is not UTF-8 is rejected by itself, as in batches).
    static func read(_ file: String) throws -> Data {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), !isFolder.boolValue else {
            CLI.printError("\(file) \(isFolder.boolValue ? "is a folder, not a file" : "does not exist")")
            throw ExitCode(2)
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            CLI.printError("cannot read \(file) (permission denied?)")
            throw ExitCode(2)
        }
        return data
    }

    /// Issue #26 item 4: the batch reader's rules for events — a BOM at the start and CRLF line
    /// ends are tolerated, each line stands alone (a line that is not UTF-8, not JSON or not an
    /// event is rejected by its number), and a key given twice rejects its line.
    static func parse(_ data: Data) -> Parsed {
        var parsed = Parsed()
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        for (index, raw) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let lineBytes = raw.last == 0x0D ? raw.dropLast() : raw[...]
            guard let line = String(validating: lineBytes, as: UTF8.self) else {
                parsed.rejected.append(
                    Rejected(line: index + 1, applicantID: nil, message: "the line is not UTF-8 text"))
                continue
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            let value: JSONValue
            do { value = try JSONParser.parse(trimmed) } catch {
                parsed.rejected.append(Rejected(line: index + 1, applicantID: nil, message: "\(error)"))
                continue
            }
            parsed.parsedAny = true
            if let repeated = value.repeatedMemberPath {
                parsed.rejected.append(
                    Rejected(
                        line: index + 1, applicantID: nil,
                        message: "the key `\(repeated)` is given twice; which value was meant is unknowable"))
                continue
            }
            switch EventDecoder.decode(value) {
            case .success(let event): parsed.events.append((index + 1, event, value.canonicalText))
            case .failure(let rejection):
                parsed.rejected.append(
                    Rejected(line: index + 1, applicantID: rejection.applicantID, message: "\(rejection)"))
            }
        }
        return parsed
    }
}

/// `events submit --json`.
struct EventsSubmitted: Encodable {
    let queued: Int
    let ignored: Int
    let rejected: [EventsFile.Rejected]
}

/// One line of `events list --json`.
struct ListedEvent: Encodable {
    let seq: Int64
    let date: String?
    let applicantID: String
    let eventID: String?
    let type: String
    let status: String
    let effect: String?
    init(_ e: LifecycleStore.StoredEvent) {
        (seq, date, applicantID, eventID, type, status, effect) = (
            e.seq, e.date, e.applicantID, e.eventID, e.type, e.status, e.effect
        )
    }
    enum CodingKeys: String, CodingKey {
        case seq, date
        case applicantID = "applicant_id"
        case eventID = "event_id"
        case type, status, effect
    }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seq, forKey: .seq)
        try c.encode(date, forKey: .date)
        try c.encode(applicantID, forKey: .applicantID)
        try c.encode(eventID, forKey: .eventID)  // null, not absent, for an event without one
        try c.encode(type, forKey: .type)
        try c.encode(status, forKey: .status)
        try c.encode(effect, forKey: .effect)
    }
}
