import XCTest
@testable import Partners

final class EvaluationTests: XCTestCase {
    func testEvaluationSetMeetsTargets() throws {
        let matcher = PartnerMatcher(partners: try Fixtures.tgpPartners())
        let cases = MatcherEvaluation.cases(csv: try Fixtures.text("db/partners/tgp-2026-evaluation.csv"))
        XCTAssertGreaterThanOrEqual(cases.count, 150)
        XCTAssertGreaterThanOrEqual(cases.filter { $0.expected == nil }.count, 40)
        let evaluation = MatcherEvaluation(matcher: matcher, cases: cases)
        print(evaluation.report)
        XCTAssertEqual(evaluation.falseMatches, 0, "no hard negative may match")
        XCTAssertEqual(evaluation.wrongPartner, 0)
        XCTAssertEqual(evaluation.positivesNone, 0, "a positive may be uncertain, never none")
        XCTAssertGreaterThanOrEqual(evaluation.recall, 0.95)
    }
}
