import Foundation
import Postgres
import Screening

/// The append-only record of who did what and when (interface §5, `bursar audit`), without
/// personal data: actions, program, applicant id, counts, and an officer's reason.
///
/// Who is three things: the operating-system user running the command, the database role that
/// wrote the row (stamped by the database itself from `current_user`, migration 025), and
/// optionally a person's name given with `--as NAME` or `BURSAR_ACTOR` where an office shares
/// one account. UPDATE and DELETE of rows are refused by the database.
public enum AuditLog {
    /// The environment variable naming the person acting (what `--as NAME` sets).
    public static let actorVariable = "BURSAR_ACTOR"

    /// Records one action in the caller's transaction.
    public static func record(
        on connection: Connection, action: String, program: String?, applicantID: String? = nil,
        reason: String? = nil, detail: [String: String] = [:]
    ) async throws {
        let json = JSONWriter.object(detail.sorted { $0.key < $1.key }.map { ($0.key, JSONWriter.string($0.value)) })
        try await connection.query(
            """
            INSERT INTO audit_log (action, program, applicant_id, reason, detail, os_user, actor)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)
            """, action, program, applicantID, reason.flatMap { $0.isEmpty ? nil : $0 }, JSONText(json),
            operatingSystemUser, actor)
    }

    /// One row about one applicant, for ``record(on:action:rows:)``.
    public struct Row: Sendable {
        public var program: String?
        public var applicantID: String?
        public var detail: [String: String]

        public init(program: String?, applicantID: String?, detail: [String: String]) {
            self.program = program
            self.applicantID = applicantID
            self.detail = detail
        }
    }

    /// Records many rows of one action with one statement, in the caller's transaction.
    public static func record(on connection: Connection, action: String, rows: [Row]) async throws {
        guard !rows.isEmpty else { return }
        let details = rows.map { row in
            JSONWriter.object(row.detail.sorted { $0.key < $1.key }.map { ($0.key, JSONWriter.string($0.value)) })
        }
        try await connection.query(
            """
            INSERT INTO audit_log (action, program, applicant_id, detail, os_user, actor)
            SELECT $1, p, a, d::jsonb, $5, $6 FROM unnest($2::text[], $3::text[], $4::text[]) AS t(p, a, d)
            """, action, TextArray(rows.map(\.program)), TextArray(rows.map(\.applicantID)), TextArray(details),
            operatingSystemUser, actor)
    }

    /// The person acting: `BURSAR_ACTOR` when set and not blank.
    public static var actor: String? {
        guard
            let name = ProcessInfo.processInfo.environment[actorVariable]?.trimmingCharacters(
                in: .whitespacesAndNewlines),
            !name.isEmpty
        else { return nil }
        return name
    }

    /// The login name of the effective user (the account, not `$USER`, which a shell may set).
    /// Read once: `getpwuid` is not thread-safe and workers record from many tasks.
    public static let operatingSystemUser: String = {
        guard let entry = getpwuid(geteuid()) else { return "uid \(geteuid())" }
        return String(cString: entry.pointee.pw_name)
    }()

    /// One row of the trail.
    public struct Entry: Sendable {
        public var id: Int64
        /// ISO 8601 in UTC.
        public var at: String
        public var action: String
        public var program: String?
        public var applicantID: String?
        public var reason: String?
        /// The detail object as JSON text.
        public var detail: String
        public var operatingSystemUser: String?
        public var databaseRole: String?
        public var actor: String?
    }

    /// The rows for `applicantID` (all when nil) recorded at or after `since`, oldest first,
    /// at most `limit`.
    public static func entries(
        on connection: Connection, applicantID: String?, since: PostgresDate?, limit: Int = 10_000
    ) async throws -> [Entry] {
        let rows = try await connection.query(
            """
            SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at_text, action, program,
                applicant_id,
                   reason, detail::text AS detail_text, os_user, db_role, actor
            FROM audit_log
            WHERE ($1::text IS NULL OR applicant_id = $1) AND ($2::date IS NULL
                OR at >= $2::date::timestamp AT TIME ZONE 'UTC')
            ORDER BY id LIMIT $3
            """, applicantID, since, limit)
        return try rows.map { row in
            Entry(
                id: try row.int64("id"), at: try row.string("at_text"), action: try row.string("action"),
                program: try row.optionalString("program"), applicantID: try row.optionalString("applicant_id"),
                reason: try row.optionalString("reason"), detail: try row.string("detail_text"),
                operatingSystemUser: try row.optionalString("os_user"), databaseRole: try row.optionalString("db_role"),
                actor: try row.optionalString("actor"))
        }
    }
}
