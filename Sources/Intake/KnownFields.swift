import Formats

/// The members an application may have (interface §1), object by object. What else a record
/// carries is not stored: a batch may hold personal data Bursar has no use for (a passport
/// number), and what is not needed is not kept.
public enum KnownFields {
    private static let top: Set<String> = [
        "applicant_id", "program", "family_name", "given_name", "birth_date", "citizenships", "japan_status",
        "course", "application_date", "qualification", "affiliation", "transcripts", "language", "declarations",
        "documents",
    ]
    private static let nested: [String: Set<String>] = [
        "qualification": ["degree", "degree_status", "sixteen_years_education", "individual_screening"],
        "affiliation": ["institution", "kind", "country", "city", "region", "status", "completed_on", "level"],
        // `course` (v1.2): the course of study a transcript belongs to.
        "transcripts": ["institution", "pattern", "unit", "courses", "course"],
        "transcripts.courses": ["title", "grade", "credits"],
        "language": ["kind", "level", "language", "score"],
        "declarations": [
            "will_learn_japanese", "will_join_network", "health_ok", "active_military", "employment_intent",
            "support_at_enrollment", "prior_mext",
        ],
        "documents": ["type", "file", "sha256"],
    ]

    /// `record` without the members the interface does not define, and the names of those
    /// members (by path without array positions, e.g. `transcripts.courses.note`), each once.
    public static func pruned(_ record: JSONValue) -> (record: JSONValue, ignored: [String]) {
        // Almost every record has only known members: it is then checked without being copied.
        guard hasUnknown(record, path: "", known: top) else { return (record, []) }
        var ignored: [String] = []
        let kept = prune(record, path: "", known: top, ignored: &ignored)
        return (kept, ignored)
    }

    private static func hasUnknown(_ value: JSONValue, path: String, known: Set<String>?) -> Bool {
        switch value {
        case .object(let members):
            guard let known else { return false }
            for (name, member) in members {
                guard known.contains(name) else { return true }
                switch member {
                case .object, .array:
                    let memberPath = path.isEmpty ? name : path + "." + name
                    if hasUnknown(member, path: memberPath, known: nested[memberPath]) { return true }
                default: continue
                }
            }
            return false
        case .array(let items):
            return items.contains { hasUnknown($0, path: path, known: known) }
        default:
            return false
        }
    }

    private static func prune(
        _ value: JSONValue, path: String, known: Set<String>?,
        ignored: inout [String]
    ) -> JSONValue {
        switch value {
        case .object(let members):
            guard let known else { return value }
            var kept: [(String, JSONValue)] = []
            kept.reserveCapacity(members.count)
            for (name, member) in members {
                let memberPath = path.isEmpty ? name : path + "." + name
                guard known.contains(name) else {
                    if !ignored.contains(memberPath) { ignored.append(memberPath) }
                    continue
                }
                kept.append((name, prune(member, path: memberPath, known: nested[memberPath], ignored: &ignored)))
            }
            return .object(kept)
        case .array(let items):
            return .array(items.map { prune($0, path: path, known: known, ignored: &ignored) })
        default:
            return value
        }
    }
}
