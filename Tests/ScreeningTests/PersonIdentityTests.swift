import XCTest

@testable import Screening

/// Interface §4: "case, accents, punctuation, spacing, and which part was written as family or
/// given name do not matter … a close but not equal name sends the clause to review."
final class PersonIdentityTests: XCTestCase {
    private func match(_ a: (String, String), _ b: (String, String)) -> NameMatch {
        PersonName(family: a.0, given: a.1).match(PersonName(family: b.0, given: b.1))
    }

    func testSameDespiteCaseAccentsPunctuationSpacingAndOrder() {
        XCTAssertEqual(match(("Lim", "Seo-yeon"), ("LIM", "SEO YEON")), .same, "case, punctuation")
        XCTAssertEqual(match(("Müller", "Jürgen"), ("Muller", "Jurgen")), .same, "accents")
        XCTAssertEqual(match(("Nguyễn", "Văn An"), ("NGUYEN", "VAN AN")), .same)
        XCTAssertEqual(match(("Seo Yeon", "Lim"), ("Lim", "Seo Yeon")), .same, "family and given swapped")
        XCTAssertEqual(match(("Lim", "Seoyeon"), ("Lim", "Seo Yeon")), .same, "spacing")
        XCTAssertEqual(match(("O'Brien", "Sean"), ("OBrien", "Sean")), .same)
    }

    func testCloseNamesGoToReview() {
        XCTAssertEqual(match(("Lim", "Seo Yeon"), ("Lim", "Seo Yeom")), .close, "one edit")
        XCTAssertEqual(match(("Boonmee", "Arthit"), ("Boonmee", "Arthit Somchai")), .close, "a missing middle name")
    }

    func testDifferentPeopleDoNotMatch() {
        XCTAssertEqual(match(("Lim", "Seo Yeon"), ("Park", "Ji Hoon")), .none)
        XCTAssertEqual(match(("Lim", "Seo Yeon"), ("Lim", "Min Jun")), .none)
    }
}
