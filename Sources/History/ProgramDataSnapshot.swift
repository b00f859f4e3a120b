import Formats
import Foundation
import Partners
import Screening
import Store

/// Reads the kept versions of a program's data (`program_data_versions`, the canonical JSON that
/// `program_data_snapshot` writes) back into what screening reads: the definition, the partner
/// list with the officers' decisions, the exclusion entries, the duplicate resolutions.
public enum ProgramDataSnapshot {
    /// A kept version that no longer reads as its kind: history that cannot be trusted.
    public struct Unreadable: Error, CustomStringConvertible {
        public let kind: ProgramData.Kind
        public let version: Int
        public let why: String
        public var description: String { "the kept \(kind.rawValue) data, version \(version), cannot be read: \(why)" }
    }

    /// The program definition of a `definition` snapshot.
    public static func program(_ snapshot: String, version: Int) throws -> Program {
        do { return try Program.decode(Data(snapshot.utf8)) } catch {
            throw Unreadable(kind: .definition, version: version, why: "\(error)")
        }
    }

    /// The partners and the officers' decisions of a `partners` snapshot.
    public static func partners(_ snapshot: String, version: Int) throws -> PartnerData {
        guard let value = try? JSONParser.parse(snapshot), case .array(let list)? = value["partners"] else {
            throw Unreadable(kind: .partners, version: version, why: "no partner array")
        }
        let partners = list.map { item -> Partner in
            var agreements: [Partner.Agreement] = []
            if case .array(let items)? = item["agreements"] {
                agreements = items.map {
                    Partner.Agreement(
                        level: text($0["level"]), department: text($0["department"]),
                        homeFaculty: text($0["home_faculty"]))
                }
            }
            var aliases: [String] = []
            if case .array(let names)? = item["aliases"] { aliases = names.map(text) }
            return Partner(
                name: text(item["name"]), japaneseName: text(item["japanese_name"]), country: text(item["country"]),
                agreements: agreements, aliases: aliases)
        }
        var data = PartnerData(partners: partners, confirmed: [:], rejected: [])
        if case .array(let decisions)? = value["decisions"] {
            for decision in decisions {
                if case .string(let partner)? = decision["partner"] {
                    data.confirmed[text(decision["spelling"])] = partner
                } else {
                    data.rejected.insert(text(decision["spelling"]))
                }
            }
        }
        return data
    }

    /// The entries of an `exclusions` snapshot.
    public static func exclusions(_ snapshot: String, version: Int) throws -> [ExclusionImpact.Entry] {
        guard case .array(let items) = try JSONParser.parse(snapshot) else {
            throw Unreadable(kind: .exclusions, version: version, why: "not an array of entries")
        }
        return items.map {
            ExclusionImpact.Entry(
                list: text($0["list"]), family: text($0["family_name"]), given: text($0["given_name"]),
                birthDate: text($0["birth_date"]), citizenship: text($0["citizenship"]),
                clause: text($0["clause"]), reference: text($0["reference"]))
        }
    }

    /// The withdrawn applicants of a `duplicates` snapshot, with the application kept for each.
    public static func withdrawn(_ snapshot: String, version: Int) throws -> [String: String] {
        guard case .array(let items) = try JSONParser.parse(snapshot) else {
            throw Unreadable(kind: .duplicates, version: version, why: "not an array of resolutions")
        }
        var kept: [String: String] = [:]
        for item in items { kept[text(item["applicant_id"])] = text(item["kept"]) }
        return kept
    }

    private static func text(_ value: JSONValue?) -> String {
        if case .string(let text)? = value { return text }
        return ""
    }
}

/// A partner list with the officers' decisions on spellings: what a matcher is built from.
public struct PartnerData: Sendable {
    public var partners: [Partner]
    /// Spelling → the partner an officer confirmed it as.
    public var confirmed: [String: String]
    /// Spellings an officer rejected.
    public var rejected: Set<String>

    public init(partners: [Partner], confirmed: [String: String], rejected: Set<String>) {
        self.partners = partners
        self.confirmed = confirmed
        self.rejected = rejected
    }

    /// A matcher over this data that remembers its answers.
    public func matcher() -> CachedPartnerMatcher {
        CachedPartnerMatcher(PartnerMatcher(partners: partners, confirmed: confirmed, rejected: rejected))
    }
}
