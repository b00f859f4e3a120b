import Foundation
import Postgres
import Store
import Testing

/// List files through the real `bursar` binary (issue #26 finding 5, #27 reader bounds): a NUL
/// byte, a header alone, a one-row partner list, a million columns, a device, a file past the cap.
@Suite("Intake: list files", .enabled(if: ProcessInfo.processInfo.environment["BURSAR_TEST_DATABASE_URL"] != nil))
struct IntakeListFileTests {
    static func corpus(_ name: String) -> String { IntakeCorpusTests.corpus.appendingPathComponent(name).path }

    static func partners(_ database: Database) async throws -> Int {
        try await database.pool.withConnection {
            try await $0.query("SELECT count(*)::int AS n FROM partners WHERE program = 'tgp-2026'")[0].int("n")
        }
    }

    @Test("a NUL byte in an exclusion list names its line and field, not a raw PostgreSQL error")
    func nulByte() async throws {
        let database = try await TestDatabase.migrated()
        let run = try IntakeCorpusTests.bursar(
            [
                "exclusions", "import", Self.corpus("exclusions-nul.csv"),
                "--program", "tgp-2026",
            ],
            database: database)
        #expect(run.status == 3, "\(run.output)\(run.error)")
        #expect(run.error.contains("line 2: family_name contains a NUL byte"), "\(run.error)")
        #expect(!run.error.contains("22021") && !run.error.contains("PostgreSQL"), "\(run.error)")
        await database.close()
    }

    @Test("an exclusion list with its header only says so instead of nothing")
    func headerOnly() async throws {
        let database = try await TestDatabase.migrated()
        let run = try IntakeCorpusTests.bursar(
            [
                "exclusions", "import", Self.corpus("exclusions-header-only.csv"),
                "--program", "tgp-2026",
            ],
            database: database)
        #expect(run.status == 3, "\(run.output)\(run.error)")
        #expect(run.error.contains("has a header but no entries"), "\(run.error)")
        await database.close()
    }

    @Test("a one-row partner list does not replace the whole list without --yes")
    func partnerRemovalsNeedYes() async throws {
        let database = try await TestDatabase.migrated()
        let before = try await Self.partners(database)
        #expect(before > 100)
        let file = Self.corpus("partners-one-row.csv")
        let run = try IntakeCorpusTests.bursar(
            ["partners", "import", file, "--program", "tgp-2026"],
            database: database)
        #expect(run.status == 1, "\(run.output)\(run.error)")
        #expect(
            run.error.contains("would remove \(before - 1) of the \(before)")
                && run.error.contains("--yes"), "\(run.error)")
        #expect(try await Self.partners(database) == before)
        let yes = try IntakeCorpusTests.bursar(
            ["partners", "import", file, "--program", "tgp-2026", "--yes"],
            database: database)
        #expect(yes.status == 0, "\(yes.output)\(yes.error)")
        #expect(try await Self.partners(database) == 1)
        await database.close()
    }

    @Test("a partner list with a million columns is refused, as an exclusion list is")
    func millionColumns() async throws {
        let database = try await TestDatabase.migrated()
        let file = NSTemporaryDirectory() + "bursar-columns-\(UUID().uuidString).csv"
        defer { unlink(file) }
        let header = "name,country" + String(repeating: ",x", count: 1_000_000)
        try (header + "\nUniversity of Bayreuth,DE\n").write(toFile: file, atomically: true, encoding: .utf8)
        let run = try IntakeCorpusTests.bursar(
            ["partners", "import", file, "--program", "tgp-2026", "--yes"],
            database: database, limit: 60)
        #expect(run.status == 3, "\(run.output)\(run.error)")
        #expect(run.error.contains("1000002 columns; at most 32"), "\(run.error)")
        await database.close()
    }

    @Test("a device or a file past the size cap is refused by what it is, never read whole")
    func devicesAndSizeCap() async throws {
        let database = try await TestDatabase.migrated()
        let zero = try IntakeCorpusTests.bursar(
            ["exclusions", "import", "/dev/zero", "--program", "tgp-2026"],
            database: database)
        #expect(zero.status == 2, "\(zero.error)")
        #expect(zero.error.contains("is a device") && !zero.error.contains("permission denied"), "\(zero.error)")
        let large = NSTemporaryDirectory() + "bursar-large-\(UUID().uuidString).csv"
        defer { unlink(large) }
        let header = Data(ExclusionEntry.header.joined(separator: ",").utf8)
        #expect(FileManager.default.createFile(atPath: large, contents: header))
        #expect(truncate(large, 65 << 20) == 0)
        for command in [["exclusions", "import"], ["partners", "import"]] {
            let run = try IntakeCorpusTests.bursar(command + [large, "--program", "tgp-2026"], database: database)
            #expect(run.status == 2, "\(run.error)")
            #expect(run.error.contains("is larger than 64 MiB"), "\(run.error)")
        }
        await database.close()
    }
}
