import Formats
import Partners
import Screening
import Store

/// Decides applications from given program data, in memory, exactly as the screening worker does
/// from the data in force (`Workers/ScreeningWorker`): the rule set, the definition, the partner
/// matcher, the exclusion entries matched by person, and the officers' withdrawals. Replay gives it
/// the versions a decision recorded; what-if gives it the data as it would be.
public struct DecisionMaker: Sendable {
    public let screener: Screener
    private let exclusionsByDay: [String: PersonIndex<ExclusionImpact.Entry>]
    private let withdrawn: [String: String]

    public init(
        program: Program, rules: RuleSet = .tokyoGlobalPartner, partners: any PartnerMatching,
        exclusions: [ExclusionImpact.Entry], withdrawn: [String: String]
    ) {
        screener = Screener(program: program, rules: rules, partners: partners)
        exclusionsByDay = ExclusionImpact.byDay(exclusions)
        self.withdrawn = withdrawn
    }

    /// The decision for `application` given its document checks and the other applicants found to
    /// be the same person.
    public func decide(_ application: Application, documents: [DocumentCheck], duplicates: [String]) -> Decision {
        let name = PersonName(family: application.familyName, given: application.givenName)
        let day = exclusionsByDay[application.birthDate.description]
        let hits = ExclusionImpact.hits(name: name, citizenships: application.citizenships, in: day)
        var decision = screener.decide(
            application, documents: documents, exclusions: hits,
            duplicates: duplicates.map(DuplicateHit.init(otherApplicantID:)))
        if let kept = withdrawn[application.applicantID] { decision = decision.withdrawn(inFavourOf: kept) }
        return decision
    }

    /// A stored application's content decoded as screening reads it.
    public static func application(_ content: String) throws -> Application {
        switch ApplicationDecoder.decode(try JSONParser.parse(content)) {
        case .success(let application): return application
        case .failure(let rejection): throw StoredApplicationInvalid(why: "\(rejection)")
        }
    }

    /// A stored revision that no longer validates (the decoder changed under it).
    public struct StoredApplicationInvalid: Error, CustomStringConvertible {
        public let why: String
        public var description: String { "a stored application no longer validates: \(why)" }
    }
}
