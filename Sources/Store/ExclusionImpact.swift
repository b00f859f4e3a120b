import Postgres
import Screening

/// The applications a new version of one exclusion list affects: those whose hits on that list
/// (entries matching them, with the clause, reference and strength of each match) differ between
/// the list as it was and the list as imported. Only these can be decided differently; an
/// applicant merely born on a day the list names is not affected.
enum ExclusionImpact {
    /// One entry as matching reads it.
    struct Entry {
        let name: PersonName
        let birthDate: String
        let citizenship: String
        let clause: String
        let reference: String
    }

    /// What an applicant's hits on one list are, as a comparable value.
    static func hits(name: PersonName, birthDate: String, citizenships: [String], in entries: [Entry]) -> Set<String> {
        var hits = Set<String>()
        for entry in entries where entry.birthDate == birthDate && citizenships.contains(entry.citizenship) {
            let strength = name.match(entry.name)
            if strength != .none { hits.insert([entry.clause, entry.reference, strength.rawValue].joined(separator: "\u{1}")) }
        }
        return hits
    }

    /// The affected applicants of `program` with their latest revision, reading the applicants'
    /// current identity on `connection`.
    static func affected(program: String, old: [Entry], new: [Entry], on connection: Connection) async throws -> [(String, Int)] {
        let days = Set(old.map(\.birthDate) + new.map(\.birthDate))
        guard !days.isEmpty else { return [] }
        let oldByDay = Dictionary(grouping: old, by: \.birthDate)
        let newByDay = Dictionary(grouping: new, by: \.birthDate)
        let rows = try await connection.query("""
            SELECT applicant_id, latest_revision, birth_date::text AS born, family_name, given_name, citizenships FROM applicants
            WHERE program = $1 AND birth_date = ANY($2::date[]) ORDER BY applicant_id
            """, program, TextArray(Array(days)))
        var affected: [(String, Int)] = []
        for row in rows {
            let born = try row.string("born")
            let name = PersonName(family: try row.string("family_name"), given: try row.string("given_name"))
            let citizenships = try row.strings("citizenships")
            let before = hits(name: name, birthDate: born, citizenships: citizenships, in: oldByDay[born] ?? [])
            let after = hits(name: name, birthDate: born, citizenships: citizenships, in: newByDay[born] ?? [])
            if before != after { affected.append((try row.string("applicant_id"), try row.int("latest_revision"))) }
        }
        return affected
    }
}
