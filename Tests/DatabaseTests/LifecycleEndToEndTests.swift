import Foundation
import Store
import XCTest

/// Events and payments through the CLI: in order per applicant, idempotent by event_id.
final class LifecycleEndToEndTests: XCTestCase {
    func testEventsPaymentsFlagsAndExport() async throws {
        let database = try await TestDatabase.migrated()
        let sample = TestDatabase.shared.appendingPathComponent("examples/tgp-2026-sample")
        _ = try TestDatabase.bursar(["submit", sample.appendingPathComponent("batch.ndjson").path], database: database)
        // Issue 25: without an account, owed months are held awaiting_account.
        _ = try TestDatabase.bursar(["accounts", "import", TestDatabase.sampleAccounts.path], database: database)
        _ = try TestDatabase.bursar(["drain"], database: database)
        let events = """
            {"event_id": "e1", "type": "admitted", "applicant_id": "S-01-base", "date": "2026-02-01"}
            {"event_id": "e1", "type": "admitted", "applicant_id": "S-01-base", "date": "2026-02-01"}
            {"event_id": "e2", "type": "arrived", "applicant_id": "S-01-base", "date": "2026-06-10"}
            {"event_id": "e3", "type": "admitted", "applicant_id": "S-02-too-young", "date": "2026-02-01"}
            {"event_id": "e4", "type": "arrived", "applicant_id": "S-07-partner-only", "date": "2026-03-01"}
            {"event_id": "e5", "type": "admitted", "applicant_id": "NOBODY", "date": "2026-02-01"}
            {"event_id": "e6", "type": "admitted", "applicant_id": "S-07-partner-only", "date": "2026-02-01"}
            {"event_id": "e7", "type": "academic_report", "applicant_id": "S-07-partner-only", "date": "2026-09-30", \
            "term": "2026-1", "gpa": "2.10"}
            {"event_id": "e8", "type": "termination", "applicant_id": "S-08-sister-city", "date": "2026-09-30", \
            "reason": "health"}
            {"event_id": "e9", "type": "arrived", "applicant_id": "S-07-partner-only", "date": "2026-03-25"}
            """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString).ndjson")
        try events.write(to: file, atomically: true, encoding: .utf8)
        let submitted = try TestDatabase.bursar(["events", "submit", file.path], database: database)
        XCTAssertEqual(submitted.status, 0, submitted.output + submitted.error)
        XCTAssertTrue(
            submitted.output.contains("ignored (event_id already submitted with the same content): 1"), submitted.output
        )
        _ = try TestDatabase.bursar(["drain"], database: database)
        // Submitting the same file again changes nothing.
        _ = try TestDatabase.bursar(["events", "submit", file.path], database: database)
        _ = try TestDatabase.bursar(["drain"], database: database)

        let listed = try TestDatabase.bursar(["events", "list"], database: database).output
        XCTAssertTrue(listed.contains("e3\tS-02-too-young\tadmitted\trejected"), listed)
        XCTAssertTrue(listed.contains("not eligible"), listed)
        // v1.2: an arrival is a fact dated any day; recorded before the admission it waits for it.
        XCTAssertTrue(
            listed.contains("e4\tS-07-partner-only\tarrived\tapplied"),
            "an arrival before admitted is a fact: \(listed)")
        XCTAssertTrue(listed.contains("unknown applicant"), listed)

        let exported = try TestDatabase.bursar(["export", "scholarships"], database: database).output
        var scholarships: [String: [String: Any]] = [:]
        for line in exported.split(separator: "\n") {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            scholarships[o["applicant_id"] as! String] = o
        }
        XCTAssertEqual(Set(scholarships.keys), ["S-01-base", "S-07-partner-only"])
        XCTAssertEqual(
            scholarships["S-01-base"]?["first_payment_month"] as? String, "2026-06", "arrival more than a month late")
        XCTAssertEqual(scholarships["S-01-base"]?["months"] as? Int, 22)
        XCTAssertEqual(scholarships["S-01-base"]?["total_yen"] as? Int, 3_300_000)
        XCTAssertEqual(scholarships["S-07-partner-only"]?["flags"] as? [String], ["academic.gpa_below_2_3"])

        // Payment run: S-07 is held (flag) from April, S-01 has nothing owed before June (arrived in June).
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pay-\(UUID().uuidString)").path
        let run = try TestDatabase.bursar(
            ["payments", "run", "--month", "2026-06", "--folder", folder], database: database)
        XCTAssertEqual(run.status, 0, run.output + run.error)
        XCTAssertTrue(run.output.contains("1 paid, 3 held"), run.output)
        let again = try TestDatabase.bursar(
            ["payments", "run", "--month", "2026-06", "--folder", folder], database: database)
        XCTAssertTrue(again.output.contains("0 paid, 3 held"), "idempotent per scholarship and month: \(again.output)")
        let bankPath =
            run.output.split(separator: "\n").first { $0.hasPrefix("bank-transfer file: ") }.map {
                String($0.dropFirst(20))
            } ?? ""
        let bank = try String(contentsOfFile: bankPath, encoding: .utf8)
        XCTAssertTrue(bank.contains("S-01-base,Jaidee,Kritsada Siriporn,2026-06,150000"), bank)
        XCTAssertFalse(bank.contains("S-07"), "a held payment is not transferred")

        let cleared = try TestDatabase.bursar(
            ["flags", "clear", "S-07-partner-only", "academic.gpa_below_2_3", "--reason", "medical leave documented"],
            database: database)
        XCTAssertTrue(cleared.output.contains("3 held payments released"), cleared.output)
        let shown = try TestDatabase.bursar(["payments", "show", "S-07-partner-only"], database: database).output
        XCTAssertTrue(shown.contains("2026-06  150,000 yen  due"), shown)
        // Officers' words (issue #26 finding 5): no "doctoral's course", "1 months" or "3600000 yen".
        XCTAssertNotNil(
            shown.range(
                of: #"(master's|doctoral) course, \d+ months?, \d{1,3}(,\d{3})+ yen in all"#,
                options: .regularExpression), shown)
        XCTAssertFalse(shown.contains("doctoral's") || shown.contains(" 1 months"), shown)
        let third = try TestDatabase.bursar(
            ["payments", "run", "--month", "2026-06", "--folder", folder], database: database)
        XCTAssertTrue(third.output.contains("3 paid, 0 held"), third.output)
        let paid = try TestDatabase.bursar(["payments", "show", "S-07-partner-only"], database: database).output
        XCTAssertTrue(paid.contains("2026-06  150,000 yen  paid"), paid)
        try? FileManager.default.removeItem(atPath: folder)
        await database.close()
    }
}
