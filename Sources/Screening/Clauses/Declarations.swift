extension Clause {
    /// Eligibility (5): willing to learn basic Japanese.
    public static let learnJapanese = Clause(
        id: "eligibility.5",
        text:
            "(5) Applicants must be willing to learn basic Japanese language up to the level of understanding daily "
                + "conversation by the time of completion of their program."
    ) { ctx in
        declared(
            ctx.application.declarations.willLearnJapanese, id: "eligibility.5",
            yes: "The applicant declares the will to learn basic Japanese.",
            no: "The applicant does not declare the will to learn basic Japanese.")
    }

    /// Eligibility (6): willing to seek employment in (a) to (c).
    public static let employment = Clause(
        id: "eligibility.6",
        text:
            "(6) Applicants should be willing to seek employment in one of the following: (a) to (c). (a) A company "
                + "with its headquarters or a branch office in Tokyo … (b) A university or research institute in or "
                + "outside Japan (c) A central/local government organization or a similar public organization in or "
                + "outside of Japan"
    ) { ctx in
        let intent = ctx.application.declarations.employmentIntent
        let named: [Declarations.EmploymentIntent: String] = [
            .tokyoCompany: "(a) a company with its headquarters or a branch office in Tokyo",
            .universityOrResearch: "(b) a university or research institute",
            .publicOrganization: "(c) a government or public organization",
        ]
        if let what = named[intent] {
            return ClauseResult(
                id: "eligibility.6", status: .pass, explanation: "The applicant intends to seek employment in \(what).",
                facts: [.init("employment intent", intent.rawValue)])
        }
        return ClauseResult(
            id: "eligibility.6", status: .fail,
            explanation: "The applicant declares no intent to seek employment in any of (a) to (c).",
            facts: [.init("employment intent", intent.rawValue)])
    }

    /// Eligibility (7): willing to join the Japan-friendly network.
    public static let network = Clause(
        id: "eligibility.7",
        text:
            "(7) Applicants must be willing to cooperate in forming a network of Japan-friendly cohorts and contribute "
                + "to deepening the mutual understanding/friendship between Japan and foreign countries/regions …"
    ) { ctx in
        declared(
            ctx.application.declarations.willJoinNetwork, id: "eligibility.7",
            yes: "The applicant declares the will to cooperate in the network of Japan-friendly cohorts.",
            no: "The applicant does not declare the will to cooperate in the network of Japan-friendly cohorts.")
    }

    /// Eligibility (8): a new "Student" visa, or a change of status before the start.
    ///
    /// The clause itself never fails at screening: it is a follow-up. It holds with a condition
    /// whenever the applicant does not already hold "Student" status (interface §2).
    public static let visa = Clause(
        id: "eligibility.8",
        text:
            "(8) Each applicant must obtain a new \"Student\" visa at a diplomatic mission or some other facility "
                + "overseas before entering Japan and enter Japan with the newly acquired \"Student\" status. However, "
                + "this does not apply to cases falling under (2)(a) or (b) of \"Application Eligibility\" who already "
                + "have \"Student\" status in Japan at the time of acceptance, or cases falling under (2)(c) … (If "
                + "they already have another status of residence such as \"Permanent Resident,\" \"Long Term "
                + "Resident,\" it must be changed to \"Student\" by the end of the month prior to the start of the "
                + "scholarship.)"
    ) { ctx in
        let status = ctx.application.japanStatus
        if status == .student {
            return ClauseResult(
                id: "eligibility.8", status: .pass,
                explanation: "The applicant already holds \"Student\" status in Japan; no new visa is needed.",
                facts: [.init("status in Japan", status.rawValue)])
        }
        let owed =
            status == .none
            ? "A new \"Student\" visa must be obtained overseas before entering Japan."
            : "The current status (\(status.rawValue)) must be changed to \"Student\" by the end of the month before "
                + "the scholarship starts."
        return ClauseResult(
            id: "eligibility.8", status: .pass, explanation: "Holds with a follow-up: \(owed)",
            facts: [.init("status in Japan", status.rawValue)], condition: true)
    }

    /// Eligibility (9): mentally and physically sound.
    public static let health = Clause(
        id: "eligibility.9",
        text: "(9) An applicant must be mentally and physically sound to pursue study and research at the university."
    ) { ctx in
        declared(
            ctx.application.declarations.healthOK, id: "eligibility.9",
            yes: "The applicant declares being sound to pursue study and research.",
            no: "The applicant does not declare being sound to pursue study and research.")
    }

    static func declared(_ value: Bool, id: String, yes: String, no: String) -> ClauseResult {
        ClauseResult(
            id: id, status: value ? .pass : .fail, explanation: value ? yes : no,
            facts: [.init("declared", String(value))])
    }
}
