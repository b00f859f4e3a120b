/// The outcome of screening one application.
public enum Outcome: String, Sendable, Codable {
    case eligible, ineligible
    /// No rule failed, but at least one could not be decided by machine.
    case needsReview = "needs_review"
    /// A required document is missing, unreadable, or does not match its checksum.
    case incomplete
    /// Not yet processed.
    case pending
}

/// A decision with its full trace (interface §2).
public struct Decision: Sendable, Equatable {
    public let applicantID: String
    public let outcome: Outcome
    /// Two decimals, truncated; nil when the GPA cannot be computed.
    public let gpa: String?
    public let categories: [String]
    public let failed: [String]
    public let review: [String]
    public let conditions: [String]
    public let ruleSet: String
    public let clauses: [ClauseResult]
    public let gpaTrace: GPAResult
    /// How the institution matched the partner list (clause (2)(b)).
    public let partner: PartnerMatch?

    /// Builds the decision from every clause's result.
    ///
    /// Outcome precedence (a choice; the interface lists the outcomes, not their order):
    /// a failed eligibility clause makes the applicant `ineligible` whatever the documents —
    /// asking an ineligible applicant to complete their file helps nobody; otherwise a failed
    /// document makes it `incomplete`; otherwise anything left to a person makes it
    /// `needs_review`; otherwise `eligible`.
    public init(applicantID: String, ruleSet: String, clauses: [ClauseResult], gpaTrace: GPAResult, partner: PartnerMatch? = nil) {
        self.partner = partner
        self.applicantID = applicantID
        self.ruleSet = ruleSet
        self.clauses = clauses
        self.gpaTrace = gpaTrace
        self.gpa = gpaTrace.truncated
        self.categories = clauses.first(where: { $0.id == "eligibility.2" })?.categories ?? []
        self.failed = clauses.filter { $0.status == .fail }.map(\.id)
        self.review = clauses.filter { $0.status == .review }.map(\.id)
        self.conditions = clauses.filter { $0.condition && $0.status == .pass }.map(\.id)
        if failed.contains(where: { !$0.hasPrefix("documents.") }) {
            outcome = .ineligible
        } else if !failed.isEmpty {
            outcome = .incomplete
        } else if !review.isEmpty {
            outcome = .needsReview
        } else {
            outcome = .eligible
        }
    }
}
