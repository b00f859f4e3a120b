import Partners
import Testing

/// The second list (seed 000, `exchange-2016.csv`) keeps screening with the new name rules.
@Suite("The exchange-2016 list")
struct ExchangeListTests {
    static let partners = try! PartnerListCSV.parse(try! Fixtures.text("db/partners/exchange-2016.csv"))
    static let matcher = PartnerMatcher(partners: partners)
    var partners: [Partner] { Self.partners }
    var matcher: PartnerMatcher { Self.matcher }

    @Test("every listed name matches a partner, itself or the same institution listed again under another spelling")
    func everyNameMatches() {
        for partner in partners {
            let got = matcher.match(institution: partner.name, country: partner.country)
            #expect(got.result == .matched, "\(partner.name): \(got.reason)")
            if let name = got.partner, name != partner.name {
                // The mechanical conversion keeps one row per spelling ("University of Paderborn",
                // "Universität Paderborn"): both are the same institution.
                #expect(
                    InstitutionName(name).sortedWords == InstitutionName(partner.name).sortedWords
                        || InstitutionName(name).joined == InstitutionName(partner.name).joined,
                    "\(partner.name) → \(name)")
            }
        }
    }

    @Test("its hard negatives stay apart")
    func hardNegatives() {
        #expect(matcher.match(institution: "Universitaet Wien", country: "AT").partner == "Universität Wien")
        let technical = matcher.match(institution: "Technische Universität Wien", country: "AT")
        #expect(technical.partner != "Universität Wien")
        #expect(
            matcher.match(institution: "Medizinische Universität Wien", country: "AT").partner != "Universität Wien")
    }
}
