import Foundation
import Postgres
import Store

/// Applicants for the console's tests, made in bulk: one statement per table for any number
/// (`generate_series`), not a round trip per applicant. The rows are what intake and screening
/// store (names and birth dates on `applicants` and `applications`, one decision of the latest
/// revision with its trace), without screening anyone: the console only reads them.
enum ConsoleSeed {
    /// `count` applicants of `program` with ids `PREFIX000001`…, family name `Family000001`…
    /// (given `Given…`), each with one application and one decision: every tenth `needs_review`
    /// (its trace's clause `eligibility.2` in review, an uncertain partner spelling), every third
    /// of the others `ineligible`, the rest `eligible`. `trace` is the decision trace to store
    /// (nil: a small one of that shape).
    static func applicants(
        _ count: Int, program: String, prefix: String, trace: String? = nil, on database: Database
    ) async throws {
        let review = trace ?? Self.reviewTrace
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
                    CASE WHEN i % 10 = 0 THEN $4 ELSE replace($4, '"review"', '"pass"') END,
                    'bayreuth ' || (i % 7)
                FROM generate_series(1, $3) AS i
                """, program, prefix, count, review)
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

    /// A decision trace of the stored shape: clauses with id, status, explanation and facts.
    static let reviewTrace = """
        {"clauses": [{"id": "eligibility.1", "status": "pass", "explanation": "nationality of a partner country", \
        "facts": [["citizenships", "THA"]]}, {"id": "eligibility.2", "status": "review", \
        "explanation": "the institution may be a partner", "facts": [["partner match", "uncertain: Bayreuth"]]}]}
        """
}
