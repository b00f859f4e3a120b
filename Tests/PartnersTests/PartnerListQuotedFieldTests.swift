import Partners
import Testing

/// Partner lists are read with a real CSV parser (Formats, over yaslab/CSV.swift).
@Suite("Partner list CSV: quoted fields")
struct PartnerListQuotedFieldTests {
    @Test("a quoted field may hold a comma and a line break; errors name the line the row starts on")
    func quotedFieldsWithLineBreaks() throws {
        let text =
            "name,country,department\n\"University of Nowhere, Main Campus\",TH,\"Faculty of Science\nand "
            + "Engineering\"\nGood University,DE,x\n"
        let partners = try PartnerListCSV.parse(text)
        #expect(partners.map(\.name) == ["University of Nowhere, Main Campus", "Good University"])
        #expect(partners[0].agreements.first?.department == "Faculty of Science\nand Engineering")
        let broken = "name,country\n\"Two\nLines\",TH\nBad University,XX\n"
        let error = try #require(throws: PartnerListCSV.ListError.self) { try PartnerListCSV.parse(broken) }
        #expect(error.errors.map(\.line) == [4])
    }
}
