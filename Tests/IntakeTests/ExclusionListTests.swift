import Intake
import Testing

@Suite("Exclusion list CSV")
struct ExclusionListTests {
    static let header = "list,family_name,given_name,birth_date,citizenship,clause,reference"

    @Test("a list without its header is refused without printing the first person")
    func missingHeaderShowsNoPersonalData() throws {
        let text = "mext-2025,Nguyen,Thi Lan,1999-04-12,VN,eligibility.10a,ref-1\n"
        let error = try #require(throws: ListFileError.self) { try ExclusionEntry.parse(text) }
        let message = error.description
        #expect(message.contains("line 1"))
        for personal in ["Nguyen", "Thi Lan", "1999-04-12", "VN"] { #expect(!message.contains(personal)) }
    }

    @Test("bad rows are named by line, without their values")
    func badRowsNamedByLine() throws {
        let text =
            Self.header + "\nm,Tran,An,1999-13-40,VN,eligibility.10a,r\nm,Le,Binh,1998-01-01,XX,eligibility.10a,r\n"
        let error = try #require(throws: ListFileError.self) { try ExclusionEntry.parse(text) }
        #expect(error.problems.map(\.line) == [2, 3])
        for personal in ["Tran", "1999-13-40", "Le", "XX"] { #expect(!error.description.contains(personal)) }
    }

    @Test("a quoted field may hold a comma and a line break; lines count from where each row starts")
    func quotedFieldsWithLineBreaks() throws {
        let text =
            Self.header
            + "\nm,\"Smith, Jr.\",\"Anne\nMarie\",1990-02-03,GB,eligibility.10b,\"ref\""
            + "\nm,Doe,John,1991-01-01,US,eligibility.10c,r\n"
        let entries = try ExclusionEntry.parse(text)
        #expect(entries.count == 2)
        #expect(entries[0].familyName == "Smith, Jr.")
        #expect(entries[0].givenName == "Anne\nMarie")
        let broken =
            Self.header + "\nm,\"A\nB\",C,1990-02-03,GB,eligibility.10b,r\nm,Doe,John,bad,US,eligibility.10c,r\n"
        let error = try #require(throws: ListFileError.self) { try ExclusionEntry.parse(broken) }
        #expect(error.problems.map(\.line) == [4])
    }
}
