import Foundation
import Postgres

/// What waits for a person (`bursar review list`, interface §2): applications whose current
/// decision is `needs_review`, with the clauses left to a person and why, and the institution
/// spellings whose partner match was uncertain.
public struct ReviewStore: Sendable {
    public let database: Database
    public init(database: Database) { self.database = database }

    /// One clause of one application that a person must decide.
    public struct Waiting: Sendable, Equatable {
        public let applicantID: String
        public let revision: Int
        public let clause: String
        public let why: String
    }

    /// An institution name as applicants wrote it that the matcher could not place, and how
    /// many applications' current decisions hold it.
    public struct Spelling: Sendable, Equatable {
        public let spelling: String
        public let country: String
        public let applications: Int
    }

    /// The current decisions of `program`: those of the applicants' latest revisions.
    private static let currentDecisions = """
        SELECT h.applicant_id, d.revision, d.outcome, d.trace, d.partner_key
        FROM applicants h
        JOIN LATERAL (
            SELECT * FROM decisions x
            WHERE x.program = h.program AND x.applicant_id = h.applicant_id AND x.revision = h.latest_revision
            ORDER BY x.id DESC LIMIT 1
        ) d ON true
        WHERE h.program = $1
        """

    /// Every clause in review of every `needs_review` application, by applicant and in trace order.
    public func waiting(program: String) async throws -> [Waiting] {
        try await database.pool.withConnection { connection in
            try await connection.query(
                """
                WITH current AS (\(Self.currentDecisions))
                SELECT c.applicant_id, c.revision, clause->>'id' AS clause, clause->>'explanation' AS why
                FROM current c CROSS JOIN LATERAL jsonb_array_elements(c.trace::jsonb->'clauses') WITH ORDINALITY AS t(clause, n)
                WHERE c.outcome = 'needs_review' AND clause->>'status' = 'review'
                ORDER BY c.applicant_id, t.n
                """, program
            ).map {
                Waiting(
                    applicantID: try $0.string("applicant_id"), revision: try $0.int("revision"),
                    clause: try $0.string("clause"), why: try $0.string("why"))
            }
        }
    }

    /// An admitted scholar whose current decision is no longer `eligible` (interface §3 v1.2: a
    /// change of program data holds nothing after acceptance; a person sees it here).
    public struct AdmittedNotEligible: Sendable, Equatable {
        public let applicantID: String
        public let outcome: String
        /// The clauses failed or left to review today.
        public let clauses: [String]
    }

    /// The admitted scholars of `program` who would not be eligible today, by applicant.
    public func admittedNotEligible(program: String) async throws -> [AdmittedNotEligible] {
        try await database.pool.withConnection { connection in
            try await connection.query(
                """
                WITH current AS (\(Self.currentDecisions))
                SELECT c.applicant_id, c.outcome, d.failed || d.review AS clauses
                FROM current c
                JOIN scholarships s ON s.program = $1 AND s.applicant_id = c.applicant_id
                JOIN LATERAL (SELECT failed, review FROM decisions x WHERE x.program = $1 AND x.applicant_id =
                c.applicant_id
                              ORDER BY x.id DESC LIMIT 1) d ON true
                WHERE c.outcome <> 'eligible'
                ORDER BY c.applicant_id
                """, program
            ).map {
                AdmittedNotEligible(
                    applicantID: try $0.string("applicant_id"), outcome: try $0.string("outcome"),
                    clauses: try $0.strings("clauses"))
            }
        }
    }

    /// The uncertain spellings, the most applications first. A spelling is shown as the first
    /// applicant (by id) wrote it; spellings that differ only in case and spacing are one.
    public func uncertainSpellings(program: String) async throws -> [Spelling] {
        try await database.pool.withConnection { connection in
            try await connection.query(
                """
                WITH current AS (\(Self.currentDecisions))
                SELECT (array_agg(a.content::jsonb->'affiliation'->>'institution' ORDER BY c.applicant_id))[1] AS spelling,
                       coalesce(a.content::jsonb->'affiliation'->>'country', '') AS country, count(*)::int AS n
                FROM current c
                JOIN applications a ON a.program = $1 AND a.applicant_id = c.applicant_id AND a.revision = c.revision
                WHERE c.partner_key IS NOT NULL
                  -- Every decision keys its spelling (re-deciding on officer decisions); only an
                  -- uncertain match waits for a person.
                  AND EXISTS (
                      SELECT 1 FROM jsonb_array_elements(c.trace::jsonb -> 'clauses') AS clause,
                                    jsonb_array_elements(clause -> 'facts') AS fact
                      WHERE clause ->> 'id' = 'eligibility.2' AND fact ->> 0 = 'partner match'
                        AND fact ->> 1 LIKE 'uncertain%')
                GROUP BY c.partner_key, coalesce(a.content::jsonb->'affiliation'->>'country', '')
                ORDER BY n DESC, spelling
                """, program
            ).map {
                Spelling(
                    spelling: try $0.string("spelling"), country: try $0.string("country"),
                    applications: try $0.int("n"))
            }
        }
    }

    /// The applicant's name as on the passport (of the latest revision), for `bursar show`.
    public func name(program: String, applicantID: String) async throws -> (family: String, given: String)? {
        try await database.pool.withConnection { connection in
            try await connection.query(
                """
                SELECT a.family_name, a.given_name FROM applicants h
                JOIN applications a ON a.program = h.program AND a.applicant_id = h.applicant_id AND a.revision = h.latest_revision
                WHERE h.program = $1 AND h.applicant_id = $2
                """, program, applicantID
            ).first.map { (try $0.string("family_name"), try $0.string("given_name")) }
        }
    }
}
