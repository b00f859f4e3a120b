import Foundation
import Postgres
import Store

/// Applicants for the console's tests, made in bulk: one statement per table for any number
/// (`generate_series`), not a round trip per applicant. The rows are what intake and screening
/// store (names and birth dates on `applicants` and `applications`, one decision of the latest
/// revision with its trace), without screening anyone: the console only reads them.
enum ConsoleSeed {
    /// `count` applicants of `program` with ids `PREFIX000001`…, family name `Family000001`…
    /// (given `Given…`), each with one application and one decision of the stored shape (a
    /// trace of 24 clauses, about 5 KB, naming the applicant's documents, and the partner
    /// spelling key every decision carries):
    /// every tenth `needs_review` (clause (2) in review: an uncertain spelling, one of seven),
    /// every third of the others `ineligible`, the rest `eligible`.
    static func applicants(_ count: Int, program: String, prefix: String, on database: Database) async throws {
        try await database.pool.withTransaction { connection in
            try await connection.query(
                """
                INSERT INTO applicants (program, applicant_id, latest_revision, content_hash, family_name, given_name,
                    birth_date, citizenships)
                SELECT $1, $2 || lpad(i::text, 6, '0'), 1, md5(i::text), 'Family' || lpad(i::text, 6, '0'),
                    'Given' || lpad(i::text, 6, '0'), date '1995-01-01' + i % 3650, '{THA}'
                FROM generate_series(1, $3) AS i
                """, program, prefix, count)
            try await connection.query(
                """
                INSERT INTO applications (program, applicant_id, revision, content, content_hash, batch_dir,
                    birth_date, family_name, given_name, citizenships)
                SELECT h.program, h.applicant_id, 1,
                    json_build_object('applicant_id', h.applicant_id, 'family_name', h.family_name,
                        'given_name', h.given_name, 'affiliation',
                        json_build_object('institution', 'Bayreuth ' || (i % 7), 'country', 'DE'))::text,
                    h.content_hash, 'seed', h.birth_date, h.family_name, h.given_name, h.citizenships
                FROM applicants h, generate_series(1, $3) AS i
                WHERE h.program = $1 AND h.applicant_id = $2 || lpad(i::text, 6, '0')
                """, program, prefix, count)
            try await connection.query(
                """
                INSERT INTO decisions (program, applicant_id, revision, outcome, categories, failed, review,
                    conditions, rule_set, trace, partner_key)
                SELECT $1, $2 || lpad(i::text, 6, '0'), 1,
                    CASE WHEN i % 10 = 0 THEN 'needs_review' WHEN i % 3 = 0 THEN 'ineligible' ELSE 'eligible' END,
                    '{}', '{}', CASE WHEN i % 10 = 0 THEN '{eligibility.2}'::text[] ELSE '{}' END, '{}', 'seed',
                    replace(
                        replace(CASE WHEN i % 10 = 0 THEN $4 ELSE $5 END, 'Bayreuth', 'Bayreuth ' || (i % 7)),
                        'docs/A/', 'docs/' || $2 || lpad(i::text, 6, '0') || '/'),
                    'bayreuth ' || (i % 7)
                FROM generate_series(1, $3) AS i
                """, program, prefix, count, trace(review: true), trace(review: false))
        }
    }

    /// A decision trace as screening stores it: 24 clauses with explanation and facts, and the
    /// courses counted. Under `review`, clause (2)'s partner match is uncertain.
    static func trace(review: Bool) -> String {
        let declared = "The applicant declares it; the declaration is part of the application form."
        var clauses: [[String: Any]] = [
            clause(
                "eligibility.1", "Degree: bachelor degree expected. Age: aged 26 on 2026-04-01, at least 22.",
                [["course", "master"], ["degree", "bachelor (expected)"], ["age at enrollment", "26"]]),
            clause(
                "eligibility.2",
                review
                    ? "Category (b) may hold: Bayreuth may be the partner University of Bayreuth; a person decides."
                    : "Categories 2a, 2b hold: an Asian country of note 1, and a partner institution; enrolled.",
                [
                    ["institution", "Bayreuth"], ["location", "Bayreuth, DE"], ["status", "enrolled"],
                    [
                        "partner match",
                        review ? "uncertain: University of Bayreuth" : "matched: University of Bayreuth",
                    ],
                ],
                status: review ? "review" : "pass"),
            clause(
                "eligibility.3", "GPA 2.50 (exactly 5/2) over 4 courses; at least the required 2.30.",
                [["gpa", "2.50"], ["required", "2.30"], ["courses counted", "4"]]),
            clause("eligibility.4", "Met by (d) IELTS 6.5.", [["evidence", "(d) IELTS 6.5"]]),
        ]
        for n in 5...9 { clauses.append(clause("eligibility.\(n)", declared, [["declared", "true"]])) }
        for letter in ["a", "b", "c", "d", "e"] {
            clauses.append(
                clause(
                    "eligibility.10\(letter)",
                    "Not excluded: nothing in the application or the exclusion lists falls under it.",
                    [["checked", "declarations and exclusion lists"]]))
        }
        for document in [
            "application_form", "transcript", "degree_certificate", "passport", "research_plan",
            "housing_referral_form", "language_certificate",
        ] {
            clauses.append(
                clause(
                    "documents.\(document)", "Submitted and verified (docs/A/\(document).pdf).",
                    [["file", "docs/A/\(document).pdf"]]))
        }
        clauses.append(
            clause("identity.duplicate", "No other application of the same person.", [["others", "none"]]))
        let courses: [[String: Any]] = ["Calculus I", "Physics I", "Programming", "Literature"].map {
            ["transcript": 0, "title": $0, "grade": "A", "gradePoint": 3, "weight": "3", "lookAlike": false]
        }
        let trace: [String: Any] = [
            "clauses": clauses, "courses": courses, "gpaExact": "5/2",
            "studies": [["transcripts": [0], "gpaExcluded": "5/2", "gpaCountedAtZero": "5/2"]],
        ]
        let data = try! JSONSerialization.data(withJSONObject: trace, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    private static func clause(
        _ id: String, _ explanation: String, _ facts: [[String]], status: String = "pass"
    ) -> [String: Any] {
        ["id": id, "status": status, "explanation": explanation, "facts": facts, "condition": false]
    }

    /// Scholarships for the applicants `PREFIX…` numbered `i` ≤ `count` with i % 20 = 1 and
    /// i % 3 ≠ 0 (all eligible): `admitted` on 2026-02-01 and `arrived` on 2026-03-20, applied
    /// as the lifecycle worker records them, and the scholarship row. Returns their ids.
    static func scholarships(_ count: Int, program: String, prefix: String, on database: Database) async throws
        -> [String]
    {
        try await database.pool.withTransaction { connection in
            let ids = try await connection.query(
                """
                SELECT $1 || lpad(i::text, 6, '0') AS id FROM generate_series(1, $2) AS i
                WHERE i % 20 = 1 AND i % 3 <> 0 ORDER BY i
                """, prefix, count
            ).map { try $0.string("id") }
            try await connection.query(
                """
                INSERT INTO lifecycle_events (program, event_id, applicant_id, type, body, status, effect)
                SELECT $1, t.type || '-' || a, a, t.type,
                    jsonb_build_object('event_id', t.type || '-' || a, 'applicant_id', a, 'type', t.type,
                        'date', t.date),
                    'applied', 'seeded'
                FROM unnest($2::text[]) AS a,
                    (VALUES ('admitted', '2026-02-01'), ('arrived', '2026-03-20')) AS t(type, date)
                ORDER BY a, t.date
                """, program, TextArray(ids))
            try await connection.query(
                """
                INSERT INTO scholarships (program, applicant_id, course, status, state)
                SELECT $1, a, 'master', 'active',
                    jsonb_build_object('monthlyYen', (SELECT definition -> 'stipend_yen_per_month' FROM programs
                        WHERE id = $1))
                FROM unnest($2::text[]) AS a
                """, program, TextArray(ids))
            return ids
        }
    }

    /// One audit row per applicant `PREFIX000001`…: what submitting and deciding leave.
    static func auditRows(_ count: Int, program: String, prefix: String, on database: Database) async throws {
        try await database.pool.withConnection { connection in
            try await connection.query(
                """
                INSERT INTO audit_log (action, program, applicant_id, detail)
                SELECT 'decision.recorded', $1, $2 || lpad(i::text, 6, '0'), jsonb_build_object('revision', '1')
                FROM generate_series(1, $3) AS i
                """, program, prefix, count)
        }
    }

    /// A payment run of `month` that paid `yen` for that month to each of `applicantIDs`, as a
    /// run commits it (the run's row and its paid lines in one transaction: the ledger's guard
    /// lets only the current run pay), its file recorded as written in a folder of another
    /// machine. Returns the run id.
    static func paidRun(
        program: String, month: String, applicantIDs: [String], yen: Int, on database: Database
    ) async throws -> Int64 {
        try await database.pool.withTransaction { connection in
            let run = try await connection.query(
                """
                INSERT INTO payment_runs (program, month, paid, held, total_yen) VALUES ($1, $2, $3, 0, $4)
                RETURNING id
                """, program, month, applicantIDs.count, applicantIDs.count * yen
            ).first!.int64("id")
            try await connection.query(
                """
                INSERT INTO payments (program, applicant_id, month, amount_yen, status, run_month, run_id, paid_at)
                SELECT $1, a, $2, $3, 'paid', $2, $4, now() FROM unnest($5::text[]) AS a
                """, program, month, yen, run, TextArray(applicantIDs))
            let file = "/srv/elsewhere/" + BankTransferFile.name(program: program, month: month, runID: run)
            try await connection.query(
                "UPDATE payment_runs SET bank_file = $2, written_at = now() WHERE id = $1", run, file)
            return run
        }
    }
}
