import Foundation
import Partners
import Store

/// `bursar bench partners`' measurement: time to match one name of the evaluation set, as a
/// ratio to an exact dictionary lookup of the same names (the baseline, same run). Pure.
public struct PartnersMeasurement: Sendable {
    /// Passes over the evaluation set.
    public var rounds = 20

    public init() {}

    /// Measures and returns the report's fields in order (name, JSON value).
    public func run() throws -> [(String, String)] {
        let home = try BursarHome.locate()
        let listText = try String(
            contentsOf: home.appendingPathComponent("db/partners/tgp-2026.csv"), encoding: .utf8)
        let evaluation = try String(
            contentsOf: home.appendingPathComponent("db/partners/tgp-2026-evaluation.csv"), encoding: .utf8)
        let list = try PartnerListCSV.parse(listText)
        let cases = MatcherEvaluation.cases(csv: evaluation)
        let matcher = PartnerMatcher(partners: list)
        let exact = Dictionary(list.map { ($0.name.lowercased(), $0.name) }, uniquingKeysWith: { a, _ in a })
        // Counted, and reported per pass, so that neither loop is optimised away.
        var found = 0
        var matched = 0
        let baselineStart = Date()
        for _ in 0..<rounds {
            for c in cases where exact[c.name.lowercased()] != nil { found += 1 }
        }
        let baseline = Date().timeIntervalSince(baselineStart) / Double(rounds * cases.count)
        let start = Date()
        for _ in 0..<rounds {
            for c in cases where matcher.match(institution: c.name, country: c.country).result == .matched {
                matched += 1
            }
        }
        let perMatch = Date().timeIntervalSince(start) / Double(rounds * cases.count)
        let noCountryStart = Date()
        for c in cases { _ = matcher.match(institution: c.name, country: nil) }
        let noCountry = Date().timeIntervalSince(noCountryStart) / Double(cases.count)
        return [
            ("names", String(cases.count * rounds)),
            ("match_us", String(format: "%.1f", perMatch * 1e6)),
            ("match_without_country_us", String(format: "%.1f", noCountry * 1e6)),
            ("exact_lookup_us", String(format: "%.3f", baseline * 1e6)),
            ("ratio_to_exact_lookup", String(format: "%.0f", perMatch / baseline)),
            ("names_listed_verbatim", String(found / rounds)),
            ("names_matched", String(matched / rounds)),
        ]
    }
}
