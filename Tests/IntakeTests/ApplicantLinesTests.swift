import Intake
import PropertyBased
import Testing

/// The submission's table of the line each applicant was last seen on answers as a dictionary would.
@Suite("ApplicantLines")
struct ApplicantLinesTests {
    @Test("any sequence of updates returns what a dictionary returns, across growth")
    func matchesDictionary() async {
        let keys = Gen.int(in: -40...40)
        await propertyCheck(input: keys.array(of: 0...400)) { sequence in
            var table = ApplicantLines(expected: 1)
            var reference: [Int: Int] = [:]
            for (line, key) in sequence.enumerated() {
                #expect(table.updateValue(line, forKey: key) == reference.updateValue(line, forKey: key))
            }
            #expect(table.count == reference.count)
        }
    }

    @Test("the key 0 (the empty-slot marker) is a key like any other, and random 64-bit keys grow the table")
    func edgeKeys() {
        var table = ApplicantLines(expected: 1)
        #expect(table.updateValue(3, forKey: 0) == nil)
        #expect(table.updateValue(4, forKey: 0) == 3)
        #expect(table.updateValue(5, forKey: 1) == nil)
        var generator = SystemRandomNumberGenerator()
        var reference: [Int: Int] = [:]
        for line in 0..<50_000 {
            let key = Int.random(in: Int.min...Int.max, using: &generator)
            #expect(table.updateValue(line, forKey: key) == reference.updateValue(line, forKey: key))
        }
        #expect(table.updateValue(9, forKey: 0) == 4)
    }
}
