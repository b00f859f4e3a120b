import Postgres
import Screening

/// The applications a new version of one exclusion list affects: those whose hits on that list
/// (entries matching them, with the clause, reference and strength of each match) differ between
/// the list as it was and the list as imported. Only these can be decided differently; an
/// applicant merely born on a day the list names is not affected.
public enum ExclusionImpact {
    /// One entry as matching reads it.
    public struct Entry: Sendable {
        public let list: String
        public let name: PersonName
        public let birthDate: String
        let citizenship: String
        let clause: String
        let reference: String

        public init(
            list: String, family: String, given: String, birthDate: String, citizenship: String,
            clause: String, reference: String
        ) {
            self.list = list
            self.name = PersonName(family: family, given: given)
            self.birthDate = birthDate
            self.citizenship = citizenship
            self.clause = clause
            self.reference = reference
        }

        /// An entry as stored (`exclusion_entries`, birth date as `born`).
        init(row: PostgresRow) throws {
            self.init(
                list: try row.string("list"), family: try row.string("family_name"),
                given: try row.string("given_name"), birthDate: try row.string("born"),
                citizenship: try row.string("citizenship"), clause: try row.string("clause"),
                reference: try row.string("reference"))
        }
    }

    /// Entries grouped by birth date, each day's names indexed by blocking keys (``PersonIndex``):
    /// a list naming thousands of people born on one placeholder day is not compared whole with
    /// each applicant born that day.
    public static func byDay(_ entries: [Entry]) -> [String: PersonIndex<Entry>] {
        Dictionary(grouping: entries, by: \.birthDate).mapValues { PersonIndex($0.map { (name: $0.name, value: $0) }) }
    }

    /// The entries of `day` that match a person (interface §4): the same birth date, a shared
    /// citizenship, and the same or a close name.
    public static func hits(name: PersonName, citizenships: [String], in day: PersonIndex<Entry>?) -> [ExclusionHit] {
        guard let day else { return [] }
        return day.matches(name).compactMap { entry, strength in
            guard citizenships.contains(entry.citizenship) else { return nil }
            return ExclusionHit(list: entry.list, reference: entry.reference, clause: entry.clause, strength: strength)
        }
    }

    /// A person's hits as a comparable value.
    private static func hitSet(name: PersonName, citizenships: [String], in day: PersonIndex<Entry>?) -> Set<[String]> {
        Set(
            hits(name: name, citizenships: citizenships, in: day).map {
                [$0.list, $0.clause, $0.reference, $0.strength.rawValue]
            })
    }

    /// The affected applicants of `program` with their latest revision, reading the applicants'
    /// current identity on `connection`.
    static func affected(
        program: String, old: [Entry], new: [Entry],
        on connection: Connection
    ) async throws -> [(String, Int)] {
        let days = Set(old.map(\.birthDate) + new.map(\.birthDate))
        guard !days.isEmpty else { return [] }
        let oldByDay = byDay(old)
        let newByDay = byDay(new)
        let rows = try await connection.query(
            """
            SELECT applicant_id, latest_revision, birth_date::text AS born, family_name, given_name, citizenships
            FROM applicants
            WHERE program = $1 AND birth_date = ANY($2::date[]) ORDER BY applicant_id
            """, program, TextArray(Array(days)))
        var affected: [(String, Int)] = []
        for row in rows {
            let born = try row.string("born")
            let name = PersonName(family: try row.string("family_name"), given: try row.string("given_name"))
            let citizenships = try row.strings("citizenships")
            let before = hitSet(name: name, citizenships: citizenships, in: oldByDay[born])
            let after = hitSet(name: name, citizenships: citizenships, in: newByDay[born])
            if before != after { affected.append((try row.string("applicant_id"), try row.int("latest_revision"))) }
        }
        return affected
    }
}
