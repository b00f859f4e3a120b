import Foundation
import JobQueue
import Postgres

/// The officers' console's sessions (migration 057) and officer checks (issue 24). The console
/// process keeps no state of its own: a session is a row here, found by the SHA-256 of its id.
public struct ConsoleSessions: Sendable {
    /// A signed-in officer's session as the console reads it on each request.
    public struct Session: Sendable, Equatable {
        public let officer: String
        public let csrf: String
        public let language: String
        public let search: String?
        public let flash: String?
    }

    private let pool: ConnectionPool
    /// A session unused for this long is gone.
    public let idleTimeout: Duration

    public init(pool: ConnectionPool, idleTimeout: Duration = .seconds(30 * 60)) {
        self.pool = pool
        self.idleTimeout = idleTimeout
    }

    private var idleSeconds: Int { Int(idleTimeout.components.seconds) }

    /// The stored key of a session id: its SHA-256, never the id itself.
    public static func key(_ id: String) -> String { SHA256.hex(Array(id.utf8)) }

    /// Creates a session for `officer`; returns nothing secret beyond what the caller made.
    public func create(id: String, officer: String, csrf: String, language: String) async throws {
        try await pool.withConnection { connection in
            // Expired rows go when someone signs in: the table holds only live sessions.
            try await connection.query(
                "DELETE FROM console_sessions WHERE last_seen_at < now() - make_interval(secs => $1)", idleSeconds)
            try await connection.query(
                "INSERT INTO console_sessions (id_hash, officer, csrf, language) VALUES ($1, $2, $3, $4)",
                Self.key(id), officer, csrf, language)
        }
    }

    /// The live session of `id`, its idle clock restarted and its flash message taken (shown
    /// once); nil when there is none or it has been idle too long.
    public func find(id: String) async throws -> Session? {
        let rows = try await pool.withConnection { connection in
            try await connection.query(
                """
                UPDATE console_sessions s SET last_seen_at = now(), flash = NULL
                FROM (SELECT id_hash, flash FROM console_sessions WHERE id_hash = $1 FOR UPDATE) AS old
                WHERE s.id_hash = old.id_hash AND s.last_seen_at >= now() - make_interval(secs => $2)
                RETURNING s.officer, s.csrf, s.language, s.search, old.flash
                """, Self.key(id), idleSeconds)
        }
        guard let row = rows.first else { return nil }
        return Session(
            officer: try row.string("officer"), csrf: try row.string("csrf"), language: try row.string("language"),
            search: try row.optionalString("search"), flash: try row.optionalString("flash"))
    }

    /// Sets the session's language, last search or flash message (nil leaves one unchanged).
    public func update(id: String, language: String? = nil, search: String? = nil, flash: String? = nil) async throws {
        try await pool.withConnection { connection in
            try await connection.query(
                """
                UPDATE console_sessions SET language = coalesce($2, language), search = coalesce($3, search),
                    flash = coalesce($4, flash)
                WHERE id_hash = $1
                """, Self.key(id), language, search, flash)
        }
    }

    /// Ends a session (sign-out).
    public func delete(id: String) async throws {
        try await pool.withConnection { connection in
            try await connection.query("DELETE FROM console_sessions WHERE id_hash = $1", Self.key(id))
        }
    }

    /// Whether `name` is a login role that is a member of `bursar_officer` now (checked on every
    /// request, so revoking the membership takes effect at once).
    public func isOfficer(_ name: String) async throws -> Bool {
        let rows = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1 AND rolcanlogin
                    AND pg_has_role(rolname, 'bursar_officer', 'MEMBER')) AS officer
                """, name)
        }
        return try rows.first?.bool("officer") ?? false
    }
}

/// Signing an officer in: the password is checked by PostgreSQL itself.
public enum OfficerLogin {
    /// Why a sign-in was refused.
    public enum Refusal: Error, Equatable, Sendable {
        /// Wrong name or password (the two are not told apart).
        case wrongPassword
        /// The login is not a member of bursar_officer.
        case notAnOfficer
        /// The server let the login in without asking for a password (trust authentication).
        case serverAskedNoPassword
        /// Nobody answered: the database is down or unreachable (the console's own login fails too).
        case databaseUnreachable
    }

    /// Connects to the host and database of `conninfo` as `login` with `password`, requires that
    /// the server asked for the password and that the login is in `bursar_officer`, and closes
    /// the connection. Nothing of the password is kept.
    public static func verify(conninfo: String, login: String, password: String) async throws(Refusal) {
        let connection: Connection
        do {
            connection = try await Connection.connect(
                conninfo, overriding: [("user", login), ("password", password), ("options", "")])
        } catch {
            // Refused, or nobody answered? The console's own login tells the two apart, without
            // reading libpq's wording.
            guard let own = try? await Connection.connect(conninfo) else { throw .databaseUnreachable }
            await own.close()
            throw .wrongPassword
        }
        defer { Task { await connection.close() } }
        guard await connection.usedPassword() else { throw .serverAskedNoPassword }
        let rows = try? await connection.query(
            "SELECT pg_has_role(current_user, 'bursar_officer', 'MEMBER') AS officer")
        guard let row = rows?.first, (try? row.bool("officer")) == true else { throw .notAnOfficer }
    }

    /// Whether `name` can be an officer's role name in `options=-c role=NAME`: the console
    /// accepts plain lower-case identifiers only (a letter or _, then letters, digits, _), so a
    /// name needs no quoting anywhere.
    public static func isPlainName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 63 else { return false }
        let lower = ("a"..."z")
        guard lower.contains(String(first)) || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy {
            lower.contains(String($0)) || ("0"..."9").contains(String($0)) || $0 == "_"
        }
    }
}

extension Database {
    /// This database as the officer `role`: every connection of the returned pool starts with
    /// `role` set (libpq `options=-c role=NAME`), so each statement runs with the officer's grants
    /// and the audit rows it writes name the officer. The console's own login must be granted
    /// `role` (GRANT alice TO bursar_console). `role` must pass ``OfficerLogin/isPlainName(_:)``.
    public func asOfficer(_ role: String, poolSize: Int = 2) -> Database {
        precondition(OfficerLogin.isPlainName(role), "an officer's role name must be a plain identifier")
        let pool = ConnectionPool(conninfo: conninfo, size: poolSize, overriding: [("options", "-c role=\(role)")])
        return Database(
            conninfo: conninfo, pool: pool, queue: JobQueueClient(pool: pool), home: home, embedded: embedded)
    }
}
