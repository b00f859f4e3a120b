/// How an institution name as an applicant wrote it matched a program's partner list.
public struct PartnerMatch: Sendable, Equatable {
    public enum Result: String, Sendable {
        /// Certainly a partner.
        case matched
        /// Possibly a partner: a person must decide (the clause goes to review).
        case uncertain
        /// Not a partner.
        case none
    }

    public struct Candidate: Sendable, Equatable {
        public let partner: String
        public let score: Double
        public init(partner: String, score: Double) {
            self.partner = partner
            self.score = score
        }
    }

    public let result: Result
    /// The partner's English name when matched.
    public let partner: String?
    public let candidates: [Candidate]
    /// Why, in words.
    public let reason: String

    public init(result: Result, partner: String?, candidates: [Candidate], reason: String) {
        self.result = result
        self.partner = partner
        self.candidates = candidates
        self.reason = reason
    }

    /// The candidates a decision names: the first three, and only for an uncertain match.
    public var shownCandidates: [String] { result == .uncertain ? candidates.prefix(3).map(\.partner) : [] }

    /// Everything a decision reads of the match (clause (2)(b) shows the result, the partner, the
    /// reason and ``shownCandidates``): matches that agree on it give the same decision, so a change
    /// of the partner data affects exactly the applications whose match changes here.
    public var shown: [String] { [result.rawValue, partner ?? "", reason] + shownCandidates }
}

/// Matches an institution name against a program's partner list (clause (2)(b)).
public protocol PartnerMatching: Sendable {
    func match(institution: String, country: String?) -> PartnerMatch
}
