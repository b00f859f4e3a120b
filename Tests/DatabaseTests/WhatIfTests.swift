import Foundation
import Postgres
import Store
import Testing

/// Issue 23, interface §7: `bursar whatif` decides every application under changed program data,
/// stores nothing, and names what would change — admitted scholarships first.
@Suite(
    "What-if names what a change of program data would change, storing nothing", .serialized,
    .enabled(if: databaseAvailable))
struct WhatIfTests {
    /// Everything stored that a what-if must leave as it was, as text.
    static func stored(_ s: SampleScenario) async throws -> String {
        try await s.database.pool.withConnection { connection in
            var text = ""
            for (table, order) in [
                ("decisions", "id"), ("program_data_versions", "program, kind, version"), ("bursar_jobs", "id"),
                ("audit_log", "id"), ("scholarships", "applicant_id"),
                ("document_check_versions", "applicant_id, version"),
            ] {
                for row in try await connection.query("SELECT t::text AS r FROM \(table) t ORDER BY \(order)") {
                    text += table + " " + (try row.string("r")) + "\n"
                }
            }
            return text
        }
    }

    /// Guideline (2)(b), "Those who are enrolled in any of the universities listed in the
    /// International Partner Universities/Institutions shown in Attachment 5": without the
    /// University of Bayreuth, S-07 (whose (2) held only through it) fails (2).
    @Test("removing one listed institution names exactly the applications whose (2) depended on it, admitted first")
    func partnerRemoved() async throws {
        let s = try await SampleScenario.make()
        try s.events([
            #"{"event_id": "a1", "type": "admitted", "applicant_id": "S-07-partner-only", "date": "2026-02-01"}"#
        ])
        let list = try String(
            contentsOf: TestDatabase.repository.appendingPathComponent("db/partners/tgp-2026.csv"), encoding: .utf8)
        let without = try SampleScenario.file(
            list.split(separator: "\n").filter { !$0.hasPrefix("University of Bayreuth,") }
                .joined(separator: "\n") + "\n", suffix: ".csv")
        let before = try await Self.stored(s)
        let outcomes = try s.decisions().mapValues { $0["outcome"] as? String }

        let report = try HistoryReplayTests.json(
            try s.run(["whatif", "--program", "tgp-2026", "--partners", without, "--json"]))
        let flips = try #require(report["flips"] as? [[String: Any]])
        #expect(flips.map { $0["applicant_id"] as? String } == ["S-07-partner-only"], "\(report)")
        #expect(flips.first?["admitted"] as? Bool == true)
        #expect(flips.first?["clauses"] as? [String] == ["eligibility.2"])
        #expect(flips.first?["from"] as? String == "eligible" && flips.first?["to"] as? String == "ineligible")
        #expect(
            flips.first?["pay"] as? String == "unchanged", "interface §3: only a (10) clause getting worse holds pay")
        #expect(report["changed"] as? Int == 1)
        #expect(report["applications"] as? Int == 16)
        #expect(try await Self.stored(s) == before, "a what-if stores nothing")

        try s.run(["partners", "import", without, "--program", "tgp-2026"])
        try s.run(["drain"])
        let after = try s.decisions().mapValues { $0["outcome"] as? String }
        let changed = after.filter { outcomes[$0.key] != $0.value }.keys.sorted()
        #expect(changed == ["S-07-partner-only"], "the real import produces the same flips")
        await s.database.close()
    }

    /// Guideline (10)(d): an exclusion list naming an admitted scholar would hold their pay.
    @Test("an exclusion list naming an admitted scholar: the what-if says the pay would be held")
    func exclusionHoldsPay() async throws {
        let s = try await SampleScenario.make()
        try s.events([#"{"event_id": "a1", "type": "admitted", "applicant_id": "S-01-base", "date": "2026-02-01"}"#])
        let list = try SampleScenario.exclusions(["reg,Jaidee,Kritsada Siriporn,2000-03-26,TH,eligibility.10d,R-1"])
        let before = try await Self.stored(s)
        let report = try HistoryReplayTests.json(
            try s.run(["whatif", "--program", "tgp-2026", "--exclusions", list, "--json"]))
        let flips = try #require(report["flips"] as? [[String: Any]])
        #expect(flips.map { $0["applicant_id"] as? String } == ["S-01-base"], "\(report)")
        #expect(flips.first?["pay"] as? String == "held")
        #expect(flips.first?["clauses"] as? [String] == ["eligibility.10d"])
        #expect(try await Self.stored(s) == before)
        try s.run(["whatif", "--program", "tgp-2026", "--exclusions", "/no/such/file.csv"], status: 2)
        await s.database.close()
    }
}
