/// The outcome of screening one application.
public enum Outcome: String, Sendable, Codable {
    case eligible, ineligible
    /// No rule failed, but at least one could not be decided by machine.
    case needsReview = "needs_review"
    /// A required document is missing, unreadable, or does not match its checksum.
    case incomplete
    /// An officer withdrew the application (`bursar duplicates resolve`); it can no longer be
    /// admitted (interface §2).
    case withdrawn
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
    public init(
        applicantID: String, ruleSet: String, clauses: [ClauseResult], gpaTrace: GPAResult, partner: PartnerMatch? = nil
    ) {
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

    private init(copying decision: Decision, outcome: Outcome, clauses: [ClauseResult]) {
        applicantID = decision.applicantID
        ruleSet = decision.ruleSet
        gpaTrace = decision.gpaTrace
        gpa = decision.gpa
        partner = decision.partner
        categories = decision.categories
        self.clauses = clauses
        failed = clauses.filter { $0.status == .fail }.map(\.id)
        review = clauses.filter { $0.status == .review }.map(\.id)
        conditions = clauses.filter { $0.condition && $0.status == .pass }.map(\.id)
        self.outcome = outcome
    }

    /// This decision for an application an officer withdrew as the duplicate of `kept`: the
    /// outcome is `withdrawn` whatever the clauses say (they are still evaluated and kept in the
    /// trace, so the history shows what the application was), and `identity.duplicate` says who
    /// withdrew it in favour of which application. It is no longer in `review`: nothing about the
    /// pair is left to a person.
    public func withdrawn(inFavourOf kept: String) -> Decision {
        let withdrawal = ClauseResult(
            id: "identity.duplicate", status: .notApplicable,
            explanation:
                "An officer withdrew this application as a duplicate of \(kept), which stands (bursar duplicates "
                    + "resolve); it can no longer be admitted.",
            facts: [.init("kept application", kept)])
        var clauses = self.clauses.map { $0.id == "identity.duplicate" ? withdrawal : $0 }
        if !clauses.contains(where: { $0.id == "identity.duplicate" }) { clauses.append(withdrawal) }
        return Decision(copying: self, outcome: .withdrawn, clauses: clauses)
    }
}
