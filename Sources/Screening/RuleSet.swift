/// The clauses of a program's guideline, in the order they are reported.
public struct RuleSet: Sendable {
    public let clauses: [Clause]

    /// A rule set of these clauses (a test changes one to see replay catch it).
    public init(clauses: [Clause]) { self.clauses = clauses }

    /// The Tokyo Global Partner Scholarship guideline: Eligibility (1)–(10), the documents, and
    /// the duplicate-applicant check.
    public static let tokyoGlobalPartner = RuleSet(clauses: [
        .degreeAndAge, .affiliation, .gradePointAverage, .language, .learnJapanese, .employment, .network,
        .visa, .health, .japaneseResident, .military, .otherSupport, .formerMEXTMaster, .formerMEXTDoctoral,
        .documents, .duplicate,
    ])
}
