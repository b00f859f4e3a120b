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

    /// How closely `self` and `other` name the same person.
    public func match(_ other: PersonName) -> NameMatch {
        let mine = familyFirst
        if mine.isEmpty { return .none }
        if mine == other.familyFirst || mine == other.givenFirst || sortedWords == other.sortedWords { return .same }
        if Self.withinOneEdit(mine, other.familyFirst) || Self.withinOneEdit(mine, other.givenFirst) { return .close }
        // A missing middle name: every word of the shorter name is in the longer, and the shorter
        // still has at least two words (a family and a given name).
        let a = sortedWords, b = other.sortedWords
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
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if abs(x.count - y.count) > 1 { return false }
        var i = 0, j = 0, edits = 0
        while i < x.count && j < y.count {
            if x[i] == y[j] { i += 1; j += 1; continue }
            edits += 1
            if edits > 1 { return false }
            if x.count > y.count { i += 1 } else if x.count < y.count { j += 1 } else { i += 1; j += 1 }
        }
        edits += (x.count - i) + (y.count - j)
        return edits <= 1
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
