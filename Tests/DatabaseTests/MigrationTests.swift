import Foundation
import Postgres
import Store
import XCTest

final class MigrationTests: XCTestCase {
    /// `bursar db migrate` run by 3 processes at once applies each migration once.
    func testThreeProcessesMigrateOnce() async throws {
        let database = Database.connect(conninfo: try await TestDatabase.create(), home: TestDatabase.repository)
        let processes = try (0..<3).map { _ in try TestDatabase.spawn(["db", "migrate"], database: database) }
        for p in processes {
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0)
        }
        let migrator = try Migrator(folder: TestDatabase.repository.appendingPathComponent("db/migrations"))
        let rows = try await database.pool.withConnection {
            try await $0.query("SELECT version, count(*) OVER () AS n FROM schema_migrations ORDER BY version")
        }
        XCTAssertEqual(rows.count, migrator.migrations.count)
        XCTAssertEqual(try rows.map { try $0.int("version") }, migrator.migrations.map(\.version))
        // Running again changes nothing.
        let value1 = try await database.migrate()
        XCTAssertEqual(value1, [])
        await database.close()
    }

    func testChangedMigrationIsRefused() async throws {
        let database = try await TestDatabase.migrated()
        try await database.pool.withConnection {
            try await $0.query("UPDATE schema_migrations SET checksum = 'x' WHERE version = 2")
        }
        do {
            _ = try await database.migrate()
            XCTFail("a changed migration must be refused")
        } catch let error as BursarError {
            XCTAssertTrue(error.description.contains("was changed after it was applied"), error.description)
        }
        await database.close()
    }

    func testOutdatedSchemaIsRefusedWithAMessage() async throws {
        let database = Database.connect(conninfo: try await TestDatabase.create(), home: TestDatabase.repository)
        let result = try TestDatabase.bursar(["status"], database: database)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.error.contains("bursar db migrate"), result.error)
        await database.close()
    }
}
