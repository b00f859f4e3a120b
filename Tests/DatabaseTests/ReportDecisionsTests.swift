import Foundation
import Postgres
import Store
import Testing

/// `bursar report decisions` (issue #26 finding 7): each applicant's latest decision counted by
/// outcome and by clause, as text, JSON and CSV.
@Suite("report decisions", .enabled(if: ProcessInfo.processInfo.environment["BURSAR_TEST_DATABASE_URL"] != nil))
struct ReportDecisionsTests {
    @Test("only the latest decision of each applicant counts; clauses failed and in review are counted apart")
    func summary() async throws {
        let database = try await TestDatabase.migrated()
        try await database.pool.withConnection { connection in
            // A: eligible, then decided again ineligible on clause 3 (the latest counts); B in review on 5; C eligible.
            try await connection.query(
                """
                INSERT INTO decisions (program, applicant_id, revision, outcome,
                    categories, failed, review, conditions, rule_set, trace)
                VALUES ('tgp-2026', 'A', 1, 'eligible', '{}', '{}', '{}', '{}', 'r', '{}'),
                       ('tgp-2026', 'A', 2, 'ineligible', '{}', '{eligibility.3}', '{}', '{}', 'r', '{}'),
                       ('tgp-2026', 'B', 1, 'review', '{}', '{}', '{eligibility.5}', '{}', 'r', '{}'),
                       ('tgp-2026', 'C', 1, 'eligible', '{}', '{}', '{}', '{}', 'r', '{}')
                """)
        }
        let json = try IntakeCorpusTests.bursar(
            ["report", "decisions", "--program", "tgp-2026", "--json"],
            database: database)
        #expect(json.status == 0, "\(json.error)")
        let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect(object?["applicants"] as? Int == 3)
        #expect(object?["by_outcome"] as? [String: Int] == ["eligible": 1, "ineligible": 1, "review": 1])
        let clauses = object?["by_clause"] as? [String: [String: Int]]
        #expect(
            clauses == ["eligibility.3": ["failed": 1, "review": 0], "eligibility.5": ["failed": 0, "review": 1]])
        let csv = try IntakeCorpusTests.bursar(["report", "decisions", "--csv"], database: database)
        #expect(
            csv.output.split(separator: "\n").map(String.init) == [
                "kind,key,count", "outcome,eligible,1", "outcome,ineligible,1", "outcome,review,1",
                "failed,eligibility.3,1", "review,eligibility.5,1",
            ], "\(csv.output)")
        let text = try IntakeCorpusTests.bursar(["report", "decisions"], database: database)
        #expect(text.output.contains("eligibility.3: 1 failed, 0 in review"), "\(text.output)")
        let unknown = try IntakeCorpusTests.bursar(["report", "decisions", "--program", "nope"], database: database)
        #expect(unknown.status != 0 && unknown.error.contains("no program"), "\(unknown.error)")
        await database.close()
    }
}
