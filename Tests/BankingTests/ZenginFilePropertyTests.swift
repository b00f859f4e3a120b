import Banking
import PropertyBased
import Testing

/// Pieces of names as banks have them: full- and half-width katakana (voiced, small, long vowel),
/// Latin of both cases and widths, digits, the separators the set allows, and `・`.
private let namePieces = [
    "ア", "ｶﾞ", "ヴ", "ッ", "ャ", "ー", "・", " ", "ﾊﾟ", "ｼﾞｭ", "A", "ｚ", "Ｑ", "7", "(", ")", ".", "-",
    "/", "ン", "ヲ", "ﾝ", "ｰ",
]
private let names = Gen<String?>.element(of: namePieces).map { $0 ?? "" }.array(of: 1...40).map { $0.joined() }
private let digits = Gen.number.string(of: 1...7)

/// One transfer of random name, account and amount (up to the field's 10 digits).
private let types = Gen<AccountType?>.element(of: AccountType.allCases)
private let transfers = zip(names, digits, Gen.int(in: 1...9_999_999_999), types)
    .map { name, number, yen, type in
        let holder = (try? ZenginText.convert(name, field: "holder_kana")) ?? ""
        return ZenginFile.Transfer(account: mizuho(type ?? .ordinary, number), holderName: holder, yen: yen)
    }

private func mizuho(_ type: AccountType, _ number: String) -> ZenginFile.Account {
    ZenginFile.Account(
        bankCode: "0001", bankName: "ﾐｽﾞﾎ", branchCode: "001", branchName: "ﾄｳｷﾖｳ", accountType: type,
        accountNumber: number)
}

private let header = ZenginFile.Header(
    remitterCode: "9999999999", remitterName: "ﾃｽﾄ ｲﾗｲﾆﾝ(ﾀﾞﾐｰ)", transferMonth: 7,
    transferDay: 24, account: mizuho(.ordinary, "1"))

/// The Zengin file (interface §3): "records of 120 bytes (CRLF after each)", "a trailer (8) with
/// the count and the total".
@Suite("Zengin file")
struct ZenginFilePropertyTests {
    @Test("every record is 120 bytes and CRLF; the trailer's count and total are the data records'; it decodes back")
    func roundTrip() async throws {
        await propertyCheck(input: transfers.array(of: 0...30)) { transfers in
            let file = ZenginFile(header: header, transfers: transfers)
            guard file.total <= 999_999_999_999 else { return }
            let bytes: [UInt8]
            do { bytes = try file.encoded() } catch {
                Issue.record("not written: \(error)")
                return
            }
            #expect(bytes.count == (transfers.count + 3) * 122)
            for start in stride(from: 0, to: bytes.count, by: 122) {
                #expect(bytes[start + 120] == 0x0D && bytes[start + 121] == 0x0A)
                #expect(!bytes[start..<(start + 120)].contains(0x0D) && !bytes[start..<(start + 120)].contains(0x0A))
            }
            let kinds = stride(from: 0, to: bytes.count, by: 122).map { bytes[$0] }
            #expect(kinds == [0x31] + Array(repeating: 0x32, count: transfers.count) + [0x38, 0x39])
            let decoded = try? ZenginFile.decode(bytes)
            #expect(decoded?.file == file)
            #expect(decoded?.trailerCount == transfers.count)
            #expect(decoded?.trailerTotal == transfers.reduce(0) { $0 + $1.yen })
        }
    }

    @Test("a name longer than its field is cut at the field's width; numbers are zero-filled, text space-filled")
    func fieldForms() throws {
        let long = String(repeating: "ｱ", count: 29) + "ｶﾞ" + "ﾝ"
        let t = ZenginFile.Transfer(account: mizuho(.savings, "4567"), holderName: long, yen: 150_000)
        let bytes = try ZenginFile(header: header, transfers: [t]).encoded()
        let data = Array(bytes[122..<244])
        #expect(JISX0201.decode(data[1..<5]) == "0001")
        #expect(JISX0201.decode(data[5..<20]) == "ﾐｽﾞﾎ" + String(repeating: " ", count: 11))
        #expect(JISX0201.decode(data[38..<42]) == "0000")
        #expect(data[42] == UInt8(ascii: "4"))
        #expect(JISX0201.decode(data[43..<50]) == "0004567")
        #expect(JISX0201.decode(data[50..<80]) == String(repeating: "ｱ", count: 29) + "ｶ")
        #expect(JISX0201.decode(data[80..<90]) == "0000150000")
        let tail = "0" + String(repeating: "0", count: 20) + String(repeating: " ", count: 9)
        #expect(JISX0201.decode(data[90..<120]) == tail)
        let head = Array(bytes[0..<120])
        #expect(JISX0201.decode(head[0..<14]) == "1210" + "9999999999")
        #expect(JISX0201.decode(head[54..<58]) == "0724")
        #expect(JISX0201.decode(head[95..<103]) == "10000001")
        let trailer = Array(bytes[244..<364])
        #expect(JISX0201.decode(trailer[0..<19]) == "8000001000000150000")
        #expect(bytes[366] == UInt8(ascii: "9") && bytes[367..<486].allSatisfy { $0 == 0x20 })
    }

    @Test("an amount that does not fit its 10 digits is refused, not cut")
    func amountTooLarge() {
        let t = ZenginFile.Transfer(account: mizuho(.ordinary, "1"), holderName: "ｱ", yen: 10_000_000_000)
        #expect(throws: ZenginFile.Failure.self) { try ZenginFile(header: header, transfers: [t]).encoded() }
    }
}
