import Foundation
import History
import Store
import Testing

/// Issue 23, interface §7: "`payments explain` for a paid month names the run, the events, the
/// decision id, rule set, data versions and clauses, in both languages."
@Suite("payments explain names the chain behind a stipend line", .serialized, .enabled(if: databaseAvailable))
struct PaymentsExplainTests {
    @Test("a paid month: the run, the events, the admitting decision and the clauses, in English and Japanese")
    func paidMonth() async throws {
        let s = try await SampleScenario.make()
        // Issue 25: a stipend goes to a registered bank account.
        try s.run(["accounts", "import", TestDatabase.sampleAccounts.path])
        try s.events([
            #"{"event_id": "a1", "type": "admitted", "applicant_id": "S-07-partner-only", "date": "2026-02-01"}"#,
            #"{"event_id": "r1", "type": "arrived", "applicant_id": "S-07-partner-only", "date": "2026-03-20"}"#,
        ])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bursar-explain-\(UUID().uuidString)"
        ).path
        try s.run(["payments", "run", "--month", "2026-04", "--folder", folder])
        let decision = try HistoryReplayTests.json(try s.run(["replay", "S-07-partner-only", "--json"]))
        let id = try #require(decision["decision"] as? Int)

        let en = try HistoryReplayTests.json(
            try s.run(["payments", "explain", "S-07-partner-only", "2026-04", "--json"]))
        let payment = try #require(en["payment"] as? [String: Any])
        #expect(payment["status"] as? String == "paid")
        #expect((payment["run"] as? [String: Any])?["month"] as? String == "2026-04")
        #expect((en["events"] as? [[String: Any]])?.compactMap { $0["event_id"] as? String } == ["a1", "r1"])
        let d = try #require(en["decision"] as? [String: Any])
        #expect(d["id"] as? Int == id)
        #expect(d["rule_set"] as? String == "tgp-2026@2")
        #expect(d["audit_id"] as? Int != nil)
        #expect((d["data_versions"] as? [String: Any])?["partners"] as? Int == 1)
        let clauses = try #require(en["clauses"] as? [[String: Any]])
        let two = try #require(clauses.first { $0["id"] as? String == "eligibility.2" })
        #expect((two["guideline"] as? String)?.contains("Attachment 5") == true, "\(two)")
        let text = try #require(en["text"] as? String)
        #expect(text.contains("University of Bayreuth"))

        let ja = try s.run(["payments", "explain", "S-07-partner-only", "2026-04", "--lang", "ja"])
        #expect(ja.contains("支給済"), "\(ja)")
        #expect(ja.contains("東京都立大学国際交流協定校一覧"), "\(ja)")
        #expect(ja.contains("判定 \(id)"), "\(ja)")
        #expect(ja.contains("バイロイト大学"), "the partner's Japanese name from Attachment 5: \(ja)")
        try s.run(["payments", "explain", "S-07-partner-only", "April"], status: 64)
        await s.database.close()
    }
}
