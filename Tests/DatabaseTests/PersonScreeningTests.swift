import Foundation
import Store
import XCTest

/// Exclusion lists and duplicates against a real PostgreSQL.
final class PersonScreeningTests: XCTestCase {
    private func decisions(_ database: Database) throws -> [String: [String: Any]] {
        var out: [String: [String: Any]] = [:]
        for line in try TestDatabase.bursar(["export", "decisions"], database: database).output.split(separator: "\n") {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            out[o["applicant_id"] as! String] = o
        }
        return out
    }

    private func list(_ rows: [String]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("excl-\(UUID().uuidString).csv")
        try (["list,family_name,given_name,birth_date,citizenship,clause,reference"] + rows).joined(separator: "\n")
            .write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    /// S-01-base is Jaidee, Kritsada Siriporn, 2000-03-26, TH (master's).
    func testMatchingRulesAndReimportReplaces() async throws {
        let database = try await TestDatabase.migrated()
        let sample = TestDatabase.shared.appendingPathComponent("examples/tgp-2026-sample")
        _ = try TestDatabase.bursar(["submit", sample.appendingPathComponent("batch.ndjson").path], database: database)
        _ = try TestDatabase.bursar(["drain"], database: database)
        func outcome(after rows: [String]) throws -> [String: Any] {
            let imported = try TestDatabase.bursar(
                ["exclusions", "import", try list(rows), "--program", "tgp-2026"], database: database)
            XCTAssertEqual(imported.status, 0, imported.error)
            _ = try TestDatabase.bursar(["drain"], database: database)
            return try decisions(database)["S-01-base"]!
        }
        // Accents, case, order swapped: a match fails the clause.
        var d = try outcome(after: ["reg,KRITSADA SIRIPÖRN,jaidee,2000-03-26,TH,eligibility.10d,R-1"])
        XCTAssertEqual(d["failed"] as? [String], ["eligibility.10d"])
        // Re-import replaces the list: the entry is gone, the applicant is eligible again.
        d = try outcome(
            after: [
                "reg,Someone,Else,1980-01-01,TH,eligibility.10d,R-2",
                "reg,Jaidee,Kritsada Siriporn,2000-03-26,TH,eligibility.10d,R-1",
            ].suffix(1).map { $0.replacingOccurrences(of: "2000-03-26", with: "2000-03-27") })
        XCTAssertEqual(
            d["outcome"] as? String, "eligible", "another birth date is no match, and the old entry was replaced")
        d = try outcome(after: ["reg,Jaidee,Kritsada Siriporn,2000-03-26,VN,eligibility.10d,R-3"])
        XCTAssertEqual(d["outcome"] as? String, "eligible", "no shared citizenship, no match")
        d = try outcome(after: ["reg,Jaidee,Kritsada Siripon,2000-03-26,TH,eligibility.10d,R-4"])
        XCTAssertEqual(d["outcome"] as? String, "needs_review", "one edit: review, never an automatic fail")
        XCTAssertEqual(d["review"] as? [String], ["eligibility.10d"])
        let listed = try TestDatabase.bursar(["exclusions", "list", "--program", "tgp-2026"], database: database).output
        XCTAssertTrue(listed.contains("reg\t1 entry"), listed)
        await database.close()
    }

    func testDuplicatesListAndResolve() async throws {
        let database = try await TestDatabase.migrated()
        let sample = TestDatabase.shared.appendingPathComponent("examples/tgp-2026-sample")
        _ = try TestDatabase.bursar(["submit", sample.appendingPathComponent("batch.ndjson").path], database: database)
        _ = try TestDatabase.bursar(["drain"], database: database)
        let open = try TestDatabase.bursar(["duplicates", "list"], database: database).output
        XCTAssertTrue(open.contains("S-15-same-person-a\tsame person as S-16-same-person-b"), open)
        let resolved = try TestDatabase.bursar(
            ["duplicates", "resolve", "S-16-same-person-b", "--keep", "S-15-same-person-a"], database: database)
        XCTAssertEqual(resolved.status, 0, resolved.error)
        _ = try TestDatabase.bursar(["drain"], database: database)
        let d = try decisions(database)
        XCTAssertEqual(
            d["S-15-same-person-a"]?["outcome"] as? String, "eligible", "the kept application is screened again")
        XCTAssertEqual(
            d["S-16-same-person-b"]?["outcome"] as? String, "withdrawn", "the withdrawn one is decided again: withdrawn"
        )
        XCTAssertEqual(d["S-16-same-person-b"]?["review"] as? [String], [], "nothing of the pair is left to a person")
        await database.close()
    }

    func testANewRevisionMovesTheApplicantsIdentity() async throws {
        let database = try await TestDatabase.migrated()
        let sample = TestDatabase.shared.appendingPathComponent("examples/tgp-2026-sample")
        _ = try TestDatabase.bursar(["submit", sample.appendingPathComponent("batch.ndjson").path], database: database)
        _ = try TestDatabase.bursar(["drain"], database: database)
        XCTAssertEqual(try decisions(database)["S-16-same-person-b"]?["review"] as? [String], ["identity.duplicate"])
        // S-16 resubmits with another birth date: no longer the same person as S-15.
        let line = try String(contentsOf: sample.appendingPathComponent("batch.ndjson"), encoding: .utf8)
            .split(separator: "\n").first { $0.contains("\"S-16-same-person-b\"") }!
        let revised = line.replacingOccurrences(of: "\"2000-03-03\"", with: "\"1999-12-31\"")
        XCTAssertNotEqual(revised, String(line))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("revision-\(UUID().uuidString).ndjson")
        try revised.write(to: file, atomically: true, encoding: .utf8)
        let submitted = try TestDatabase.bursar(["submit", file.path], database: database)
        XCTAssertTrue(submitted.output.contains("accepted: 1"), submitted.output)
        _ = try TestDatabase.bursar(["drain"], database: database)
        let d = try decisions(database)["S-16-same-person-b"]!
        XCTAssertEqual(d["revision"] as? Int, 2)
        XCTAssertFalse(
            (d["review"] as? [String] ?? []).contains("identity.duplicate"),
            "the duplicate lookup sees the new birth date")
        let other = try decisions(database)["S-15-same-person-a"]!
        XCTAssertFalse(
            (other["review"] as? [String] ?? []).contains("identity.duplicate"),
            "the pair is dissolved on the other side too")
        await database.close()
    }

    func testPartnersCommandsAgainstTheDatabase() async throws {
        let database = try await TestDatabase.migrated()
        let json = try TestDatabase.bursar(
            ["partners", "match", "Univ. of Bayreuth", "--country", "DE", "--program", "tgp-2026", "--json"],
            database: database)
        let o = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as! [String: Any]
        XCTAssertEqual(o["result"] as? String, "matched")
        XCTAssertEqual(o["partner"] as? String, "University of Bayreuth")
        XCTAssertNotNil(o["candidates"] as? [[String: Any]])
        XCTAssertNotNil(o["reason"] as? String)
        let imported = try TestDatabase.bursar(
            [
                "partners", "import",
                TestDatabase.repository.appendingPathComponent("db/partners/exchange-2016.csv").path, "--program",
                "exchange-2016",
            ], database: database)
        XCTAssertEqual(imported.status, 0, imported.error)
        XCTAssertTrue(imported.output.contains("476 institutions"), imported.output)
        let other = try TestDatabase.bursar(
            [
                "partners", "match", "Lomonosov Moscow State University", "--country", "RU", "--program",
                "exchange-2016",
            ], database: database)
        XCTAssertTrue(other.output.hasPrefix("matched"), other.output)
        let tgp = try TestDatabase.bursar(
            ["partners", "match", "Lomonosov Moscow State University", "--country", "RU", "--program", "tgp-2026"],
            database: database)
        XCTAssertTrue(tgp.output.hasPrefix("none"), "no leak into tgp-2026: \(tgp.output)")
        let list = try TestDatabase.bursar(["partners", "list", "--program", "tgp-2026"], database: database)
        XCTAssertTrue(list.output.contains("Chulalongkorn University\tTH\tinter-faculty\t建築学部"), list.output)

        // Review loop: an uncertain spelling waits for review; confirming it re-screens the application.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("partner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let sample = TestDatabase.shared.appendingPathComponent("examples/tgp-2026-sample")
        try FileManager.default.copyItem(
            at: sample.appendingPathComponent("docs"), to: folder.appendingPathComponent("docs"))
        let line = try String(contentsOf: sample.appendingPathComponent("batch.ndjson"), encoding: .utf8).split(
            separator: "\n")[6]  // S-07 (DE, Bayreuth)
        let uncertain = line.replacingOccurrences(
            of: "\"institution\": \"University of Bayreuth\", \"kind\"", with: "\"institution\": \"Bayreuth\", \"kind\""
        )
        XCTAssertNotEqual(String(line), uncertain)
        try (uncertain + "\n").write(to: folder.appendingPathComponent("b.ndjson"), atomically: true, encoding: .utf8)
        _ = try TestDatabase.bursar(["submit", folder.appendingPathComponent("b.ndjson").path], database: database)
        _ = try TestDatabase.bursar(["drain"], database: database)
        XCTAssertEqual(try decisions(database)["S-07-partner-only"]?["outcome"] as? String, "needs_review")
        let confirmed = try TestDatabase.bursar(
            ["partners", "confirm", "Bayreuth", "--partner", "University of Bayreuth", "--program", "tgp-2026"],
            database: database)
        XCTAssertTrue(confirmed.output.contains("1 application queued"), confirmed.output + confirmed.error)
        _ = try TestDatabase.bursar(["drain"], database: database)
        XCTAssertEqual(try decisions(database)["S-07-partner-only"]?["outcome"] as? String, "eligible")
        try? FileManager.default.removeItem(at: folder)
        await database.close()
    }
}
