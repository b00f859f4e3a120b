/// Decides one application: every clause of the rule set is evaluated (none short-circuits
/// the others), and the decision lists every failed clause.
public struct Screener: Sendable {
    public let program: Program
    public let rules: RuleSet
    public let partners: any PartnerMatching
    let locations: LocationRules

    public init(program: Program, rules: RuleSet = .tokyoGlobalPartner, partners: any PartnerMatching) {
        self.program = program
        self.rules = rules
        self.partners = partners
        self.locations = LocationRules(program: program)
    }

    /// Screens `application` with the results of its document checks and of the person-level
    /// lists (exclusion entries and other applications naming the same person).
    public func decide(
        _ application: Application, documents: [DocumentCheck],
        exclusions: [ExclusionHit] = [], duplicates: [DuplicateHit] = []
    ) -> Decision {
        let context = ScreeningContext(
            application: application, program: program,
            gpa: GPACalculator.compute(application.transcripts),
            partner: partners.match(
                institution: application.affiliation.institution, country: application.affiliation.country),
            documents: documents, exclusions: exclusions, duplicates: duplicates, locations: locations)
        let results = rules.clauses.flatMap { $0.evaluate(context) }
        return Decision(
            applicantID: application.applicantID, ruleSet: program.ruleSet, clauses: results, gpaTrace: context.gpa,
            partner: context.partner)
    }
}
