import PropertyBased
import Testing

@testable import Screening

/// Issue 26, finding 3: person matching by blocking keys gives "exactly the same matches (exact
/// and close) as today" — interface §4: "case, accents, punctuation, spacing, and which part was
/// written as family or given name do not matter … a close but not equal name sends the clause to
/// review" — while comparing a name only with the few that can match it.
@Suite("Person matching by blocking keys")
struct PersonIndexTests {
    /// Words that make same, one-edit and missing-middle-name pairs likely in a small population.
    static let words = [
        "an", "na", "ann", "anna", "lim", "li", "lin", "seo", "yeon", "se", "oyeon", "kim", "ki", "m",
        "Ñam", "nam", "O'Lin", "o",
    ]

    /// A small random population of names from seeds: one to three words each side.
    static func population(_ seeds: [Int]) -> [PersonName] {
        seeds.map { seed in
            var g = SplitMix(seed: UInt64(seed))
            func part(_ count: Int) -> String {
                (0..<count).map { _ in words[Int(g.next() % UInt64(words.count))] }.joined(separator: " ")
            }
            let family = part(Int(g.next() % 3))
            let given = part(1 + Int(g.next() % 3))
            return g.next() % 2 == 0
                ? PersonName(family: family, given: given) : PersonName(family: given, given: family)
        }
    }

    @Test("the blocked matcher finds exactly the matches of comparing every pair, same and close, in order")
    func blockedEqualsAllPairs() async {
        await propertyCheck(input: Gen.int(in: 0...1_000_000).array(of: 1...40)) { seeds in
            let names = Self.population(seeds)
            let index = PersonIndex(names.enumerated().map { (name: $0.element, value: $0.offset) })
            for probe in names {
                let allPairs = names.enumerated().compactMap { i, other -> [String]? in
                    let strength = probe.match(other)
                    return strength == .none ? nil : ["\(i)", strength.rawValue]
                }
                let blocked = index.matches(probe).map { ["\($0.value)", $0.strength.rawValue] }
                #expect(blocked == allPairs, "\(probe)")
                let same = names.indices.filter { probe.match(names[$0]) == .same }
                #expect(index.same(as: probe) == same, "\(probe)")
            }
        }
    }

    @Test("names that are the same share their letter key")
    func sameNamesShareTheKey() async {
        await propertyCheck(input: Gen.int(in: 0...1_000_000).array(of: 2...30)) { seeds in
            let names = Self.population(seeds)
            for a in names {
                for b in names where a.match(b) == .same { #expect(a.letterKey == b.letterKey) }
            }
        }
    }

    @Test("a name is compared with the names of its blocks only, not with every name of the day")
    func fewCandidates() {
        let names = (0..<2_000).map { PersonName(family: "Family\($0)", given: "Given \($0 * 7)") }
        let index = PersonIndex(names.map { (name: $0, value: 0) })
        let probe = PersonName(family: "Someone", given: "Else")
        #expect(index.candidates(of: probe, sameOnly: false).isEmpty)
        #expect(index.candidates(of: names[5], sameOnly: true).count <= 2)
    }
}
