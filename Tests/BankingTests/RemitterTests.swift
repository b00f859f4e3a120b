import Banking
import Foundation
import Testing

/// Interface §3: "The remitter's fields come from the program definition's `remitter` object:
/// `code` (委託者コード, 10 digits), `name_kana`, `bank_code`, `branch_code`, `account_type`,
/// `account_number`; `tgp-2026` ships one".
@Suite("Remitter")
struct RemitterTests {
    static let program = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("db/programs/tgp-2026.json")

    static func decode(_ json: String) throws -> Remitter {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Remitter.self, from: Data(json.utf8))
    }

    @Test("tgp-2026 ships a remitter that converts to the Zengin set")
    func shipped() throws {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.program)) as? [String: Any]
        let remitter = try #require(object?["remitter"])
        let json = String(decoding: try JSONSerialization.data(withJSONObject: remitter), as: UTF8.self)
        let decoded = try Self.decode(json)
        #expect(decoded.code == "9999999999")
        #expect(decoded.zenginName == "ﾃｽﾄ ｲﾗｲﾆﾝ(ﾀﾞﾐｰ)")
        #expect(decoded.accountType == .ordinary)
    }

    @Test("a remitter with a field that is not valid is refused at load, naming the field")
    func refused() {
        let good: [String: String] = [
            "code": "1234567890", "name_kana": "ﾀﾞｲｶﾞｸ", "bank_code": "0001",
            "branch_code": "001", "account_type": "ordinary", "account_number": "1234567",
        ]
        let bad: [(String, String, String)] = [
            ("code", "123", "remitter.code"), ("name_kana", "大学", "remitter.name_kana"),
            ("bank_code", "1", "remitter.bank_code"), ("branch_code", "0001", "remitter.branch_code"),
            ("account_number", "12345678", "remitter.account_number"),
        ]
        for (key, value, field) in bad {
            var fields = good
            fields[key] = value
            let json = "{" + fields.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", ") + "}"
            do {
                _ = try Self.decode(json)
                Issue.record("accepted a remitter with a bad \(key)")
            } catch {
                #expect("\(error)".contains(field), "\(error)")
            }
        }
        #expect(throws: DecodingError.self) { try Self.decode(#"{"code": "1234567890"}"#) }
    }
}
