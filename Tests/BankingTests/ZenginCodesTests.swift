import Banking
import Foundation
import Testing

/// The Zengin code data shipped in `db/zengin/` (interface §3: "data of 2026-08-24: 1,146 banks,
/// 31,229 branches").
@Suite("Zengin code data")
struct ZenginCodesTests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("db/zengin/zengin-2026-08-24.tsv")

    @Test("the data file holds 1,146 banks and 31,229 branches, every name convertible to the Zengin set")
    func counts() throws {
        let codes = try ZenginCodes(text: String(contentsOf: Self.file, encoding: .utf8), date: "2026-08-24")
        #expect(codes.bankCount == 1_146)
        #expect(codes.branchCount == 31_229)
        #expect(codes.bank("0001")?.name == "ﾐｽﾞﾎ")
        #expect(codes.bank("0005")?.name == "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ")
        #expect(codes.branch(bank: "0001", "001")?.name == "ﾄｳｷﾖｳ")
        #expect(codes.bank("0002") == nil)
        #expect(codes.branch(bank: "0001", "999") == nil)
    }
}
