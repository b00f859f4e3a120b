import Foundation
import JobQueue
import Postgres
import Screening

/// The database Bursar works on, with its pool and queue client.
public struct Database: Sendable {
    public let conninfo: String
    public let pool: ConnectionPool
    public let queue: JobQueueClient
    /// The folder holding `db/`.
    public let home: URL
    /// True when this is the embedded cluster under `.bursar/`.
    public let embedded: Bool

    /// Opens the database named by `DATABASE_URL`, or the embedded cluster when it is unset
    /// (created, started and migrated on first use). Unless `requireSchema` is false, a database
    /// whose schema is older than this build is refused with a message that says what to run.
    public static func open(poolSize: Int = 8, requireSchema: Bool = true) async throws -> Database {
        let home = try BursarHome.locate()
        let environment = ProcessInfo.processInfo.environment
        let embedded = (environment["DATABASE_URL"] ?? "").isEmpty
        let conninfo = embedded ? try await EmbeddedPostgres().start() : environment["DATABASE_URL"]!
        let pool = ConnectionPool(conninfo: conninfo, size: poolSize)
        let database = Database(
            conninfo: conninfo, pool: pool, queue: JobQueueClient(pool: pool), home: home, embedded: embedded)
        if embedded {
            _ = try await database.migrate()
        } else if requireSchema {
            try await database.checkSchema()
        }
        return database
    }

    /// Connects to `conninfo` with the program data of `home`, without checking the schema
    /// (tests and tools that prepare a database themselves).
    public static func connect(conninfo: String, home: URL, poolSize: Int = 8) -> Database {
        let pool = ConnectionPool(conninfo: conninfo, size: poolSize)
        return Database(conninfo: conninfo, pool: pool, queue: JobQueueClient(pool: pool), home: home, embedded: false)
    }

    /// Applies missing migrations — the queue's own first (they live in the JobQueue module),
    /// then `db/migrations` — then loads the program definitions and default partner lists of
    /// `db/` that the database lacks or holds in an older form. Returns what was done.
    public func migrate() async throws -> [String] {
        let migrator = try Migrator(folder: home.appendingPathComponent("db/migrations"))
        return try await pool.withConnection { connection in
            try await QueueSchema.migrate(on: connection)
                + migrator.migrate(connection) {
                    // Still under the migration lock: several machines load program data once.
                    try await ProgramStore(database: self).syncFromFiles()
                }
        }
    }

    /// Throws when the schema is older than this build.
    public func checkSchema() async throws {
        let migrator = try Migrator(folder: home.appendingPathComponent("db/migrations"))
        let (current, queue) = try await pool.withConnection {
            (try await Migrator.currentVersion($0), try await QueueSchema.currentVersion(on: $0))
        }
        if current < migrator.latestVersion || queue < QueueSchema.latestVersion {
            throw BursarError.setup(
                """
                the database schema is at version \(current) (job queue \(queue)) but this Bursar needs \
                \(migrator.latestVersion) (job queue \(QueueSchema.latestVersion)): run `bursar db migrate`
                """)
        }
    }

    public func close() async { await pool.shutdown() }
}
