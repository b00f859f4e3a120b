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

    /// Keeps the decisions `d` that are current: the latest decision of their applicant's latest
    /// revision. Used from the partial indexes of migration 058, which hold the decisions in
    /// review, with an uncertain spelling or naming a duplicate, rather than from every applicant.
    private static let isCurrent = """
        EXISTS (SELECT 1 FROM applicants h
                WHERE h.program = d.program AND h.applicant_id = d.applicant_id AND h.latest_revision = d.revision)
        AND d.id = (SELECT x.id FROM decisions x
                    WHERE x.program = d.program AND x.applicant_id = d.applicant_id AND x.revision = d.revision
                    ORDER BY x.id DESC LIMIT 1)
        """

    /// Every clause in review of every `needs_review` application (of `applicantIDs` only, when
    /// given), by applicant and in trace order.
    public func waiting(program: String, applicantIDs: [String]? = nil) async throws -> [Waiting] {
        try await database.pool.withConnection { connection in
            try await connection.query(
                """
                SELECT d.applicant_id, d.revision, clause->>'id' AS clause, clause->>'explanation' AS why
                FROM decisions d
                CROSS JOIN LATERAL jsonb_array_elements(d.trace::jsonb->'clauses') WITH ORDINALITY AS t(clause, n)
                WHERE d.program = $1 AND d.outcome = 'needs_review' AND \(Self.isCurrent)
                  AND ($2::text[] IS NULL OR d.applicant_id = ANY($2::text[])) AND clause->>'status' = 'review'
                ORDER BY d.applicant_id, t.n
                """, program, applicantIDs.map(TextArray.init)
            ).map {
                Waiting(
                    applicantID: try $0.string("applicant_id"), revision: try $0.int("revision"),
                    clause: try $0.string("clause"), why: try $0.string("why"))
            }
        }
    }

    /// How many applications are `needs_review` now (the dashboard's count: nothing is read
    /// but the index of migration 058 and the applicants' current decisions).
    public func inReviewCount(program: String) async throws -> Int {
        try await database.pool.withConnection { connection in
            try await connection.query(
                """
                SELECT count(*)::int AS n FROM decisions d
                WHERE d.program = $1 AND d.outcome = 'needs_review' AND \(Self.isCurrent)
                """, program
            ).first?.int("n") ?? 0
        }
    }

    /// The `needs_review` applications with the clauses left to a person, by applicant, read
    /// from the decisions' `review` column: no trace is read (for counts and lists of ids;
    /// ``waiting(program:applicantIDs:)`` gives the reasons).
    public func inReview(program: String) async throws -> [(applicantID: String, clauses: [String])] {
        try await database.pool.withConnection { connection in
            try await connection.query(
                """
                SELECT d.applicant_id, d.review FROM decisions d
                WHERE d.program = $1 AND d.outcome = 'needs_review' AND \(Self.isCurrent)
                ORDER BY d.applicant_id
                """, program
            ).map { (try $0.string("applicant_id"), try $0.strings("review")) }
        }
    }

    /// An admitted scholar whose current decision is no longer `eligible` (interface §3 v1.2: a
    /// change of program data holds nothing after acceptance; a person sees it here).
    public struct AdmittedNotEligible: Sendable, Equatable {
        public let applicantID: String
        public let outcome: String
        /// The clauses failed or left to review today.
        public let clauses: [String]
        /// Whether `eligibility.changed` is open on the scholarship: its payments are held until
        /// an officer clears it or a termination ends it.
        public let held: Bool
    }

    /// The admitted scholars of `program` who would not be eligible today, by applicant.
    public func admittedNotEligible(program: String) async throws -> [AdmittedNotEligible] {
        try await database.pool.withConnection { connection in
            try await connection.query(
                """
                WITH current AS (\(Self.currentDecisions))
                SELECT c.applicant_id, c.outcome, d.failed || d.review AS clauses,
                       coalesce((SELECT f.action = 'raised' FROM flag_actions f
                                 WHERE f.program = $1 AND f.applicant_id = c.applicant_id
                                   AND f.flag = 'eligibility.changed'
                                 ORDER BY f.id DESC LIMIT 1), false) AS held
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
                    clauses: try $0.strings("clauses"), held: try $0.bool("held"))
            }
        }
    }

    /// The uncertain spellings, the most applications first. A spelling is shown as the first
    /// applicant (by id) wrote it; spellings that differ only in case and spacing are one.
    public func uncertainSpellings(program: String) async throws -> [Spelling] {
        try await database.pool.withConnection { connection in
            try await connection.query(
                """
                SELECT (array_agg(a.content::jsonb->'affiliation'->>'institution' ORDER BY d.applicant_id))[1]
                           AS spelling,
                       coalesce(a.content::jsonb->'affiliation'->>'country', '') AS country, count(*)::int AS n
                FROM decisions d
                JOIN applications a
                  ON a.program = d.program AND a.applicant_id = d.applicant_id AND a.revision = d.revision
                -- Every decision keys its spelling (re-deciding on officer decisions); only an
                -- uncertain match waits for a person. The condition is the predicate of the
                -- index decisions_partner_uncertain (migration 064), word for word.
                WHERE d.program = $1 AND d.partner_key IS NOT NULL AND (d.partner_uncertain
                        OR (d.partner_uncertain IS NULL AND jsonb_path_exists(d.trace::jsonb,
                        \(DecisionStore.uncertainPartnerPath), '{}', true)))
                  AND \(Self.isCurrent)
                GROUP BY d.partner_key, coalesce(a.content::jsonb->'affiliation'->>'country', '')
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
                JOIN applications a ON a.program = h.program AND a.applicant_id = h.applicant_id
                    AND a.revision = h.latest_revision
                WHERE h.program = $1 AND h.applicant_id = $2
                """, program, applicantID
            ).first.map { (try $0.string("family_name"), try $0.string("given_name")) }
        }
    }
}
