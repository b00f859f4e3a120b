import Screening

/// Matches institution names as applicants write them against one program's partner list
/// (clause (2)(b) and `bursar partners match`).
///
/// A name is **matched** when, after normalization (``InstitutionName``), it has the same words
/// as a partner's name or alias in any order, or the same words with spelling slips in long
/// words, or the same letters with different spacing. It is **uncertain** when it differs only in
/// generic words ("university") or lacks or adds a proper name while sharing others. It is
/// **none** when it differs in a word that tells institutions apart ("national", "western",
/// "extension", a number …), or is in another country than the partner (the country is a guard).
public struct PartnerMatcher: PartnerMatching {
    struct Entry: Sendable {
        let partner: Int
        let written: String
        let name: InstitutionName
        let trigrams: [UInt64]
    }

    public let partners: [Partner]
    private let entries: [Entry]
    private let byCountry: [String: [Int]]
    /// Officer decisions: normalized applicant spelling → partner name (confirmed) or nil (rejected).
    private let decisions: [String: String?]

    /// Countries whose institutions are listed under one another (Hong Kong and Macau under
    /// China; Guam and other US territories under the USA).
    static let countryGroups: [String: String] = [
        "HK": "CN", "MO": "CN", "GU": "US", "PR": "US", "VI": "US", "AS": "US", "MP": "US", "UM": "US",
    ]

    static func countryGroup(_ code: String) -> String { countryGroups[code] ?? code }

    /// - Parameters:
    ///   - partners: the program's list.
    ///   - confirmed: spellings an officer confirmed as a partner (spelling → partner's name).
    ///   - rejected: spellings an officer rejected.
    public init(partners: [Partner], confirmed: [String: String] = [:], rejected: Set<String> = []) {
        self.partners = partners
        var entries: [Entry] = []
        var byCountry: [String: [Int]] = [:]
        for (p, partner) in partners.enumerated() {
            for written in partner.allNames {
                let name = InstitutionName(written)
                guard !name.words.isEmpty else { continue }
                byCountry[Self.countryGroup(partner.country), default: []].append(entries.count)
                entries.append(Entry(partner: p, written: written, name: name, trigrams: Similarity.trigrams(name.words)))
            }
        }
        self.entries = entries
        self.byCountry = byCountry
        var decisions: [String: String?] = [:]
        for (spelling, partner) in confirmed { decisions[Self.decisionKey(spelling)] = .some(partner) }
        for spelling in rejected { decisions[Self.decisionKey(spelling)] = .some(nil) }
        self.decisions = decisions
    }

    /// The key under which an officer's decision on a spelling is kept.
    public static func decisionKey(_ spelling: String) -> String { InstitutionName(spelling).sortedWords.joined(separator: " ") }

    private enum Verdict: Int, Comparable {
        case none = 0, uncertain = 1, matched = 2
        static func < (a: Verdict, b: Verdict) -> Bool { a.rawValue < b.rawValue }
    }

    public func match(institution: String, country: String?) -> PartnerMatch {
        let name = InstitutionName(institution)
        guard !name.words.isEmpty else {
            return PartnerMatch(result: .none, partner: nil, candidates: [], reason: "the name has no letters to compare")
        }
        let key = name.sortedWords.joined(separator: " ")
        if let decision = decisions[key] {
            if let partnerName = decision, let partner = partners.first(where: { $0.name == partnerName }),
               country.map({ Self.countryGroup($0) == Self.countryGroup(partner.country) }) ?? true {
                return PartnerMatch(result: .matched, partner: partner.name, candidates: [.init(partner: partner.name, score: 1)],
                                    reason: "an officer confirmed this spelling as \(partner.name)")
            }
            if decision == nil {
                return PartnerMatch(result: .none, partner: nil, candidates: [], reason: "an officer rejected this spelling as a partner")
            }
        }
        let pool: [Int] = country.map { byCountry[Self.countryGroup($0)] ?? [] } ?? Array(entries.indices)
        let nameTrigrams = Similarity.trigrams(name.words)

        var best: (verdict: Verdict, entry: Int, why: String)?
        var scores: [Int: Double] = [:]  // partner → best similarity
        for e in pool {
            let entry = entries[e]
            let similarity = Similarity.similarity(nameTrigrams, entry.trigrams)
            scores[entry.partner] = max(scores[entry.partner] ?? 0, similarity)
            // Names this far apart share too little to be the same or a variant: skip the word
            // comparison (the cheap trigram measure already said so).
            guard similarity >= 0.15 || name.joined == entry.name.joined else { continue }
            let (verdict, why) = compare(name, entry.name)
            if best == nil || verdict > best!.verdict || (verdict == best!.verdict && similarity > (scores[entries[best!.entry].partner] ?? 0)) {
                best = (verdict, e, why)
            }
        }
        let candidates = scores.filter { $0.value >= 0.3 }.sorted { $0.value > $1.value }.prefix(5)
            .map { PartnerMatch.Candidate(partner: partners[$0.key].name, score: (($0.value * 100).rounded() / 100)) }

        if let best, best.verdict == .matched {
            let entry = entries[best.entry]
            let partner = partners[entry.partner]
            let via = entry.written == partner.name ? "" : " (listed as \"\(entry.written)\")"
            return PartnerMatch(result: .matched, partner: partner.name, candidates: [.init(partner: partner.name, score: 1)],
                                reason: "\(best.why)\(via)")
        }
        if let best, best.verdict == .uncertain {
            let partner = partners[entries[best.entry].partner]
            var list = candidates
            if !list.contains(where: { $0.partner == partner.name }) {
                list.insert(.init(partner: partner.name, score: scores[entries[best.entry].partner] ?? 0), at: 0)
            }
            return PartnerMatch(result: .uncertain, partner: nil, candidates: Array(list), reason: "\(best.why) of \(partner.name)")
        }
        if let country, pool.isEmpty || best == nil {
            let elsewhere = sameNameElsewhere(name, country: country)
            return PartnerMatch(result: .none, partner: nil, candidates: [],
                                reason: elsewhere.map { "no partner in \(country); \($0) is a partner in another country" } ?? "no partner in \(country)")
        }
        if let country, let elsewhere = sameNameElsewhere(name, country: country) {
            return PartnerMatch(result: .none, partner: nil, candidates: Array(candidates),
                                reason: "\(elsewhere) has this name but is in another country, not \(country)")
        }
        let closest = best.map { "closest listed name \"\(entries[$0.entry].written)\": \($0.why)" } ?? "nothing close on the list"
        return PartnerMatch(result: .none, partner: nil, candidates: Array(candidates), reason: closest)
    }

    private func sameNameElsewhere(_ name: InstitutionName, country: String) -> String? {
        let group = Self.countryGroup(country)
        let trigrams = Similarity.trigrams(name.words)
        for entry in entries where Self.countryGroup(partners[entry.partner].country) != group {
            guard Similarity.similarity(trigrams, entry.trigrams) >= 0.3 else { continue }
            if compare(name, entry.name).0 == .matched { return partners[entry.partner].name }
        }
        return nil
    }

    /// Compares an applicant's name with one listed name.
    private func compare(_ a: InstitutionName, _ b: InstitutionName) -> (Verdict, String) {
        if a.sortedWords == b.sortedWords { return (.matched, "same name after normalization") }
        if a.joined == b.joined { return (.matched, "same name but for spacing") }

        // Pair words: equal first, then spelling slips. Two different words that both tell
        // institutions apart ("western"/"eastern") or numbers never pair by spelling.
        var left = a.words, right = b.words
        for word in a.words where right.contains(word) {
            left.remove(at: left.firstIndex(of: word)!)
            right.remove(at: right.firstIndex(of: word)!)
        }
        var slips: [String] = []
        for word in left where !word.allSatisfy(\.isNumber) {
            let allowance = Similarity.typoAllowance(word.count)
            guard allowance > 0 else { continue }
            let known = InstitutionName.isDistinguishing(word)
            if let j = right.firstIndex(where: {
                !(known && InstitutionName.isDistinguishing($0)) && !$0.allSatisfy(\.isNumber)
                    && Similarity.editDistance(word, $0, limit: allowance) <= min(allowance, Similarity.typoAllowance($0.count))
            }) {
                slips.append("\(word)/\(right[j])")
                right.remove(at: j)
                left.remove(at: left.firstIndex(of: word)!)
            }
        }
        if !left.isEmpty, left.joined() == right.joined() {
            return (.matched, "same name but for spacing (\(left.joined(separator: " ")) / \(right.joined(separator: " ")))")
        }
        if left.isEmpty && right.isEmpty { return (.matched, "same name but for spelling (\(slips.joined(separator: ", ")))") }

        let unpaired = left + right
        if let word = unpaired.first(where: InstitutionName.isDistinguishing) {
            return (.none, "differs in \"\(word)\", which names another institution")
        }
        if unpaired.allSatisfy({ InstitutionName.genericWords.contains($0) }) {
            return (.uncertain, "same name but for the generic word\(unpaired.count > 1 ? "s" : "") \(unpaired.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        // One proper name more or less, with at least two proper names shared, may still be the
        // same institution written longer or shorter ("…, Bristol"); anything more is another one
        // ("Shanghai University" is not "Shanghai Jiao Tong University").
        let pairedProper = a.words.filter { !InstitutionName.genericWords.contains($0) && !left.contains($0) }.count
        let extra = left.filter { !InstitutionName.genericWords.contains($0) }
        let missing = right.filter { !InstitutionName.genericWords.contains($0) }
        if pairedProper >= 2 && extra.count + missing.count == 1 {
            let what = missing.isEmpty ? "adds \"\(extra[0])\"" : "lacks \"\(missing[0])\""
            return (.uncertain, "shares the name but \(what)")
        }
        return (.none, "different words")
    }
}
