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
        public init(partner: String, score: Double) { self.partner = partner; self.score = score }
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
}

/// Matches an institution name against a program's partner list (clause (2)(b)).
public protocol PartnerMatching: Sendable {
    func match(institution: String, country: String?) -> PartnerMatch
}
