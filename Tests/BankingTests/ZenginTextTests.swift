import Banking
import Testing

/// The holder name's conversion to the Zengin set (interface §3: "katakana (full- or half-width),
/// Latin letters (either case or width), digits, space and `( ) . - /`, with `・` read as a space
/// and anything else refused").
@Suite("Zengin text")
struct ZenginTextTests {
    @Test("real forms: full-width katakana with ・ and ヴ, half-width with ﾞ, full-width Latin, small kana")
    func realForms() throws {
        #expect(try ZenginText.convert("グエン・ヴァン・アン", field: "holder_kana") == "ｸﾞｴﾝ ｳﾞｱﾝ ｱﾝ")
        #expect(try ZenginText.convert("ｷﾑ ﾐﾝｼﾞｭﾝ", field: "holder_kana") == "ｷﾑ ﾐﾝｼﾞﾕﾝ")
        #expect(try ZenginText.convert("ＳＭＩＴＨ ＪＯＨＮ", field: "holder_kana") == "SMITH JOHN")
        #expect(try ZenginText.convert("ァィゥェォッャュョ", field: "holder_kana") == "ｱｲｳｴｵﾂﾔﾕﾖ")
    }

    @Test("the long vowel mark is kept, Latin of either case and width is upper-case, ( ) . - / pass")
    func marksAndLatin() throws {
        #expect(try ZenginText.convert("スーパー", field: "f") == "ｽｰﾊﾟｰ")
        #expect(try ZenginText.convert("smith j.", field: "f") == "SMITH J.")
        #expect(try ZenginText.convert("ｓｍｉｔｈ（ｊ）－１／２", field: "f") == "SMITH(J)-1/2")
        // A decomposed voiced kana (base + combining mark) is the same as the composed one.
        #expect(try ZenginText.convert("カ\u{3099}", field: "f") == "ｶﾞ")
        #expect(try ZenginText.convert("  ﾀﾅｶ  ", field: "f") == "ﾀﾅｶ")
    }

    @Test("kanji, hiragana, emoji and other symbols are refused with the field and kind named, never the text")
    func refusals() {
        let cases: [(String, String, Int)] = [
            ("山田 タロウ", "kanji", 1), ("タなか", "hiragana", 2), ("ABC😀", "an emoji", 4),
            ("A,B", "a symbol that is not ( ) . - /", 2), ("JOSÉ", "a Latin letter", 4),
        ]
        for (text, kind, position) in cases {
            do {
                _ = try ZenginText.convert(text, field: "holder_kana")
                Issue.record("converted a name with \(kind)")
            } catch {
                #expect(error.field == "holder_kana")
                #expect(error.kind.hasPrefix(kind))
                #expect(error.position == position)
                #expect(!error.description.contains(text))
            }
        }
    }

    @Test("JIS X 0201: half-width katakana are single bytes A1…DF, the voiced marks bytes of their own")
    func jisBytes() {
        #expect(JISX0201.encode("ｶﾞ") == [0xB6, 0xDE])
        #expect(JISX0201.encode("ﾊﾟ") == [0xCA, 0xDF])
        #expect(JISX0201.encode("ｱA1 ") == [0xB1, 0x41, 0x31, 0x20])
        #expect(JISX0201.encode("ア") == nil)
        #expect(JISX0201.decode([0xB6, 0xDE, 0x41]) == "ｶﾞA")
    }
}
