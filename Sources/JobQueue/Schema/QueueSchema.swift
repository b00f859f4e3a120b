import Postgres

/// The queue's own schema: its migrations live with the queue and are applied by it, recorded in
/// `bursar_queue_migrations`, so the queue can be used and tested without the application.
///
/// Version 1 is the schema the application's `db/migrations/001_job_queue.sql` created. A
/// database that applied that file has the tables but no queue version table: it is adopted as
/// being at version 1 (recorded as such), and only the later versions run. This is deliberate:
/// the application's migrator refuses a changed applied file, so 001 is retired there, never edited.
public enum QueueSchema {
    public struct Migration: Sendable {
        public let version: Int
        public let name: String
        public let sql: String
        /// Statements run one by one outside a transaction (`CREATE INDEX CONCURRENTLY`), in
        /// place of `sql`; each must be safe to run again after an interruption.
        public var concurrently: [String] = []

        init(version: Int, name: String, sql: String) {
            self.version = version
            self.name = name
            self.sql = sql
        }

        init(version: Int, name: String, concurrently: [String]) {
            self.init(version: version, name: name, sql: "")
            self.concurrently = concurrently
        }
    }

    /// Key of the advisory lock held while migrating (several processes may start at once).
    static let lockKey: Int64 = 0x6271_7565_7565  // "bqueue"

    public static let migrations: [Migration] = [
        Migration(version: 1, name: "jobs, queues and leaders", sql: QueueMigrationSQL.v1),
        Migration(
            version: 2, name: "unique keys across running; indexes that let renewals stay HOT",
            sql: QueueMigrationSQL.v2),
        Migration(version: 3, name: "indexes of live and failed jobs for operators", sql: QueueMigrationSQL.v3),
        Migration(
            version: 4, name: "no index of live jobs that a claim could take instead of its own",
            sql: QueueMigrationSQL.v4),
        Migration(
            version: 5, name: "the claim as a function whose plan no statistics can turn into a sort of the backlog",
            sql: QueueMigrationSQL.v5),
        Migration(
            version: 6, name: "finished jobs by state and time, for the cleaner",
            concurrently: QueueMigrationSQL.v6),
    ]

    public static var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Applies the versions the database lacks; returns their names.
    @discardableResult
    public static func migrate(on connection: Connection) async throws -> [String] {
        try await MigrationLock.holding(lockKey, on: connection) { try await migrateLocked(connection) }
    }

    /// The version the database is at (0 without the queue's tables).
    public static func currentVersion(on connection: Connection) async throws -> Int {
        let row = try await connection.query(
            """
            SELECT to_regclass('bursar_queue_migrations') IS NOT NULL AS versioned,
                   to_regclass('bursar_jobs') IS NOT NULL AS adopted
            """
        ).first!
        if try row.bool("versioned") {
            return try await connection.query("SELECT coalesce(max(version), 0)::int AS v FROM bursar_queue_migrations")
                .first!.int("v")
        }
        return try row.bool("adopted") ? 1 : 0
    }

    private static func migrateLocked(_ connection: Connection) async throws -> [String] {
        let current = try await currentVersion(on: connection)
        try await connection.simpleQuery(
            """
            CREATE TABLE IF NOT EXISTS bursar_queue_migrations (
                version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
            """)
        if current == 1 {
            // Adopted from the application's 001 (a no-op when version 1 is already recorded).
            try await connection.query(
                """
                INSERT INTO bursar_queue_migrations (version, name) VALUES (1, $1) ON CONFLICT (version) DO NOTHING
                """, migrations[0].name + " (from db/migrations/001_job_queue.sql)")
        }
        var applied: [String] = []
        for migration in migrations where migration.version > current {
            // Workers of the previous version run meanwhile: no lock wait may stall them.
            for statement in migration.concurrently { try await connection.simpleQuery(statement) }
            try await LockTimeoutRetry.transaction(on: connection, what: "queue migration \(migration.version)") {
                conn in
                if !migration.sql.isEmpty { try await conn.simpleQuery(migration.sql) }
                try await conn.query(
                    "INSERT INTO bursar_queue_migrations (version, name) VALUES ($1, $2)",
                    migration.version, migration.name)
            }
            applied.append("queue \(migration.version): \(migration.name)")
        }
        return applied
    }
}
