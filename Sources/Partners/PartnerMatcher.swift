import Screening

/// Matches institution names as applicants write them against one program's partner list
/// (clause (2)(b) and `bursar partners match`).
///
/// A name is **matched** when, after normalization (``InstitutionName``), it has the same words
/// as a partner's name or alias in an order that keeps the name's structure (``NameStructure``:
/// "Mahidol University" = "University of Mahidol", but "Hanoi University of Science and
/// Technology" is not the "University of Science and Technology of Hanoi"), or the same words with
/// spelling slips, or the same letters with different spacing. Bracketed parts are tried on their
/// own ("Universiti Teknologi Malaysia (UTM)"), the partner's country at the end of a name and a
/// unit set beside it by a comma ("Faculty of Engineering, …") are set aside (``CommaParts``; a
/// place after a comma leaves the match uncertain). It is **uncertain** when it differs only in
/// generic words ("university") or lacks or adds a proper name while sharing others. It is
/// **none** when it differs in a word that tells institutions apart ("national", "western",
/// "extension", a number …), has the same words in another structure, or is in another country
/// than the partner (the country is a guard).
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
    /// Canonical word → entries whose name holds it (to find the same name in another country).
    private let byWord: [String: [Int]]
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
                entries.append(
                    Entry(partner: p, written: written, name: name, trigrams: Similarity.trigrams(name.words)))
            }
        }
        self.entries = entries
        self.byCountry = byCountry
        var byWord: [String: [Int]] = [:]
        for (e, entry) in entries.enumerated() {
            for word in Set(entry.name.words) { byWord[word, default: []].append(e) }
        }
        self.byWord = byWord
        var decisions: [String: String?] = [:]
        for (spelling, partner) in confirmed { decisions[Self.decisionKey(spelling)] = .some(partner) }
        for spelling in rejected { decisions[Self.decisionKey(spelling)] = .some(nil) }
        self.decisions = decisions
    }

    /// The key under which an officer's decision on a spelling is kept: its canonical words in
    /// the order written, so a decision on "Hanoi University of Science and Technology" is not
    /// one on "University of Science and Technology of Hanoi" (see ``NameStructure``).
    public static func decisionKey(_ spelling: String) -> String {
        InstitutionName(spelling).words.joined(separator: " ")
    }

    private enum Verdict: Int, Comparable {
        case none = 0
        case uncertain = 1
        case matched = 2
        static func < (a: Verdict, b: Verdict) -> Bool { a.rawValue < b.rawValue }
    }

    public func match(institution: String, country: String?) -> PartnerMatch {
        let answer = matchParts(institution, country: country)
        // Whether a partner elsewhere has the name is only worth looking up for a final "none".
        guard answer.result == .none, let country else { return answer }
        let explained = matchWhole(institution, country: country, lookElsewhere: true)
        return explained.result == .none ? explained : answer
    }

    private func matchParts(_ institution: String, country: String?) -> PartnerMatch {
        let written = matchBrackets(institution, country: country)
        guard written.result != .matched else { return written }
        let commas = CommaParts(institution)
        // "Faculty of Engineering, Chulalongkorn University": the unit is inside the partner.
        if let rest = commas.withoutUnits {
            let answer = matchBrackets(rest, country: country)
            if answer.result == .matched { return answer.explained("the unit beside the name is set aside") }
        }
        // "Saint Mary's University, Calgary" may be another institution of that place: a person
        // decides.
        if let rest = commas.withoutPlace {
            let answer = matchBrackets(rest, country: country)
            if answer.result == .matched, let partner = answer.partner {
                return PartnerMatch(
                    result: .uncertain, partner: nil, candidates: [.init(partner: partner, score: 1)],
                    reason:
                        "the name before the place matches \(partner); whether the place is its own is for a person to "
                            + "confirm"
                )
            }
        }
        return written
    }

    private func matchBrackets(_ institution: String, country: String?) -> PartnerMatch {
        let whole = matchWithCountry(institution, country: country)
        let parts = Parenthetical(institution)
        guard whole.result != .matched else { return whole }
        if parts.inner.isEmpty {
            // Brackets that held only dates ("(1933–2024)") say nothing of which institution it is.
            let dated = !parts.outer.isEmpty && parts.outer != institution.trimmingCharacters(in: .whitespaces)
            guard dated else { return whole }
            let outer = matchWithCountry(parts.outer, country: country)
            return outer.result == .matched ? outer.explained("the dates in brackets are set aside") : whole
        }
        // "Universiti Teknologi Malaysia (UTM)", "UTM (Universiti Teknologi Malaysia)": the part
        // outside the brackets and each bracketed part are tried on their own. A bracketed part
        // may be set aside when it is an abbreviation, the country or another name of the same
        // partner; any other words in brackets ("(Beijing)", a campus) leave the whole name's
        // answer standing.
        let main = parts.outer.isEmpty ? nil : matchWithCountry(parts.outer, country: country)
        let inner = parts.inner.map { matchWithCountry($0, country: country) }
        let matchedPartners = Set(([main] + inner).compactMap { $0?.result == .matched ? $0?.partner : nil })
        if matchedPartners.count > 1 {
            let names = matchedPartners.sorted()
            return PartnerMatch(
                result: .uncertain, partner: nil, candidates: names.map { .init(partner: $0, score: 1) },
                reason: "the parts of the name match different partners (\(names.joined(separator: "; ")))")
        }
        if let main, main.result == .matched, let partner = main.partner {
            let asideable = zip(parts.inner, inner).allSatisfy { text, answer in
                answer.partner == partner || Parenthetical.isAbbreviation(text) || Parenthetical.isStatus(text)
                    || country.map { CountryNames.isName(text, of: $0) } == true
            }
            if asideable { return main.explained("the name outside the brackets matches") }
            return whole
        }
        if let index = inner.firstIndex(where: { $0.result == .matched }), let partner = inner[index].partner {
            // The bracketed part matched; the rest must not name another institution. An unknown
            // abbreviation before a bracketed full name ("UBT (Universität Bayreuth)") does not;
            // an abbreviation against an abbreviation ("HUST (USTH)") says nothing certain.
            let outerIsAbbreviation = parts.outer.split(separator: " ").allSatisfy {
                Parenthetical.isAbbreviation(String($0))
            }
            if main == nil
                || (main?.result == .uncertain && main?.candidates.contains { $0.partner == partner } == true)
                || (outerIsAbbreviation && !Parenthetical.isAbbreviation(parts.inner[index]))
            {
                return inner[index].explained("the bracketed \"\(parts.inner[index])\" matches")
            }
            return PartnerMatch(
                result: .uncertain, partner: nil, candidates: [.init(partner: partner, score: 1)],
                reason:
                    "the bracketed part matches \(partner) but the rest of the name does not (\(main?.reason ?? ""))")
        }
        return whole
    }

    /// Matches a name as written, and without the partner's country at its end.
    private func matchWithCountry(_ institution: String, country: String?) -> PartnerMatch {
        let written = matchWhole(institution, country: country)
        guard written.result != .matched, let country,
            let shorter = CountryNames.withoutTrailingCountry(institution, country: country)
        else {
            return written
        }
        let stripped = matchWhole(shorter, country: country)
        return stripped.result == .matched
            ? stripped.explained("the name without its country at the end matches") : written
    }

    /// Matches one name, brackets read as punctuation; `lookElsewhere` names a partner of another
    /// country with the same name in the reason for "none".
    private func matchWhole(_ institution: String, country: String?, lookElsewhere: Bool = false) -> PartnerMatch {
        let name = InstitutionName(institution)
        guard !name.words.isEmpty else {
            return PartnerMatch(
                result: .none, partner: nil, candidates: [], reason: "the name has no letters to compare")
        }
        let key = name.words.joined(separator: " ")
        if let decision = decisions[key] {
            if let partnerName = decision, let partner = partners.first(where: { $0.name == partnerName }),
                country.map({ Self.countryGroup($0) == Self.countryGroup(partner.country) }) ?? true
            {
                return PartnerMatch(
                    result: .matched, partner: partner.name, candidates: [.init(partner: partner.name, score: 1)],
                    reason: "an officer confirmed this spelling as \(partner.name)")
            }
            if decision == nil {
                return PartnerMatch(
                    result: .none, partner: nil, candidates: [],
                    reason: "an officer rejected this spelling as a partner")
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
            if best == nil || verdict > best!.verdict
                || (verdict == best!.verdict && similarity > (scores[entries[best!.entry].partner] ?? 0))
            {
                best = (verdict, e, why)
            }
        }
        let candidates = scores.filter { $0.value >= 0.3 }.sorted { $0.value > $1.value }.prefix(5)
            .map { PartnerMatch.Candidate(partner: partners[$0.key].name, score: (($0.value * 100).rounded() / 100)) }

        if let best, best.verdict == .matched {
            let entry = entries[best.entry]
            let partner = partners[entry.partner]
            let via = entry.written == partner.name ? "" : " (listed as \"\(entry.written)\")"
            return PartnerMatch(
                result: .matched, partner: partner.name, candidates: [.init(partner: partner.name, score: 1)],
                reason: "\(best.why)\(via)")
        }
        if let best, best.verdict == .uncertain {
            let partner = partners[entries[best.entry].partner]
            var list = candidates
            if !list.contains(where: { $0.partner == partner.name }) {
                list.insert(.init(partner: partner.name, score: scores[entries[best.entry].partner] ?? 0), at: 0)
            }
            return PartnerMatch(
                result: .uncertain, partner: nil, candidates: Array(list), reason: "\(best.why) of \(partner.name)")
        }
        if let country, pool.isEmpty || best == nil {
            let elsewhere = lookElsewhere ? sameNameElsewhere(name, country: country) : nil
            return PartnerMatch(
                result: .none, partner: nil, candidates: [],
                reason: elsewhere.map { "no partner in \(country); \($0) is a partner in another country" }
                    ?? "no partner in \(country)")
        }
        if let country, lookElsewhere, let elsewhere = sameNameElsewhere(name, country: country) {
            return PartnerMatch(
                result: .none, partner: nil, candidates: Array(candidates),
                reason: "\(elsewhere) has this name but is in another country, not \(country)")
        }
        let closest =
            best.map { "closest listed name \"\(entries[$0.entry].written)\": \($0.why)" }
            ?? "nothing close on the list"
        return PartnerMatch(result: .none, partner: nil, candidates: Array(candidates), reason: closest)
    }

    private func sameNameElsewhere(_ name: InstitutionName, country: String) -> String? {
        let group = Self.countryGroup(country)
        let trigrams = Similarity.trigrams(name.words)
        // A name the same but for spelling shares at least one word with it, in practice.
        let sharing = Set(name.words.flatMap { byWord[$0] ?? [] }).sorted()
        for entry in sharing.map({ entries[$0] }) where Self.countryGroup(partners[entry.partner].country) != group {
            guard Similarity.similarity(trigrams, entry.trigrams) >= 0.3 else { continue }
            if compare(name, entry.name).0 == .matched { return partners[entry.partner].name }
        }
        return nil
    }

    /// Compares an applicant's name with one listed name.
    private func compare(_ a: InstitutionName, _ b: InstitutionName) -> (Verdict, String) {
        if a.words == b.words { return (.matched, "same name after normalization") }
        if a.joined == b.joined { return (.matched, "same name but for spacing") }

        // Pair words: equal first, then spelling slips. Two different words that both tell
        // institutions apart ("western"/"eastern") or numbers never pair by spelling.
        var pairs = [Int?](repeating: nil, count: a.words.count)
        var used = [Bool](repeating: false, count: b.words.count)
        for (i, word) in a.words.enumerated() {
            if let j = b.words.indices.first(where: { !used[$0] && b.words[$0] == word }) {
                pairs[i] = j
                used[j] = true
            }
        }
        var slips: [String] = []
        for (i, word) in a.words.enumerated() where pairs[i] == nil && !word.allSatisfy(\.isNumber) {
            guard a.lengths[i] >= 4 else { continue }
            let known = InstitutionName.isDistinguishing(word)
            if let j = b.words.indices.first(where: { j in
                let other = b.words[j]
                let allowance = Similarity.typoAllowance(a.lengths[i], b.lengths[j])
                return allowance > 0 && !used[j] && abs(a.lengths[i] - b.lengths[j]) <= allowance
                    && !(known && InstitutionName.isDistinguishing(other)) && !other.allSatisfy(\.isNumber)
                    && Similarity.editDistance(word, other, limit: allowance) <= allowance
            }) {
                slips.append("\(word)/\(b.words[j])")
                pairs[i] = j
                used[j] = true
            }
        }
        let left = a.words.indices.filter { pairs[$0] == nil }.map { a.words[$0] }
        let right = b.words.indices.filter { !used[$0] }.map { b.words[$0] }
        if !NameStructure.keepsStructure(a.words, b.words, pairs: pairs) {
            return (
                .none,
                "the same words in another structure name another institution "
                    + "(\"\(a.words.joined(separator: " "))\" is not \"\(b.words.joined(separator: " "))\")"
            )
        }
        if a.sortedWords == b.sortedWords { return (.matched, "same name after normalization, words reordered") }
        if !left.isEmpty, left.joined() == right.joined() {
            return (
                .matched, "same name but for spacing (\(left.joined(separator: " ")) / \(right.joined(separator: " ")))"
            )
        }
        if left.isEmpty && right.isEmpty {
            return (.matched, "same name but for spelling (\(slips.joined(separator: ", ")))")
        }

        let unpaired = left + right
        if let word = unpaired.first(where: InstitutionName.isDistinguishing) {
            return (.none, "differs in \"\(word)\", which names another institution")
        }
        if unpaired.allSatisfy({ InstitutionName.genericWords.contains($0) }) {
            return (
                .uncertain,
                "same name but for the generic "
                    + "word\(unpaired.count > 1 ? "s" : "") \(unpaired.map { "\"\($0)\"" }.joined(separator: ", "))"
            )
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
