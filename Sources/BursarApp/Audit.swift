import ArgumentParser
import Foundation
import Postgres
import Screening
import Store

/// `bursar audit [--applicant ID] [--since DATE] [--json]`: the append-only record of who did what
/// and when (interface §5). Prints applicant ids, never other applicant data.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Show the audit trail: who did what and when (submissions, decisions, events, officer actions, payment "
                + "runs).",
        discussion: """
            Who is the operating-system user, the database role, and the name given with --as NAME (or \
            \(AuditLog.actorVariable)) when an office shares an account. The trail is append-only: the database \
            refuses to change or delete its rows.

            Example: bursar audit --applicant A-001 --since 2026-04-01 --json
            """)

    @Option(help: "Only the rows about this applicant id.") var applicant: String?
    @Option(help: "Only the rows recorded on or after this day (YYYY-MM-DD, UTC).") var since: String?
    @Flag(help: "Print as JSON (one array).") var json = false

    func run() async throws {
        var day: PostgresDate?
        if let since {
            guard let date = CalendarDate(iso: since) else {
                throw CLI.usageError("--since takes a day as YYYY-MM-DD, not \(since)")
            }
            day = PostgresDate(year: date.year, month: date.month, day: date.day)
        }
        let entries = try await Runner.withDatabase { database in
            try await database.pool.withConnection {
                try await AuditLog.entries(on: $0, applicantID: applicant, since: day)
            }
        }
        if json {
            printLine(try CLI.json(entries.map(Report.init)))
            return
        }
        if entries.isEmpty { printLine("no audit rows") }
        for entry in entries {
            var line = "\(entry.at)  \(entry.action)"
            if let program = entry.program { line += "  program=\(program)" }
            if let applicant = entry.applicantID { line += "  applicant=\(applicant)" }
            line += "  by " + Self.who(entry)
            if let reason = entry.reason, !reason.isEmpty { line += "  reason: \(Self.printable(reason))" }
            if entry.detail != "{}" { line += "  \(entry.detail)" }
            printLine(line)
        }
    }

    static func who(_ entry: AuditLog.Entry) -> String {
        var parts: [String] = []
        if let actor = entry.actor { parts.append(printable(actor)) }
        parts.append("os:\(printable(entry.operatingSystemUser ?? "?"))")
        parts.append("db:\(entry.databaseRole ?? "?")")
        return parts.joined(separator: " ")
    }

    /// `text` with control characters written as escapes (`\n`, `\u{1B}`), so that one row of the
    /// trail prints as one line and cannot move the terminal (rows written before reasons were
    /// checked, or a name in `BURSAR_ACTOR`, may hold any text).
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.properties.generalCategory == .control {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// One row of `bursar audit --json`.
    struct Report: Encodable {
        let id: Int64
        let at: String
        let action: String
        let program: String?
        let applicantID: String?
        let reason: String?
        let detail: StoredJSON
        let operatingSystemUser: String?
        let databaseRole: String?
        let actor: String?

        init(_ entry: AuditLog.Entry) {
            id = entry.id
            at = entry.at
            action = entry.action
            program = entry.program
            applicantID = entry.applicantID
            reason = entry.reason
            detail = StoredJSON(entry.detail)
            operatingSystemUser = entry.operatingSystemUser
            databaseRole = entry.databaseRole
            actor = entry.actor
        }

        enum CodingKeys: String, CodingKey {
            case id, at, action, program, reason, detail, actor
            case applicantID = "applicant_id"
            case operatingSystemUser = "os_user"
            case databaseRole = "db_role"
        }

        /// Absent values are written as `null`, not left out: the shape stays fixed.
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(at, forKey: .at)
            try container.encode(action, forKey: .action)
            try container.encode(program, forKey: .program)
            try container.encode(applicantID, forKey: .applicantID)
            try container.encode(reason, forKey: .reason)
            try container.encode(detail, forKey: .detail)
            try container.encode(operatingSystemUser, forKey: .operatingSystemUser)
            try container.encode(databaseRole, forKey: .databaseRole)
            try container.encode(actor, forKey: .actor)
        }
    }
}

/// `--as NAME`: the person acting, recorded in the audit trail beside the operating-system user
/// and the database role. ``CommandMain`` accepts it anywhere on the command line, for every
/// command, and sets `BURSAR_ACTOR`, which ``AuditLog`` reads.
enum ActorOption {
    /// Removes `--as NAME` / `--as=NAME` from a command line and applies the name; the rest is
    /// parsed as usual. Stops at `--` (what follows is an operand).
    static func extract(from arguments: [String]) -> [String] {
        var rest: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--" {
                rest += arguments[index...]
                break
            }
            if argument == "--as", index + 1 < arguments.endIndex {
                set(arguments[index + 1])
                index += 2
                continue
            }
            if argument.hasPrefix("--as=") {
                set(String(argument.dropFirst("--as=".count)))
                index += 1
                continue
            }
            rest.append(argument)
            index += 1
        }
        return rest
    }

    private static func set(_ name: String) {
        setenv(AuditLog.actorVariable, name, 1)
    }
}
