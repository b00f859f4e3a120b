import Foundation
import XCTest

@testable import Screening

/// The public sample batch decides exactly as `expected.ndjson` says (outcome, failed,
/// categories, GPA), with the sample's exclusion list and duplicate detection applied.
final class SampleTests: XCTestCase {
    func testPublicSampleDecidesAsExpected() throws {
        let batch = try String(contentsOf: Fixtures.sample.appendingPathComponent("batch.ndjson"), encoding: .utf8)
        let expected = try String(
            contentsOf: Fixtures.sample.appendingPathComponent("expected.ndjson"), encoding: .utf8)
        let exclusions = try String(
            contentsOf: Fixtures.sample.appendingPathComponent("exclusions.csv"), encoding: .utf8)
        let entries = exclusions.split(separator: "\n").dropFirst().map { CSV.parseLine(String($0)) }
        let apps = batch.split(separator: "\n").map { Fixtures.application(String($0)) }

        var decisions: [String: Decision] = [:]
        for app in apps {
            let name = PersonName(family: app.familyName, given: app.givenName)
            let hits = entries.compactMap { e -> ExclusionHit? in
                guard e[3] == app.birthDate.description, app.citizenships.contains(e[4]) else { return nil }
                let strength = name.match(PersonName(family: e[1], given: e[2]))
                return strength == .none
                    ? nil : ExclusionHit(list: e[0], reference: e[6], clause: e[5], strength: strength)
            }
            let duplicates = apps.filter {
                $0.applicantID != app.applicantID && $0.birthDate == app.birthDate
                    && !Set($0.citizenships).isDisjoint(with: app.citizenships)
                    && PersonName(family: $0.familyName, given: $0.givenName).match(name) == .same
            }.map { DuplicateHit(otherApplicantID: $0.applicantID) }
            // The sample's document files are real and valid; their checks belong to the pipeline tests.
            decisions[app.applicantID] = Fixtures.decide(app, exclusions: hits, duplicates: duplicates)
        }

        var compared = 0
        for line in expected.split(separator: "\n") {
            let want = try JSONParser.parse(String(line))
            guard case .string(let id)? = want["applicant_id"], let got = decisions[id] else {
                return XCTFail("no decision for \(line)")
            }
            if case .string(let outcome)? = want["outcome"] { XCTAssertEqual(got.outcome.rawValue, outcome, id) }
            if case .array(let failed)? = want["failed"] {
                XCTAssertEqual(got.failed, failed.map { if case .string(let s) = $0 { s } else { "" } }, id)
            }
            if case .array(let review)? = want["review"] {
                XCTAssertEqual(got.review, review.map { if case .string(let s) = $0 { s } else { "" } }, id)
            }
            if case .array(let cats)? = want["categories"] {
                XCTAssertEqual(got.categories, cats.map { if case .string(let s) = $0 { s } else { "" } }, id)
            }
            if case .string(let gpa)? = want["gpa"] { XCTAssertEqual(got.gpa, gpa, id) }
            compared += 1
        }
        XCTAssertEqual(compared, 16)
    }
}
