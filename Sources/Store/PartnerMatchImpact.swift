import Partners
import Postgres
import Screening

/// The applications a change of a program's partner data affects: those whose latest decision
/// read an institution spelling that the matcher after the change matches differently than the
/// matcher before it, in what a decision shows of a match (``PartnerMatch/shown``: result,
/// partner, reason, the candidates of an uncertain match). A decision is a function of that, so
/// these are exactly the decisions the change can alter — including one whose explanation names a
/// removed institution as the closest listed name, though its outcome stays.
enum PartnerMatchImpact {
    /// The affected applicants with their latest revision. `spellingKey` narrows the search to
    /// decisions that read spellings with that key (an officer's decision on one spelling).
    /// Decisions made before the institution was recorded on them are taken as affected.
    static func affected(
        program: String, before: PartnerMatcher, after: PartnerMatcher, spellingKey: String?,
        on connection: Connection
    ) async throws -> [(String, Int)] {
        let rows: PostgresRows
        if let spellingKey {
            rows = try await connection.query(
                """
                SELECT d.applicant_id, h.latest_revision, d.institution, d.institution_country
                FROM decisions d JOIN applicants h ON h.program = d.program AND h.applicant_id = d.applicant_id
                WHERE d.program = $1 AND d.partner_key = $2
                  AND d.id = (SELECT max(x.id) FROM decisions x WHERE x.program = d.program
                      AND x.applicant_id = d.applicant_id)
                """, program, spellingKey)
        } else {
            rows = try await connection.query(
                """
                SELECT h.applicant_id, h.latest_revision, d.institution, d.institution_country FROM applicants h
                JOIN LATERAL (SELECT institution, institution_country FROM decisions x
                              WHERE x.program = h.program
                                  AND x.applicant_id = h.applicant_id ORDER BY x.id DESC LIMIT 1) d ON true
                WHERE h.program = $1
                """, program)
        }
        var changed: [String: Bool] = [:]
        var affected: [(String, Int)] = []
        for row in rows {
            let target = (try row.string("applicant_id"), try row.int("latest_revision"))
            guard let institution = try row.optionalString("institution") else {
                affected.append(target)
                continue
            }
            let country = try row.optionalString("institution_country")
            let spelling = (country ?? "") + "\u{1}" + institution
            let differs: Bool
            if let known = changed[spelling] {
                differs = known
            } else {
                differs =
                    before.match(institution: institution, country: country).shown
                    != after.match(institution: institution, country: country).shown
                changed[spelling] = differs
            }
            if differs { affected.append(target) }
        }
        return affected
    }
}
