import Foundation
import Postgres
import Screening
import Testing

@testable import Store

/// Issue 26, the main job's speed: the index of decisions holding an uncertain partner spelling
/// read every new trace with a JSON path (four fifths of each decision's INSERT). The worker now
/// stores what it knows, `partner_uncertain` (migration 064); these tests pin that the stored
/// answer is the JSON path's, and that decisions without it (written before the column, or by a
/// worker of the previous version) are still found by the path.
@Suite("An uncertain partner spelling, stored with the decision", .enabled(if: databaseAvailable), .serialized)
struct PartnerUncertainTests {
    static let sample = TestDatabase.shared.appendingPathComponent("examples/tgp-2026-sample")
    static let path = DecisionStore.uncertainPartnerPath

    /// A stored trace with clause `id`'s facts replaced by `facts` (the clause added if absent).
    static func trace(_ stored: String, clause id: String, facts: [[String]]) throws -> String {
        var object = try JSONSerialization.jsonObject(with: Data(stored.utf8)) as! [String: Any]
        var clauses = object["clauses"] as! [[String: Any]]
        if let index = clauses.firstIndex(where: { $0["id"] as? String == id }) {
            clauses[index]["facts"] = facts
        } else {
            var clause = clauses[0]
            clause["id"] = id
            clause["facts"] = facts
            clauses.append(clause)
        }
        object["clauses"] = clauses
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test("The worker's answer is the JSON path's, for every shape of the partner facts")
    func storedAnswerIsThePaths() async throws {
        let database = try await TestDatabase.migrated()
        try submitAndDrain(database)
        let (mismatches, decided) = try await database.pool.withConnection { connection in
            let row = try await connection.query(
                """
                SELECT count(*) FILTER (WHERE partner_uncertain IS DISTINCT FROM
                                        jsonb_path_exists(trace::jsonb, \(Self.path), '{}', true))::int AS mismatches,
                       count(*) FILTER (WHERE partner_uncertain IS NOT NULL)::int AS decided
                FROM decisions
                """
            ).first!
            return (try row.int("mismatches"), try row.int("decided"))
        }
        #expect(decided >= 16, "every decision of the sample stores the answer")
        #expect(mismatches == 0)
        let stored = try await database.pool.withConnection { connection in
            try await connection.query("SELECT trace FROM decisions ORDER BY id LIMIT 1").first!.string("trace")
        }
        let cases: [(String, [[String]], Bool)] = [
            ("eligibility.2", [["partner match", "uncertain: two partners share the words"]], true),
            ("eligibility.2", [["institution", "X"], ["partner match", "uncertain"]], true),
            ("eligibility.2", [["partner match", "exact"]], false),
            ("eligibility.2", [["partner match"]], false),
            ("eligibility.2", [["partner match", "Uncertain"]], false),
            ("eligibility.2", [["other", "uncertain"]], false),
            ("eligibility.2", [], false),
            ("eligibility.3", [["partner match", "uncertain"]], false),
        ]
        for (clause, facts, expected) in cases {
            let text = try Self.trace(stored, clause: clause, facts: facts)
            let decoded = try JSONDecoder().decode(DecisionTrace.self, from: Data(text.utf8))
            let byPath = try await database.pool.withConnection { connection in
                try await connection.query(
                    "SELECT jsonb_path_exists($1::jsonb, \(Self.path), '{}', true) AS found", text
                ).first!.bool("found")
            }
            #expect(DecisionStore.partnerUncertain(decoded) == expected, "\(clause) \(facts)")
            #expect(byPath == expected, "\(clause) \(facts)")
        }
        await database.close()
    }

    @Test("A decision without the stored answer is found by its trace; one with it, by the answer")
    func decisionsWithoutTheAnswerAreStillFound() async throws {
        let database = try await TestDatabase.migrated()
        try submitAndDrain(database)
        let review = ReviewStore(database: database)
        let before = try await review.uncertainSpellings(program: "tgp-2026")
        // The current decision of one applicant again, as a worker of the previous version
        // writes it (no partner_uncertain), its trace naming an uncertain match.
        let (applicant, stored) = try await database.pool.withConnection { connection in
            let row = try await connection.query(
                """
                SELECT d.applicant_id, d.trace FROM decisions d
                WHERE d.partner_key IS NOT NULL AND NOT coalesce(d.partner_uncertain, false)
                ORDER BY d.id LIMIT 1
                """
            ).first!
            return (try row.string("applicant_id"), try row.string("trace"))
        }
        let uncertain = try Self.trace(stored, clause: "eligibility.2", facts: [["partner match", "uncertain"]])
        func append(trace: String, answer: Bool?) async throws {
            try await database.pool.withConnection { connection in
                try await connection.query(
                    """
                    INSERT INTO decisions (program, applicant_id, revision, outcome, gpa, categories, failed, review,
                                           conditions, rule_set, trace, partner_key, partner_uncertain)
                    SELECT program, applicant_id, revision, outcome, gpa, categories, failed, review, conditions,
                           rule_set, $2, partner_key, $3
                    FROM decisions WHERE applicant_id = $1 ORDER BY id DESC LIMIT 1
                    """, applicant, trace, answer)
            }
        }
        try await append(trace: uncertain, answer: nil)
        let found = try await review.uncertainSpellings(program: "tgp-2026")
        let listedBefore: Int = before.map(\.applications).reduce(0, +)
        let listed: Int = found.map(\.applications).reduce(0, +)
        #expect(listed == listedBefore + 1)
        // The stored answer decides where there is one: the same trace stored as certain is not listed.
        try await append(trace: uncertain, answer: false)
        #expect(try await review.uncertainSpellings(program: "tgp-2026") == before)
        try await append(trace: stored, answer: true)
        #expect(try await review.uncertainSpellings(program: "tgp-2026") == found)
        await database.close()
    }

    private func submitAndDrain(_ database: Database) throws {
        let submitted = try TestDatabase.bursar(
            ["submit", Self.sample.appendingPathComponent("batch.ndjson").path], database: database)
        #expect(submitted.status == 0, "\(submitted.error)")
        let drained = try TestDatabase.bursar(["drain"], database: database)
        #expect(drained.status == 0, "\(drained.error)")
    }
}
