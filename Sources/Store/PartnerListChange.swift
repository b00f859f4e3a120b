import Partners

/// What importing a partner list changes in the list in force (`bursar partners import` shows it,
/// `--dry-run` shows only it).
public struct PartnerListChange: Sendable, Equatable {
    /// An institution by its English name and country (the list's key).
    public struct Institution: Sendable, Equatable, CustomStringConvertible {
        public let name: String
        public let country: String
        public var description: String { "\(name) (\(country))" }
    }

    public struct Renaming: Sendable, Equatable {
        public let from: Institution
        public let to: Institution
    }

    public struct Modification: Sendable, Equatable {
        public let institution: Institution
        /// What differs: `agreements`, `aliases`, `japanese name`.
        public let fields: [String]
    }

    public var added: [Institution] = []
    public var removed: [Institution] = []
    public var renamed: [Renaming] = []
    public var changed: [Modification] = []

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && renamed.isEmpty && changed.isEmpty }

    /// The change from `old` to `new`. An institution is keyed by English name and country. A
    /// removed and an added institution of the same country are one renamed institution when
    /// they share their Japanese name, or when either lists the other's English name among its
    /// names — the forms a list uses when an institution changes its name (a choice: positions in
    /// the file move, and names alone cannot tell a renaming from a replacement).
    public init(old: [Partner], new: [Partner]) {
        func key(_ p: Partner) -> String { p.country + "\u{1}" + p.name }
        func institution(_ p: Partner) -> Institution { Institution(name: p.name, country: p.country) }
        let oldByKey = Dictionary(old.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        let newKeys = Set(new.map(key))
        var gone = old.filter { !newKeys.contains(key($0)) }
        for partner in new {
            if let before = oldByKey[key(partner)] {
                var fields: [String] = []
                if before.agreements != partner.agreements { fields.append("agreements") }
                if before.aliases != partner.aliases { fields.append("aliases") }
                if before.japaneseName != partner.japaneseName { fields.append("japanese name") }
                if !fields.isEmpty { changed.append(Modification(institution: institution(partner), fields: fields)) }
                continue
            }
            let predecessor = gone.firstIndex { before in
                before.country == partner.country
                    && ((!before.japaneseName.isEmpty && before.japaneseName == partner.japaneseName)
                        || partner.aliases.contains(before.name) || before.aliases.contains(partner.name))
            }
            if let predecessor {
                renamed.append(Renaming(from: institution(gone[predecessor]), to: institution(partner)))
                gone.remove(at: predecessor)
            } else {
                added.append(institution(partner))
            }
        }
        removed = gone.map(institution)
    }

    /// The change in lines a program officer reads.
    public var lines: [String] {
        var lines = [
            "\(added.count) added, \(removed.count) removed, \(renamed.count) renamed, \(changed.count) changed"
        ]
        lines += added.map { "  added: \($0)" }
        lines += removed.map { "  removed: \($0)" }
        lines += renamed.map { "  renamed: \($0.from) → \($0.to.name)" }
        lines += changed.map { "  changed: \($0.institution): \($0.fields.joined(separator: ", "))" }
        return lines
    }
}
