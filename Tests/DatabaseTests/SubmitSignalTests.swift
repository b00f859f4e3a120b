import Foundation
import Postgres
import Store
import Testing

/// SIGINT and SIGTERM during a large submit (issue #26 finding 2): reading stops, the chunk in
/// flight commits or rolls back whole, the command says how many records are stored, writes its
/// audit row and exits 130/143; a re-submit stores the rest exactly once.
@Suite(
    "Submit stopped by a signal",
    .enabled(if: ProcessInfo.processInfo.environment["BURSAR_TEST_DATABASE_URL"] != nil))
struct SubmitSignalTests {
    /// A batch of `count` copies of the sample's first application under distinct ids.
    static func batch(count: Int) throws -> (folder: String, file: String) {
        let folder = NSTemporaryDirectory() + "bursar-signal-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let sample = TestDatabase.repository.appendingPathComponent("examples/tgp-2026-sample/batch.ndjson")
        let template = try String(contentsOf: sample, encoding: .utf8).split(separator: "\n")[0]
        let text =
            (0..<count).map { template.replacingOccurrences(of: "\"S-01-base\"", with: "\"G-\($0)\"") }
            .joined(separator: "\n") + "\n"
        let file = folder + "/batch.ndjson"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return (folder, file)
    }

    static func count(_ sql: String, _ database: Database) async throws -> Int {
        try await database.pool.withConnection { try await $0.query(sql)[0].int("n") }
    }

    @Test(
        "a submit stopped by a signal says what was stored, has its audit row; a re-submit stores the rest once",
        arguments: [(SIGINT, 130, 60_000), (SIGTERM, 143, 20_000)])
    func stoppedSubmit(signal: Int32, status: Int32, count: Int) async throws {
        let database = try await TestDatabase.migrated()
        let (folder, file) = try Self.batch(count: count)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let started = try IntakeCorpusTests.start(["submit", file], database: database)
        // Signalled once some chunks are stored (the "after 2 s", as an event, not a sleep).
        _ = try await TestDatabase.eventually(300, every: 0.05) {
            try await Self.count("SELECT count(*)::int AS n FROM applicants", database) >= 1_000
        }
        kill(started.pid, signal)
        let run = IntakeCorpusTests.finish(started, limit: 120)
        #expect(run.status == status, "\(run.output)\(run.error)")
        let stored = try await Self.count("SELECT count(*)::int AS n FROM applicants", database)
        #expect(stored > 0 && stored < count, "\(stored) stored")
        let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
        #expect(run.error.contains("stopped by \(name)"), "\(run.error)")
        #expect(run.error.contains("\(stored) records are stored"), "\(run.error)")
        #expect(run.output.contains("accepted: \(stored)"), "\(run.output)")
        let audit = try await database.pool.withConnection { connection in
            try await connection.query(
                """
                SELECT detail->>'accepted' AS accepted, detail->>'interrupted' AS interrupted FROM audit_log
                WHERE action = 'applications.submit'
                """)
        }
        #expect(audit.count == 1)
        #expect(try audit.first?.optionalString("interrupted") == name)
        #expect(try audit.first?.optionalString("accepted") == "\(stored)")

        let again = IntakeCorpusTests.finish(
            try IntakeCorpusTests.start(
                ["submit", file],
                database: database), limit: 900)
        #expect(again.status == 0, "\(again.output)\(again.error)")
        #expect(again.output.contains("accepted: \(count - stored)"), "\(again.output)")
        #expect(again.output.contains("unchanged: \(stored)"), "\(again.output)")
        #expect(try await Self.count("SELECT count(*)::int AS n FROM applications", database) == count)
        #expect(
            try await Self.count(
                "SELECT count(*)::int AS n FROM applicants"
                    + " WHERE latest_revision <> 1", database) == 0)
        await database.close()
    }
}
