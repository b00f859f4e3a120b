extension Clause {
    /// Eligibility (2): categories (a) to (c); the clause holds when any category holds, and
    /// every category that holds is reported.
    ///
    /// Interpretations:
    /// - (a) and (b) look at the applicant's current or last institution (`affiliation`). Its
    ///   "main campus, laboratory, or office" is `affiliation.country` with its `city` and
    ///   `region`. Any kind of institution counts ("a university, governmental agency, local
    ///   governmental agency …, company, etc.").
    /// - "less than one year before applying": `completed_on` strictly after the application
    ///   date one year earlier (a course completed exactly one year before does not count).
    /// - Note 1 is a closed list; it does not include Japan. Hong Kong and Macau, regions of
    ///   China, count as China (program data).
    /// - Note 2's cities count in the country they belong to; a state counts through
    ///   `affiliation.region` (or a city of the same name or its capital: São Paulo, Sydney). Note
    ///   2 lists states beside cities ("New South Wales", "Sao Paulo (state)"), and `region` is
    ///   optional: when it is absent in a country with a listed state and the city is none of note
    ///   2, the institution may well lie in that state (Newcastle, Campinas), so (a) is uncertain
    ///   and the clause goes to a person rather than fail. A region that is given and is not the
    ///   state is certain. Note 2's "other major cities … with which TMG conducts urban
    ///   diplomacy" are not named, so they cannot be checked.
    /// - (c): enrolled at the master's level at a university in Japan (`country` JP) with a
    ///   "Student" status of residence (`japan_status` is the status when applying).
    /// - An uncertain partner-name match or an unknown state sends the clause to review only when
    ///   no category holds.
    public static let affiliation = Clause(
        id: "eligibility.2",
        text: """
            (2) Those who fall under any of the following categories: (a) to (c). (a) Those who are enrolled in a \
            research institution such as a university, governmental agency, local governmental agency (hereinafter \
            referred to as "the Institution"), company, etc. and whose main campus, laboratory, or office, etc. is \
            located in Asian countries/regions (*note1), Sister and Friendship Cities/States of TMG (*note2), etc., or \
            those who have graduated from or completed an educational course at the Institution less than one year \
            before applying for the program. (b) Those who are enrolled in any of the universities listed in the \
            International Partner Universities/Institutions shown in Attachment 5 (*note3), or those who have \
            graduated from or completed an educational course at international partner universities/institutions less \
            than one year before applying for the program. (c) Those who are enrolled in a master's course (equivalent \
            to the master's course at TMU) at a university in Japan with a visa status of residence of "Student" at \
            the time of application.
            """
    ) { ctx in
        let app = ctx.application
        let aff = app.affiliation
        var categories: [String] = []
        var reasons: [String] = []
        var facts: [ClauseResult.Fact] = [
            .init("institution", aff.institution),
            .init(
                "location", [aff.city, aff.region ?? "", aff.country].filter { !$0.isEmpty }.joined(separator: ", ")),
            .init("status", aff.status.rawValue + (aff.completedOn.map { " on \($0)" } ?? "")),
        ]

        let windowStart = app.applicationDate.adding(years: -1)
        let current: Bool
        let timing: String
        switch aff.status {
        case .enrolled:
            current = true
            timing = "enrolled"
        case .graduated:
            let completed = aff.completedOn!
            current = completed > windowStart
            timing =
                current
                ? "completed on \(completed), less than one year before applying (\(app.applicationDate))"
                : "completed on \(completed), not less than one year before applying (\(app.applicationDate))"
        }

        // (a)
        var regionUncertain = false
        switch ctx.locations.location(of: aff) {
        case .qualifies(let region):
            facts.append(.init("note 1/2", region))
            if current {
                categories.append("2a")
                reasons.append("(a) holds: \(region); \(timing).")
            } else {
                reasons.append("(a) does not hold: \(region), but \(timing).")
            }
        case .unknownState(let states):
            regionUncertain = current
            facts.append(.init("note 1/2", "state not given"))
            reasons.append(
                "(a) is uncertain: the state or province is not given and "
                    + "\(aff.city.isEmpty ? "no city is given" : "\(aff.city) is not a city of note 2"), so whether "
                    + "it lies in \(states) (note 2) is unknown; a person must check the location."
            )
        case .outside:
            reasons.append(
                "(a) does not hold: \(aff.country) is not an Asian country/region of note 1 and "
                    + "\(aff.city.isEmpty ? "the location" : aff.city) is not a city or state of note 2."
            )
        }

        // (b)
        let partner = ctx.partner
        facts.append(.init("partner match", partner.result.rawValue + (partner.partner.map { ": \($0)" } ?? "")))
        var partnerUncertain = false
        switch partner.result {
        case .matched:
            if current {
                categories.append("2b")
                reasons.append(
                    "(b) holds: \(partner.partner ?? aff.institution) is a partner institution (\(partner.reason)); "
                        + "\(timing)."
                )
            } else {
                reasons.append("(b) does not hold: \(partner.partner ?? aff.institution) is a partner, but \(timing).")
            }
        case .uncertain:
            partnerUncertain = current
            let names = partner.shownCandidates.joined(separator: "; ")
            reasons.append(
                "(b) is uncertain: \"\(aff.institution)\" may be a partner (candidates: \(names)); an officer must "
                    + "confirm."
            )
        case .none:
            reasons.append("(b) does not hold: \"\(aff.institution)\" is not on the partner list (\(partner.reason)).")
        }

        // (c)
        let inJapanMaster =
            aff.country == "JP" && aff.kind == .university && aff.status == .enrolled && aff.level == .master
        if inJapanMaster && app.japanStatus == .student {
            categories.append("2c")
            reasons.append("(c) holds: enrolled in a master's course at a university in Japan with \"Student\" status.")
        } else if inJapanMaster {
            reasons.append(
                "(c) does not hold: enrolled in a master's course in Japan, but the status of residence is "
                    + "\(app.japanStatus.rawValue), not \"Student\"."
            )
        }

        let status: ClauseStatus = !categories.isEmpty ? .pass : (partnerUncertain || regionUncertain ? .review : .fail)
        let toConfirm = [regionUncertain ? "the location" : nil, partnerUncertain ? "the partner match" : nil]
            .compactMap { $0 }
        let lead =
            categories.isEmpty
            ? (status == .review
                ? "No category is certain; a person must confirm \(toConfirm.joined(separator: " and "))."
                : "No category of (a) to (c) holds.")
            : "Categories \(categories.joined(separator: ", ")) hold."
        return ClauseResult(
            id: "eligibility.2", status: status, explanation: ([lead] + reasons).joined(separator: " "),
            facts: facts, categories: categories)
    }
}

/// Note 1 and note 2 of clause (2)(a), with every name folded once per program.
public struct LocationRules: Sendable {
    /// Where an affiliation lies with respect to notes 1 and 2.
    enum Location: Equatable {
        /// In a country of note 1 or a city or state of note 2 (the reason, in words).
        case qualifies(String)
        /// In a country with a state of note 2, with no `region` and a city that is not on the
        /// lists: it may lie in the state (the states, in words).
        case unknownState(String)
        /// Neither.
        case outside
    }

    private let countries: [String: String]
    /// Folded name → places of that name, per country.
    private let places: [String: [String: [Program.Place]]]
    /// The states of note 2, per country.
    private let states: [String: [Program.Place]]

    public init(program: Program) {
        countries = Dictionary(program.asianCountries.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        var places: [String: [String: [Program.Place]]] = [:]
        var states: [String: [Program.Place]] = [:]
        for place in program.places {
            for name in [place.name] + place.aliases {
                places[place.country, default: [:]][TextFold.folded(name), default: []].append(place)
            }
            if place.kind == .state, !(states[place.country] ?? []).contains(where: { $0.name == place.name }) {
                states[place.country, default: []].append(place)
            }
        }
        self.places = places
        self.states = states
    }

    /// Where the affiliation's location lies under notes 1 and 2.
    func location(of aff: Affiliation) -> Location {
        if let name = countries[aff.country] { return .qualifies("\(name) is an Asian country/region of note 1") }
        guard let named = places[aff.country] else { return .outside }
        let city = TextFold.folded(aff.city)
        let region = aff.region.map(TextFold.folded).flatMap { $0.isEmpty ? nil : $0 }
        if let place = named[city]?.first ?? region.flatMap({ named[$0]?.first(where: { $0.kind == .state }) }) {
            let list =
                place.list == "anmc21"
                ? "a member city of the Asian Network of Major Cities 21"
                : "a sister/friendship \(place.kind.rawValue) of TMG"
            return .qualifies("\(place.name) (\(place.country)) is \(list) (note 2)")
        }
        if region == nil, let listed = states[aff.country], !listed.isEmpty {
            return .unknownState(listed.map { "\($0.name) (\($0.country))" }.joined(separator: " or "))
        }
        return .outside
    }
}
