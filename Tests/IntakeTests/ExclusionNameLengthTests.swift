import Intake
import Testing

/// Issue 26, finding 3: "An exclusion entry with a 256 KiB name against a shared birth date: 42.8 s;
/// no length limit on exclusion names." What to build: "a cap on name lengths in exclusion lists
/// (the same 200 as applications)".
@Suite("Exclusion list name lengths")
struct ExclusionNameLengthTests {
    static let header = "list,family_name,given_name,birth_date,citizenship,clause,reference"

    @Test(
        "a name part longer than 200 characters rejects the line, saying which field and how long, never the name",
        arguments: [("family_name", 201), ("given_name", 262_144)])
    func tooLongRejected(field: String, length: Int) {
        let long = String(repeating: "é", count: length)
        let (family, given) = field == "family_name" ? (long, "Ana") : ("Kim", long)
        let text = "\(Self.header)\nreg,\(family),\(given),2000-01-01,TH,eligibility.10d,R-1\n"
        #expect {
            _ = try ExclusionEntry.parse(text)
        } throws: { error in
            let message = "\(error)"
            return message.contains("line 2") && message.contains("\(field) is \(length) characters long")
                && message.contains("at most 200") && !message.contains("éé")
        }
    }

    @Test("200 characters, accented or not, are accepted")
    func atTheLimitAccepted() throws {
        let name = String(repeating: "é", count: 200)
        let entries = try ExclusionEntry.parse(
            "\(Self.header)\nreg,\(name),\(name),2000-01-01,TH,eligibility.10d,R-1\n")
        #expect(entries.count == 1)
    }
}
