import Testing

@testable import Screening

/// Note 2 lists states beside cities: "New South Wales, … Sao Paulo (state)". `region` is optional
/// (interface §1), so a city of such a country that is on neither list may lie in the state.
@Suite("Clause (2)(a): states of note 2")
struct StateLocationTests {
    private func clause(country: String, city: String, region: String?, institution: String = "Some Company")
        -> ClauseResult
    {
        let app = Fixtures.base {
            $0.affiliation = Affiliation(
                institution: institution, kind: .company, country: country, city: city, region: region,
                status: .enrolled, completedOn: nil, level: .staff)
        }
        return Fixtures.result(Fixtures.decide(app), "eligibility.2")
    }

    @Test(
        "region absent, a city of the state's country not on the lists: a person checks the location",
        arguments: [
            ("AU", "Newcastle"), ("AU", "Wollongong"), ("AU", "Melbourne"), ("BR", "Campinas"), ("BR", "Santos"),
            ("AU", ""),
        ])
    func unknownStateGoesToReview(country: String, city: String) {
        let result = clause(country: country, city: city, region: nil)
        #expect(result.status == .review, "\(result.explanation)")
        #expect(result.explanation.contains("(a) is uncertain"))
        #expect(result.categories.isEmpty)
    }

    @Test(
        "the state given, or a city that names it, decides",
        arguments: [
            ("AU", "Newcastle", "New South Wales", ClauseStatus.pass), ("AU", "Newcastle", "NSW", .pass),
            ("AU", "Sydney", nil, .pass),
            ("BR", "São Paulo", nil, .pass), ("BR", "Campinas", "SP", .pass),
            ("BR", "Campinas", "Estado de São Paulo", .pass),
            ("AU", "Melbourne", "Victoria", .fail), ("BR", "Rio de Janeiro", "Rio de Janeiro", .fail),
        ] as [(String, String, String?, ClauseStatus)])
    func regionDecides(country: String, city: String, region: String?, expected: ClauseStatus) {
        #expect(clause(country: country, city: city, region: region).status == expected)
    }

    @Test("a country without a listed state is certain: a city off the lists fails (a)")
    func noStateNoDoubt() {
        #expect(clause(country: "US", city: "Boston", region: nil).status == .fail)
        #expect(clause(country: "FR", city: "Lyon", region: nil).status == .fail)
    }

    @Test("another category that holds decides before the doubt about the state")
    func partnerHoldsDespiteUnknownState() {
        let result = clause(country: "AU", city: "Wollongong", region: nil, institution: "University of Wollongong")
        #expect(result.status == .pass)
        #expect(result.categories == ["2b"])
    }
}
