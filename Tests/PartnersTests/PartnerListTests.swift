import XCTest

@testable import Partners

/// The curated lists: counts and a sample of rows pinned.
final class PartnerListTests: XCTestCase {
    func testTGPListHasEveryInstitutionOnce() throws {
        let partners = try Fixtures.tgpPartners()
        XCTAssertEqual(partners.count, 166)
        XCTAssertEqual(partners.reduce(0) { $0 + $1.agreements.count }, 179)
        XCTAssertEqual(Set(partners.map { $0.name + "|" + $0.country }).count, 166, "each institution once")
        let chula = try XCTUnwrap(partners.first { $0.name == "Chulalongkorn University" })
        XCTAssertEqual(chula.country, "TH")
        XCTAssertEqual(chula.agreements.map(\.level), ["全学", "部局間", "部局間"])
        XCTAssertEqual(chula.agreements[2].department, "建築学部")
        let umea = try XCTUnwrap(partners.first { $0.name == "Umeå University" })
        XCTAssertTrue(umea.aliases.contains("Umeā University"), "the OCR spelling stays an alias")
        let guam = try XCTUnwrap(partners.first { $0.name == "University of Guam" })
        XCTAssertEqual(guam.country, "GU")
        XCTAssertEqual(partners.first { $0.name == "Belau National Museum" }?.agreements.first?.homeFaculty, "理")
    }

    func testSecondListImportsAsItsOwnProgram() throws {
        let partners = try PartnerListCSV.parse(try Fixtures.text("db/partners/exchange-2016.csv"))
        XCTAssertEqual(partners.count, 476)
        XCTAssertEqual(partners.filter { $0.agreements.contains { $0.level == "university" } }.count, 207)
        XCTAssertEqual(partners.reduce(0) { $0 + $1.agreements.count }, 618)
        let matcher = PartnerMatcher(partners: partners)
        XCTAssertEqual(matcher.match(institution: "Universitaet Wien", country: "AT").partner, "Universität Wien")
        let tgp = PartnerMatcher(partners: try Fixtures.tgpPartners())
        XCTAssertEqual(
            tgp.match(institution: "Lomonosov Moscow State University", country: "RU").result, .none,
            "the second list does not leak into tgp-2026")
    }

    func testMalformedListIsRejectedWithLineNumbers() {
        XCTAssertThrowsError(try PartnerListCSV.parse("name,country\nGood University,DE\n,FR\nBad University,XX\n")) {
            error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("line 3"), text)
            XCTAssertTrue(text.contains("line 4"), text)
        }
    }

    func testMatchReasonsAndCountryGuard() {
        let matcher = PartnerMatcher(partners: try! Fixtures.tgpPartners())
        XCTAssertEqual(
            matcher.match(institution: "UNIVERSITY OF BAYREUTH", country: "DE").partner, "University of Bayreuth")
        XCTAssertEqual(matcher.match(institution: "Northeastern University", country: "US").result, .none)
        XCTAssertTrue(
            matcher.match(institution: "Northeastern University", country: "US").reason.contains("another country"))
        let uncertain = matcher.match(institution: "Chiang Mai Rajabhat University", country: "TH")
        XCTAssertEqual(uncertain.result, .uncertain)
        XCTAssertEqual(uncertain.candidates.first?.partner, "Chiang Mai University")
        let confirmed = PartnerMatcher(
            partners: try! Fixtures.tgpPartners(),
            confirmed: ["Chiang Mai Rajabhat University": "Chiang Mai University"])
        XCTAssertEqual(confirmed.match(institution: "chiang mai rajabhat university", country: "TH").result, .matched)
    }
}
