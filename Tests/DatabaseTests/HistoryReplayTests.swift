import Foundation
import History
import Postgres
import Screening
import Store
import Testing

/// Issue 23, interface §7: every decision keeps what it was made from, and `bursar replay`
/// decides it again from exactly that.
@Suite("Replay decides stored decisions again from what they recorded", .serialized, .enabled(if: databaseAvailable))
struct HistoryReplayTests {
    static func json(_ text: String) throws -> [String: Any] {
        let line = text.split(separator: "\n").last(where: { $0.hasPrefix("{") }) ?? ""
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    static func decisionCount(_ s: SampleScenario) async throws -> Int {
        try await s.database.pool.withConnection {
            try await $0.query("SELECT count(*)::int AS n FROM decisions").first!.int("n")
        }
    }

    @Test("every decision of the sample replays identical; unknown applicants and decisions exit 2")
    func sample() async throws {
        let s = try await SampleScenario.make()
        let all = try Self.json(try s.run(["replay", "--program", "tgp-2026", "--all", "--json"]))
        #expect(all["replayed"] as? Int == (try await Self.decisionCount(s)))
        #expect(all["different"] as? Int == 0, "\(all)")
        let one = try Self.json(try s.run(["replay", "S-15-same-person-a", "--json"]))
        #expect(one["identical"] as? Bool == true, "\(one)")
        #expect(one["rule_set"] as? String == "tgp-2026@2")
        try s.run(["replay", "NO-SUCH-APPLICANT"], status: 2)
        try s.run(["replay", "S-01-base", "--decision", "999999"], status: 2)
        await s.database.close()
    }

    /// Inputs kept whole: `documents recheck` replaces a revision's checks; the decision made from
    /// the earlier checks still replays identical from the checks it read.
    @Test("an older decision replays identical after its documents were checked again")
    func documentRecheck() async throws {
        let s = try await SampleScenario.make()
        let before = try Self.json(try s.run(["replay", "S-01-base", "--json"]))
        let folder = try SampleScenario.batchFolder([try SampleScenario.line(of: "S-01-base")])
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("docs/S-01-base/passport.pdf"))
        try s.run(["documents", "recheck", "S-01-base", "--from", folder.path])
        try s.run(["drain"])
        #expect(try s.outcome("S-01-base") == "incomplete")
        let old = try #require(before["decision"] as? Int)
        let replayed = try Self.json(try s.run(["replay", "S-01-base", "--decision", String(old), "--json"]))
        #expect(replayed["identical"] as? Bool == true, "\(replayed)")
        let all = try Self.json(try s.run(["replay", "--program", "tgp-2026", "--all", "--json"]))
        #expect(all["different"] as? Int == 0, "\(all)")
        await s.database.close()
    }

    /// Acceptance: "After a new exclusion list is imported, an older decision still replays
    /// identical under the list version it was made with."
    @Test("after a new exclusion list, an older decision replays identical under the list version it read")
    func exclusionVersion() async throws {
        let s = try await SampleScenario.make()
        let before = try Self.json(try s.run(["replay", "S-01-base", "--json"]))
        try s.run([
            "exclusions", "import",
            try SampleScenario.exclusions(["reg,Jaidee,Kritsada Siriporn,2000-03-26,TH,eligibility.10d,R-1"]),
            "--program", "tgp-2026",
        ])
        try s.run(["drain"])
        #expect(try s.outcome("S-01-base") == "ineligible")
        let old = try #require(before["decision"] as? Int)
        let replayed = try Self.json(try s.run(["replay", "S-01-base", "--decision", String(old), "--json"]))
        #expect(replayed["identical"] as? Bool == true, "\(replayed)")
        let latest = try Self.json(try s.run(["replay", "S-01-base", "--json"]))
        #expect(latest["identical"] as? Bool == true && latest["decision"] as? Int != old, "\(latest)")
        await s.database.close()
    }

    /// Acceptance: "a test that changes one rule's behaviour without its version makes
    /// `replay --all` fail naming the clause".
    @Test("a rule changed without its version makes replay of every decision fail, naming the clause")
    func silentRuleChange() async throws {
        let s = try await SampleScenario.make()
        let changed = RuleSet(
            clauses: RuleSet.tokyoGlobalPartner.clauses.map { clause in
                guard clause.id == "eligibility.3" else { return clause }
                return Clause(id: clause.id, text: clause.text) { context in
                    clause.evaluate(context).map {
                        ClauseResult(id: $0.id, status: .review, explanation: $0.explanation, facts: $0.facts)
                    }
                }
            })
        let summary = try await Replay(database: s.database, rules: changed).replayAll(program: "tgp-2026")
        #expect(summary.replayed == (try await Self.decisionCount(s)))
        #expect(summary.different > 0)
        #expect(summary.byClause.keys.contains("eligibility.3"), "\(summary.byClause)")
        #expect(
            summary.byClause.keys.allSatisfy { $0 == "eligibility.3" },
            "only the changed clause is named: \(summary.byClause)")
        let same = try await Replay(database: s.database).replayAll(program: "tgp-2026")
        #expect(same.different == 0)
        await s.database.close()
    }
}
