/// Whether two records name the same person (interface §4, "Exclusion lists and duplicate
/// applicants"): "case, accents, punctuation, spacing, and which part was written as family or
/// given name do not matter". Birth date and citizenship are compared by the caller.
public enum NameMatch: String, Sendable, Comparable {
    case none
    /// Close but not equal — one edit apart, or one name lacks a middle name the other has:
    /// a person must look (review), never an automatic fail.
    case close
    case same

    private var rank: Int { self == .none ? 0 : (self == .close ? 1 : 2) }
    public static func < (a: NameMatch, b: NameMatch) -> Bool { a.rank < b.rank }
}

/// A person's name, folded for comparison.
public struct PersonName: Sendable, Hashable {
    public let family: [String]
    public let given: [String]

    public init(family: String, given: String) {
        self.family = TextFold.words(family)
        self.given = TextFold.words(given)
    }

    /// Family then given name, no spaces: the key that spacing cannot change.
    public var familyFirst: String { (family + given).joined() }
    /// Given then family name, no spaces.
    public var givenFirst: String { (given + family).joined() }
    /// The words in sorted order, for names whose parts were split differently.
    public var sortedWords: [String] { (family + given).sorted() }

    /// The blocking key of `.same`: the name's letters in sorted order. Each way two names are
    /// the same — equal written family first, one family first and the other given first, the
    /// same words in another order — only moves letters, so two names that are the same always
    /// share this key; applicants are looked up by it (with birth date and citizenship) instead
    /// of comparing everyone born on one day with everyone else.
    public var letterKey: String { String(String.UnicodeScalarView(familyFirst.unicodeScalars.sorted())) }

    /// How closely `self` and `other` name the same person.
    public func match(_ other: PersonName) -> NameMatch {
        let mine = familyFirst
        if mine.isEmpty { return .none }
        if mine == other.familyFirst || mine == other.givenFirst || sortedWords == other.sortedWords { return .same }
        if Self.withinOneEdit(mine, other.familyFirst) || Self.withinOneEdit(mine, other.givenFirst) { return .close }
        // A missing middle name: every word of the shorter name is in the longer, and the shorter
        // still has at least two words (a family and a given name).
        let a = sortedWords
        let b = other.sortedWords
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        if short.count >= 2, short.count < long.count, Self.isSubmultiset(short, of: long) { return .close }
        return .none
    }

    static func isSubmultiset(_ small: [String], of large: [String]) -> Bool {
        var pool = large
        for word in small {
            guard let i = pool.firstIndex(of: word) else { return false }
            pool.remove(at: i)
        }
        return true
    }

    /// True when `a` and `b` differ by at most one insertion, deletion or substitution.
    static func withinOneEdit(_ a: String, _ b: String) -> Bool {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        if abs(x.count - y.count) > 1 { return false }
        var i = 0
        var j = 0
        var edits = 0
        while i < x.count && j < y.count {
            if x[i] == y[j] {
                i += 1
                j += 1
                continue
            }
            edits += 1
            if edits > 1 { return false }
            if x.count > y.count {
                i += 1
            } else if x.count < y.count {
                j += 1
            } else {
                i += 1
                j += 1
            }
        }
        edits += (x.count - i) + (y.count - j)
        return edits <= 1
    }
}

/// Names indexed by blocking keys, so that a name is compared only with those that can match it
/// (interface §4's `.same` and `.close`) rather than with every name of the same birth date:
/// - `.same`: ``PersonName/letterKey``;
/// - one edit apart (written family first or given first): the two spellings and every spelling
///   with one letter deleted — two strings one edit apart share one of these;
/// - a missing middle name: pairs of words. The shorter name has at least two words, all in the
///   longer, so its two first words (sorted) are a pair of the longer's words: each name is
///   filed under all its pairs and under its first pair, and looked up the other way round.
/// The candidates are then compared with ``PersonName/match(_:)`` as before, so the matches are
/// exactly those of comparing every pair, in the same order.
public struct PersonIndex<Value: Sendable>: Sendable {
    private let entries: [(name: PersonName, value: Value)]
    private var byLetters: [String: [Int]] = [:]
    private var bySpelling: [String: [Int]] = [:]
    private var byPair: [String: [Int]] = [:]
    private var byFirstPair: [String: [Int]] = [:]

    /// True when only ``same(as:)`` is asked: the keys of `.close` are then not built (every
    /// spelling with a letter deleted had been most of the duplicate lookup's time).
    private let sameOnly: Bool

    /// Indexes `entries`; with `sameOnly`, for ``same(as:)`` alone (``matches(_:)`` then traps).
    public init(_ entries: [(name: PersonName, value: Value)], sameOnly: Bool = false) {
        self.entries = entries
        self.sameOnly = sameOnly
        for (i, entry) in entries.enumerated() {
            byLetters[entry.name.letterKey, default: []].append(i)
            if sameOnly { continue }
            for key in Self.spellings(entry.name) { bySpelling[key, default: []].append(i) }
            for key in Self.pairs(entry.name) { byPair[key, default: []].append(i) }
            if let key = Self.firstPair(entry.name) { byFirstPair[key, default: []].append(i) }
        }
    }

    /// The entries whose names `name` matches (`name.match(entry)` is not `.none`), in the order
    /// they were given, with the strength of each match.
    public func matches(_ name: PersonName) -> [(value: Value, strength: NameMatch)] {
        precondition(!sameOnly, "a PersonIndex built sameOnly finds only .same matches")
        return candidates(of: name, sameOnly: false).compactMap { i in
            let strength = name.match(entries[i].name)
            return strength == .none ? nil : (entries[i].value, strength)
        }
    }

    /// The entries whose names are the same as `name` (`.same`), in the order they were given.
    public func same(as name: PersonName) -> [Value] {
        candidates(of: name, sameOnly: true).compactMap {
            name.match(entries[$0].name) == .same ? entries[$0].value : nil
        }
    }

    /// Positions of every entry that may match `name`: a superset of the matches, in order.
    func candidates(of name: PersonName, sameOnly: Bool) -> [Int] {
        var found = Set(byLetters[name.letterKey] ?? [])
        if !sameOnly {
            for key in Self.spellings(name) { found.formUnion(bySpelling[key] ?? []) }
            if let key = Self.firstPair(name) { found.formUnion(byPair[key] ?? []) }
            for key in Self.pairs(name) { found.formUnion(byFirstPair[key] ?? []) }
        }
        return found.sorted()
    }

    /// The name written family first and given first, each whole and with each letter deleted.
    static func spellings(_ name: PersonName) -> Set<String> {
        var keys = Set<String>()
        for text in [name.familyFirst, name.givenFirst] where !text.isEmpty {
            let scalars = Array(text.unicodeScalars)
            keys.insert(text)
            for i in scalars.indices {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[..<i])
                view.append(contentsOf: scalars[(i + 1)...])
                keys.insert(String(view))
            }
        }
        return keys
    }

    /// Every pair of the name's words (sorted, each word once per occurrence).
    static func pairs(_ name: PersonName) -> Set<String> {
        let words = name.sortedWords
        var keys = Set<String>()
        for i in words.indices {
            for j in words.index(after: i)..<words.endIndex { keys.insert(words[i] + " " + words[j]) }
        }
        return keys
    }

    /// The name's first two words in sorted order; nil for a name of fewer than two words.
    static func firstPair(_ name: PersonName) -> String? {
        let words = name.sortedWords
        return words.count < 2 ? nil : words[0] + " " + words[1]
    }
}

/// An application's match against an entry of a person-level exclusion list.
public struct ExclusionHit: Sendable, Equatable {
    /// The list's name, e.g. `mext-alumni`.
    public let list: String
    /// The entry's reference in the office's records (never the person's data).
    public let reference: String
    /// The clause the entry enforces, e.g. `eligibility.10d`.
    public let clause: String
    public let strength: NameMatch

    public init(list: String, reference: String, clause: String, strength: NameMatch) {
        self.list = list
        self.reference = reference
        self.clause = clause
        self.strength = strength
    }
}

/// Another application of the same program that names the same person.
public struct DuplicateHit: Sendable, Equatable {
    public let otherApplicantID: String
    public init(otherApplicantID: String) { self.otherApplicantID = otherApplicantID }
}
