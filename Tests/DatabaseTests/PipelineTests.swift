import Foundation
import Store
import XCTest

/// The product end to end through the `bursar` CLI against a real PostgreSQL.
final class PipelineTests: XCTestCase {
    let sample = TestDatabase.shared.appendingPathComponent("examples/tgp-2026-sample")

    private func exportedDecisions(_ database: Database) throws -> [String: [String: Any]] {
        let result = try TestDatabase.bursar(["export", "decisions", "--format", "ndjson"], database: database)
        XCTAssertEqual(result.status, 0, result.error)
        var records: [String: [String: Any]] = [:]
        for line in result.output.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            records[object["applicant_id"] as! String] = object
        }
        return records
    }

    /// The public sample batch → drain → export equals expected.ndjson on outcome, failed,
    /// categories and GPA (exclusions.csv imported first).
    func testPublicSampleEndToEnd() async throws {
        let database = try await TestDatabase.migrated()
        let imported = try TestDatabase.bursar(
            ["exclusions", "import", sample.appendingPathComponent("exclusions.csv").path, "--program", "tgp-2026"],
            database: database)
        XCTAssertEqual(imported.status, 0, imported.error)
        let submitted = try TestDatabase.bursar(
            ["submit", sample.appendingPathComponent("batch.ndjson").path], database: database)
        XCTAssertEqual(submitted.status, 0, submitted.error)
        XCTAssertTrue(submitted.output.contains("accepted: 16"), submitted.output)
        let drained = try TestDatabase.bursar(["drain"], database: database)
        XCTAssertEqual(drained.status, 0, drained.error)
        let got = try exportedDecisions(database)
        let expected = try String(contentsOf: sample.appendingPathComponent("expected.ndjson"), encoding: .utf8)
        for line in expected.split(separator: "\n") {
            let want = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let id = want["applicant_id"] as! String
            let record = try XCTUnwrap(got[id], id)
            XCTAssertEqual(record["outcome"] as? String, want["outcome"] as? String, id)
            XCTAssertEqual(record["gpa"] as? String, want["gpa"] as? String, id)
            for key in ["failed", "categories", "review"] where want[key] != nil {
                XCTAssertEqual(record[key] as? [String], want[key] as? [String], "\(id) \(key)")
            }
        }
        let shown = try TestDatabase.bursar(["show", "S-14-former-mext-scholar"], database: database)
        XCTAssertTrue(shown.output.contains("mext-alumni"), shown.output)
        XCTAssertFalse(
            shown.output.contains("SEO YEON"), "the trace names the list and reference, not the entry's person")
        let csv = try TestDatabase.bursar(["export", "decisions", "--format", "csv"], database: database)
        XCTAssertEqual(csv.output.split(separator: "\n").count, 17)
        await database.close()
    }

    /// A batch mixing good records with malformed JSON, impossible values, injection strings,
    /// 10,000-character names, unknown codes and a path that escapes the folder stores exactly
    /// the good records and names every bad line.
    func testBadInputStoresOnlyGoodRecords() async throws {
        let database = try await TestDatabase.migrated()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bursar-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: folder.appendingPathComponent("docs"), withDestinationURL: sample.appendingPathComponent("docs"))
        let base = try String(contentsOf: sample.appendingPathComponent("batch.ndjson"), encoding: .utf8).split(
            separator: "\n"
        ).map(String.init)
        func variant(_ line: String, _ change: (inout [String: Any]) -> Void) throws -> String {
            var object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            change(&object)
            return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        let lines = [
            base[0],  // 1 good
            "{\"applicant_id\": \"broken\", \"family_name\": ",  // 2 malformed JSON
            try variant(base[1]) { $0["birth_date"] = "2001-02-30" },  // 3 impossible date
            try variant(base[2]) { $0["applicant_id"] = "x'); DROP TABLE applications; --" },  // 4 injection in the id
            try variant(base[3]) { $0["family_name"] = String(repeating: "a", count: 10_000) },  // 5 too long
            try variant(base[4]) { $0["citizenships"] = ["ZZ"] },  // 6 unknown code
            try variant(base[5]) { o in  // 7 escaping path
                var docs = o["documents"] as! [[String: Any]]
                docs[0]["file"] = "../../etc/passwd"
                o["documents"] = docs
            },
            try variant(base[6]) { $0["given_name"] = "Robert'); DROP TABLE "
                + "applicants;--" },  // 8 good: injection text is data
        ]
        let batch = folder.appendingPathComponent("batch.ndjson")
        try (lines.joined(separator: "\n") + "\n").write(to: batch, atomically: true, encoding: .utf8)
        let result = try TestDatabase.bursar(["submit", batch.path], database: database)
        XCTAssertEqual(result.status, 3, result.output + result.error)
        XCTAssertTrue(result.output.contains("accepted: 2"), result.output)
        XCTAssertTrue(result.output.contains("rejected: 6"), result.output)
        for line in [2, 3, 4, 5, 6, 7] {
            XCTAssertTrue(result.output.contains("line \(line)"), "line \(line) is named: \(result.output)")
        }
        XCTAssertTrue(result.output.contains("birth_date"), result.output)
        XCTAssertTrue(result.output.contains("outside the batch folder"), result.output)
        let counts = try await database.pool.withConnection {
            try await $0.query(
                """
                SELECT (SELECT count(*) FROM applications)::int AS apps,
                       (SELECT count(*) FROM bursar_jobs, jsonb_array_elements(args -> 'items'))::int AS queued
                """
            ).first!
        }
        XCTAssertEqual(try counts.int("apps"), 2)
        XCTAssertEqual(try counts.int("queued"), 2, "each stored record is queued for processing, no more")
        let stored = try await database.pool.withConnection {
            try await $0.query("SELECT given_name FROM applications WHERE applicant_id = 'S-07-partner-only'").first!
                .string("given_name")
        }
        XCTAssertEqual(stored, "Robert'); DROP TABLE applicants;--")
        let unreadable = try TestDatabase.bursar(
            ["submit", folder.appendingPathComponent("missing.ndjson").path], database: database)
        XCTAssertEqual(unreadable.status, 2)
        try? FileManager.default.removeItem(at: folder)
        await database.close()
    }

    /// Submitting the same batch twice in parallel from two processes stores each application once;
    /// a changed record becomes a new revision, processed again, and every revision is kept.
    func testParallelSubmitStoresOnceAndRevisionsAreKept() async throws {
        let database = try await TestDatabase.migrated()
        let batch = sample.appendingPathComponent("batch.ndjson").path
        let a = try TestDatabase.spawn(["submit", batch], database: database)
        let b = try TestDatabase.spawn(["submit", batch], database: database)
        a.waitUntilExit()
        b.waitUntilExit()
        XCTAssertEqual(a.terminationStatus, 0)
        XCTAssertEqual(b.terminationStatus, 0)
        let count = try await database.pool.withConnection {
            try await $0.query("SELECT count(*)::int AS n FROM applications").first!.int("n")
        }
        XCTAssertEqual(count, 16)
        let again = try TestDatabase.bursar(["submit", batch], database: database)
        XCTAssertTrue(again.output.contains("unchanged: 16"), again.output)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bursar-rev-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Copies, not a symlink: a link out of the batch folder would (rightly) be refused.
        try FileManager.default.copyItem(
            at: sample.appendingPathComponent("docs"), to: folder.appendingPathComponent("docs"))
        let first = try String(contentsOfFile: batch, encoding: .utf8).split(separator: "\n")[1]
        let changed = first.replacingOccurrences(
            of: "\"birth_date\": \"2004-09-15\"", with: "\"birth_date\": \"2000-09-15\"")
        XCTAssertNotEqual(String(first), changed)
        try (changed + "\n").write(to: folder.appendingPathComponent("b.ndjson"), atomically: true, encoding: .utf8)
        let revised = try TestDatabase.bursar(
            ["submit", folder.appendingPathComponent("b.ndjson").path], database: database)
        XCTAssertTrue(revised.output.contains("accepted: 1"), revised.output)
        _ = try TestDatabase.bursar(["drain"], database: database)
        let record = try exportedDecisions(database)["S-02-too-young"]!
        XCTAssertEqual(record["revision"] as? Int, 2)
        XCTAssertEqual(record["outcome"] as? String, "eligible", "the new revision (born 2000) is old enough")
        let revisions = try await database.pool.withConnection {
            try await $0.query("SELECT count(*)::int AS n FROM applications WHERE applicant_id = 'S-02-too-young'")
                .first!.int("n")
        }
        XCTAssertEqual(revisions, 2, "every revision is kept")
        try? FileManager.default.removeItem(at: folder)
        await database.close()
    }

    /// A document that is a symlink out of the batch folder is refused, never read.
    func testDocumentOutsideTheFolderIsRefused() async throws {
        let database = try await TestDatabase.migrated()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bursar-doc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("docs/S-01-base"), withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(
            atPath: sample.appendingPathComponent("docs/S-01-base").path)
        {
            let target = folder.appendingPathComponent("docs/S-01-base/\(file)")
            if file == "passport.pdf" {
                try FileManager.default.createSymbolicLink(
                    at: target, withDestinationURL: sample.appendingPathComponent("docs/S-01-base/passport.pdf"))
            } else if file == "research_plan.pdf" {
                // A named pipe inside the folder: refused without blocking the worker on open.
                XCTAssertEqual(mkfifo(target.path, 0o644), 0)
            } else {
                try FileManager.default.copyItem(
                    at: sample.appendingPathComponent("docs/S-01-base/\(file)"), to: target)
            }
        }
        let line = try String(contentsOf: sample.appendingPathComponent("batch.ndjson"), encoding: .utf8).split(
            separator: "\n")[0]
        try (line + "\n").write(to: folder.appendingPathComponent("batch.ndjson"), atomically: true, encoding: .utf8)
        _ = try TestDatabase.bursar(["submit", folder.appendingPathComponent("batch.ndjson").path], database: database)
        _ = try TestDatabase.bursar(["drain"], database: database)
        let record = try exportedDecisions(database)["S-01-base"]!
        XCTAssertEqual(record["outcome"] as? String, "incomplete")
        XCTAssertEqual(Set(record["failed"] as? [String] ?? []), ["documents.passport", "documents.research_plan"])
        let shown = try TestDatabase.bursar(["show", "S-01-base"], database: database)
        XCTAssertTrue(shown.output.contains("resolves outside the batch folder"), shown.output)
        XCTAssertTrue(shown.output.contains("research_plan.pdf is not a regular file"), shown.output)
        try? FileManager.default.removeItem(at: folder)
        await database.close()
    }
}
