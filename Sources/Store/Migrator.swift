import Foundation
import JobQueue
import Postgres

/// Applies the numbered SQL files of `db/migrations` in order, each in its own transaction
/// under a `lock_timeout` and tried again while other sessions hold its tables (``LockTimeoutRetry``),
/// under an advisory lock so that several machines running it at once apply each file once.
/// A file whose first line is ``Migration/outsideTransactionMarker`` builds indexes while
/// workers write (`CREATE INDEX CONCURRENTLY`): its statements run one by one, those without
/// `CONCURRENTLY` each in a transaction of its own under the same `lock_timeout`, and each must
/// be safe to run again after an interruption.
/// A table records each version with its checksum; a changed file that was already applied is
/// refused. A recorded version without a file is left alone: 001 (the job queue) moved into the
/// JobQueue module, which applies its schema itself (`QueueSchema`) and adopts a database that
/// applied 001 here.
public struct Migrator: Sendable {
    public struct Migration: Sendable {
        public let version: Int
        public let name: String
        public let sql: String
        public let checksum: String

        /// The first line of a migration that runs outside a transaction.
        public static let outsideTransactionMarker = "-- bursar: statements one by one, outside a transaction"

        /// The statements of a migration run outside a transaction: the file split where a line
        /// ends with `;` outside a `$$` body, comments left to the server. Such a file writes
        /// bodies as `$$` (not `$tag$`) and ends no line inside a string or comment with `;`.
        var statementsOutsideTransaction: [String]? {
            guard sql.hasPrefix(Self.outsideTransactionMarker) else { return nil }
            var statements: [String] = []
            var current = ""
            var inBody = false
            for line in sql.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
                current += line + "\n"
                if line.components(separatedBy: "$$").count % 2 == 0 { inBody.toggle() }
                if !inBody && line.trimmingCharacters(in: .whitespaces).hasSuffix(";") {
                    statements.append(current)
                    current = ""
                }
            }
            statements.append(current)
            return statements.filter { !Self.code(of: $0).allSatisfy(\.isWhitespace) }
        }

        /// A statement without its comment lines.
        static func code(of statement: String) -> String {
            statement.split(whereSeparator: \.isNewline).filter { !$0.drop(while: \.isWhitespace).hasPrefix("--") }
                .joined(separator: "\n")
        }

        /// Whether a statement builds or drops an index CONCURRENTLY, which cannot run in a
        /// transaction; every other statement runs in one, under the `lock_timeout`.
        static func buildsConcurrently(_ statement: String) -> Bool {
            code(of: statement).range(
                of: #"\b(CREATE|DROP|REINDEX)\b[^;]*\bINDEX\s+CONCURRENTLY\b"#,
                options: [.regularExpression, .caseInsensitive]) != nil
        }
    }

    /// Key of the advisory lock held while migrating.
    static let lockKey: Int64 = 0x6275_7273_6172  // "bursar"

    public let migrations: [Migration]

    public init(folder: URL) throws(BursarError) {
        let files: [String]
        do { files = try FileManager.default.contentsOfDirectory(atPath: folder.path) } catch {
            throw .setup("cannot read the migrations folder \(folder.path): \(error.localizedDescription)")
        }
        var migrations: [Migration] = []
        for file in files.sorted() where file.hasSuffix(".sql") {
            guard let version = Int(file.prefix(while: \.isNumber)) else {
                throw .setup("migration \(file) does not start with its version number")
            }
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(file).path),
                let sql = String(data: data, encoding: .utf8)
            else { throw .setup("cannot read migration \(file)") }
            migrations.append(Migration(version: version, name: file, sql: sql, checksum: SHA256.hex(Array(data))))
        }
        if Set(migrations.map(\.version)).count != migrations.count {
            throw .setup("two migrations share a version number")
        }
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// The newest version.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Applies what is missing, then runs `andThen` still holding the lock; returns the names
    /// applied now and what `andThen` reports.
    public func migrate(_ connection: Connection, andThen: () async throws -> [String] = { [] }) async throws
        -> [String]
    {
        try await MigrationLock.holding(Self.lockKey, on: connection) {
            try await migrateLocked(connection) + andThen()
        }
    }

    private func migrateLocked(_ connection: Connection) async throws -> [String] {
        try await connection.simpleQuery(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """)
        var done: [Int: String] = [:]
        for row in try await connection.query("SELECT version, checksum FROM schema_migrations") {
            done[try row.int("version")] = try row.string("checksum")
        }
        for migration in migrations {
            if let checksum = done[migration.version], checksum != migration.checksum {
                throw BursarError.setup(
                    "migration \(migration.name) was changed after it was applied (checksum differs); "
                        + "restore it and add a new migration instead"
                )
            }
        }
        var applied: [String] = []
        for migration in migrations where done[migration.version] == nil {
            let what = "migration \(migration.name)"
            let outside = migration.statementsOutsideTransaction
            for statement in outside ?? [] {
                if Migration.buildsConcurrently(statement) {
                    try await connection.simpleQuery(statement)
                } else {
                    try await LockTimeoutRetry.transaction(on: connection, what: what) {
                        _ = try await $0.simpleQuery(statement)
                    }
                }
            }
            // Under a lock_timeout, tried again: a lock wait never stalls the running workers.
            try await LockTimeoutRetry.transaction(on: connection, what: what) { conn in
                if outside == nil { try await conn.simpleQuery(migration.sql) }
                try await conn.query(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    migration.version, migration.name, migration.checksum)
            }
            applied.append(migration.name)
        }
        return applied
    }

    /// The version the database is at (0 when it has no schema yet).
    public static func currentVersion(_ connection: Connection) async throws -> Int {
        let exists = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present").first!
            .bool("present")
        guard exists else { return 0 }
        return try await connection.query("SELECT coalesce(max(version), 0) AS v FROM schema_migrations").first!.int(
            "v")
    }
}
