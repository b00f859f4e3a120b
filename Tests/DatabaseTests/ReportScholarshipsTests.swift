import Foundation
import Testing

/// `bursar report scholarships` (issue #26 finding 7): scholarships by status with totals, from
/// the same fold and ledger as `export scholarships`.
@Suite("report scholarships", .enabled(if: ProcessInfo.processInfo.environment["BURSAR_TEST_DATABASE_URL"] != nil))
struct ReportScholarshipsTests {
    typealias T = PaymentSettlementTests

    @Test("one active scholarship paid April–May and one terminated in May: counts, months and yen by status")
    func byStatus() async throws {
        let s = try await LifecycleScenario.start()
        defer { Task { await s.finish() } }
        try await s.events(
            T.admitted("S-01-base"), T.arrived("S-01-base", on: "2026-03-28"),
            T.admitted("S-07-partner-only"), T.arrived("S-07-partner-only", on: "2026-03-28"))
        try await s.drain()
        let run = try s.cli(["payments", "run", "--month", "2026-05", "--folder", s.folder.path])
        #expect(run.status == 0, "\(run.error)")
        try await s.events(T.terminated("S-07-partner-only", on: "2026-05-10"))
        try await s.drain()

        let json = try s.cli(["report", "scholarships", "--json"])
        #expect(json.status == 0, "\(json.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let rows = try #require(object["by_status"] as? [[String: Any]])
        let active = try #require(rows.first { $0["status"] as? String == "active" })
        let terminated = try #require(rows.first { $0["status"] as? String == "terminated" })
        #expect(active["scholarships"] as? Int == 1)
        #expect(active["months"] as? Int == 24, "a master's course: April 2026 to March 2028")
        #expect(active["paid_yen"] as? Int == 300_000)
        #expect(terminated["scholarships"] as? Int == 1)
        #expect(terminated["months"] as? Int == 2, "paid up to and including the month of the termination")
        #expect(terminated["total_yen"] as? Int == 300_000)
        #expect(terminated["paid_yen"] as? Int == 300_000)
        let all = try #require(object["all"] as? [String: Any])
        #expect(all["scholarships"] as? Int == 2)
        #expect(all["paid_yen"] as? Int == 600_000)

        let csv = try s.cli(["report", "scholarships", "--csv"]).output.split(separator: "\n").map(String.init)
        #expect(csv.first == "status,scholarships,months,total_yen,paid_yen,overpaid_yen")
        #expect(csv.last == "all,2,26,3900000,600000,0", "\(csv)")
        let text = try s.cli(["report", "scholarships"]).output
        #expect(text.contains("terminated: 1 (2 months; entitled 300,000 yen, paid 300,000 yen"), "\(text)")
    }
}
