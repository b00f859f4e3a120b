import Foundation
import Store
import Testing

/// Interface §4 (v1.2): `programs list|show|import`; an import is a new definition version
/// (audited) and re-decides the program's applications; `--dry-run` reports what `whatif
/// --program-file` reports.
@Suite(
    "programs import: dry run as what-if, then a new audited definition version", .serialized,
    .enabled(if: databaseAvailable))
struct ProgramsCommandTests {
    /// Guideline (3), "The GPA … should be 2.30 or above": a definition raising the threshold.
    @Test("a raised GPA threshold: the dry run names the flips, storing nothing; the import makes the same flips")
    func importDefinition() async throws {
        let s = try await SampleScenario.make()
        let shown = try s.run(["programs", "show", "tgp-2026", "--json"])
        let raised = try SampleScenario.file(
            shown.replacingOccurrences(
                of: "\"gpa_threshold\":\"2.30\"",
                with: "\"gpa_threshold\":\"3.50\""), suffix: ".json")
        let before = try await WhatIfTests.stored(s)
        let outcomes = try s.decisions().mapValues { $0["outcome"] as? String }
        let dry = try HistoryReplayTests.json(try s.run(["programs", "import", raised, "--dry-run", "--json"]))
        let flips = try #require(dry["flips"] as? [[String: Any]])
        #expect(!flips.isEmpty, "\(dry)")
        #expect(flips.allSatisfy { ($0["clauses"] as? [String])?.contains("eligibility.3") == true })
        #expect(try await WhatIfTests.stored(s) == before)
        let imported = try s.run(["programs", "import", raised])
        #expect(imported.contains("definition version 2"), "\(imported)")
        try s.run(["drain"])
        let after = try s.decisions().mapValues { $0["outcome"] as? String }
        #expect(
            after.filter { outcomes[$0.key] != $0.value }.keys.sorted()
                == flips.compactMap { $0["applicant_id"] as? String }.sorted())
        #expect(try s.run(["programs", "list"]).contains("definition version 2"))
        #expect(try s.run(["audit", "--json"]).contains("programs.import"))
        await s.database.close()
    }
}
