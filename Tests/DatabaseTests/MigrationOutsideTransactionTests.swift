import Foundation
import Postgres
import Testing

@testable import Store

/// Migration 064 builds an index of `decisions` while workers write to it: a migration whose
/// first line is the marker runs its statements one by one, `CREATE INDEX CONCURRENTLY` outside
/// any transaction and the others each in a transaction of its own under a `lock_timeout`.
@Suite("Migrations outside a transaction")
struct MigrationOutsideTransactionTests {
    static let text = """
        \(Migrator.Migration.outsideTransactionMarker)
        -- A comment that ends with a semicolon;
        ALTER TABLE t ADD COLUMN IF NOT EXISTS c boolean;
        DROP INDEX CONCURRENTLY IF EXISTS t_c;
        CREATE INDEX CONCURRENTLY t_c ON t (id)
            WHERE c;
        DO $$ BEGIN
            IF true THEN
                GRANT SELECT ON t TO PUBLIC;
            END IF;
        END $$;
        SELECT 1
        """

    static func migration(_ sql: String) -> Migrator.Migration {
        Migrator.Migration(version: 2, name: "002_x.sql", sql: sql, checksum: "x")
    }

    @Test("Its statements are split where a line ends with a semicolon, never inside a $$ body")
    func statementsAreSplit() throws {
        let statements = try #require(Self.migration(Self.text).statementsOutsideTransaction)
        #expect(statements.count == 5, "\(statements)")
        #expect(statements[0].contains("ALTER TABLE"))
        #expect(statements[2].contains("WHERE c;"))
        #expect(statements[3].contains("GRANT SELECT") && statements[3].contains("END $$;"))
        #expect(statements[4].contains("SELECT 1"))
        #expect(Self.migration("CREATE TABLE t (id int);").statementsOutsideTransaction == nil)
        let crlf = Self.text.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(Self.migration(crlf).statementsOutsideTransaction?.count == 5, "a file saved with CRLF")
    }

    @Test("Only index builds run outside a transaction; everything else keeps the lock_timeout")
    func indexBuildsAreRecognised() {
        #expect(Migrator.Migration.buildsConcurrently("CREATE INDEX CONCURRENTLY i ON t (a);"))
        #expect(Migrator.Migration.buildsConcurrently("create unique index concurrently if not exists i on t (a);"))
        #expect(Migrator.Migration.buildsConcurrently("-- note\nDROP INDEX CONCURRENTLY IF EXISTS i;"))
        #expect(Migrator.Migration.buildsConcurrently("REINDEX INDEX CONCURRENTLY i;"))
        #expect(!Migrator.Migration.buildsConcurrently("-- built CONCURRENTLY later\nALTER TABLE t ADD c int;"))
        #expect(!Migrator.Migration.buildsConcurrently("REFRESH MATERIALIZED VIEW CONCURRENTLY v;"))
    }

    @Test(
        "Migration 064 run again after an interruption rebuilds an index left invalid, keeps a valid one",
        .enabled(if: databaseAvailable))
    func interruptedIndexBuildIsRepaired() async throws {
        let database = try await TestDatabase.migrated(poolSize: 2)
        func valid() async throws -> Bool? {
            try await database.pool.withConnection { connection in
                try await connection.query(
                    """
                    SELECT indisvalid AS valid FROM pg_index
                    WHERE indexrelid = to_regclass('decisions_partner_uncertain')
                    """
                ).first.map { try $0.bool("valid") }
            }
        }
        func oid() async throws -> Int64 {
            try await database.pool.withConnection { connection in
                try await connection.query("SELECT 'decisions_partner_uncertain'::regclass::oid::bigint AS o")
                    .first!.int64("o")
            }
        }
        func forget64() async throws {
            try await database.pool.withConnection {
                try await $0.simpleQuery("DELETE FROM schema_migrations WHERE version = 64")
            }
        }
        #expect(try await valid() == true)
        // As a build that stopped half way leaves it: invalid, and 064 not recorded.
        try await database.pool.withConnection { connection in
            try await connection.simpleQuery(
                """
                UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'decisions_partner_uncertain'::regclass
                """)
        }
        try await forget64()
        #expect(try await valid() == false)
        #expect(try await database.migrate().contains("064_decisions_partner_uncertain.sql"))
        #expect(try await valid() == true)
        // Interrupted after the build: run again, the valid index stays as it is.
        let built = try await oid()
        try await forget64()
        _ = try await database.migrate()
        #expect(try await oid() == built)
        await database.close()
    }

    @Test("A concurrent index build is applied once, and writers use it", .enabled(if: databaseAvailable))
    func appliedOnce() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "CREATE TABLE t (id int PRIMARY KEY);\n".write(
            to: folder.appendingPathComponent("001_t.sql"), atomically: true, encoding: .utf8)
        try Self.text.write(to: folder.appendingPathComponent("002_x.sql"), atomically: true, encoding: .utf8)
        let migrator = try Migrator(folder: folder)
        let conninfo = try await TestDatabase.create()
        let connection = try await Connection.connect(conninfo)
        let writer = try await Connection.connect(conninfo)
        #expect(try await migrator.migrate(connection) == ["001_t.sql", "002_x.sql"])
        #expect(try await migrator.migrate(connection).isEmpty, "applied once")
        let valid = try await connection.query(
            """
            SELECT i.indisvalid AS valid FROM pg_index i WHERE i.indexrelid = 't_c'::regclass
            """
        ).first!.bool("valid")
        #expect(valid)
        // A writer inserts while the index exists: its predicate reads the new column.
        try await writer.query("INSERT INTO t (id, c) VALUES (1, true), (2, false)")
        let counted = try await writer.query("SELECT count(*)::int AS n FROM t WHERE c").first!.int("n")
        #expect(counted == 1)
        await writer.close()
        await connection.close()
    }
}
