/// Text in the Zengin character set (interface §3): half-width katakana (large kana only, with
/// the voiced marks `ﾞ` `ﾟ` as characters of their own and the long vowel mark `ｰ`), upper-case
/// Latin letters, digits, space and `( ) . - /`.
///
/// A holder's name arrives as the bank has it, often full-width; ``convert(_:field:)`` maps it
/// onto that set or refuses it, naming the field and the kind of character, never the name.
public enum ZenginText {
    /// Why a text cannot be written in the Zengin character set. The message names the field,
    /// the position and the kind of character, never the text (a holder's name is personal data).
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public let field: String
        /// 1-based position of the first character refused.
        public let position: Int
        /// What kind of character it is ("kanji", "hiragana", "an emoji", …).
        public let kind: String

        public var description: String {
            "\(field) has \(kind) at character \(position): only katakana, Latin letters, digits, space and ( ) . - / "
                + "can be written in the bank file"
        }
    }

    static let dakuten: Unicode.Scalar = "\u{FF9E}"
    static let handakuten: Unicode.Scalar = "\u{FF9F}"

    /// Converts `text` (trimmed of surrounding spaces) to the Zengin set: full-width katakana to
    /// half-width, small kana to large, `ー` kept (as `ｰ`), `・` as a space, Latin letters of either
    /// case or width to upper-case half-width, full-width digits and punctuation to half-width.
    /// Anything else (kanji, hiragana, emoji, other symbols) is refused.
    public static func convert(_ text: String, field: String) throws(Refusal) -> String {
        var out = String.UnicodeScalarView()
        var position = 0
        for character in text {
            position += 1
            for scalar in character.unicodeScalars {
                guard let mapped = map(scalar) else {
                    throw Refusal(field: field, position: position, kind: kind(of: scalar))
                }
                out.append(contentsOf: mapped.unicodeScalars)
            }
        }
        return String(out).trimmingSpaces
    }

    /// Half-width katakana that are in the set: `ｦ` and `ｱ`…`ﾝ` (the small ones `ｧ`…`ｯ` are not).
    static func isKatakana(_ s: Unicode.Scalar) -> Bool {
        s == "\u{FF66}" || (0xFF71...0xFF9D).contains(s.value)
    }

    /// One scalar of the input as text of the set, or nil when it has no place in it.
    static func map(_ s: Unicode.Scalar) -> String? {
        switch s.value {
        case 0x61...0x7A:
            return String(Character(Unicode.Scalar(s.value - 0x20)!))
        case 0x20, 0x28, 0x29, 0x2D, 0x2E, 0x2F, 0x30...0x39, 0x41...0x5A:
            return String(Character(s))
        case 0xFF01...0xFF5E:
            // Full-width ASCII: the same rules on its half-width twin.
            return map(Unicode.Scalar(s.value - 0xFEE0)!)
        case 0x3000, 0x30FB, 0xFF65:
            // The ideographic space and the middle dot `・` (full or half width) between name parts.
            return " "
        case 0x30FC, 0xFF70:
            return "\u{FF70}"
        case 0x3099, 0x309B, 0xFF9E:
            return String(Character(dakuten))
        case 0x309A, 0x309C, 0xFF9F:
            return String(Character(handakuten))
        case 0xFF67...0xFF6F:
            return smallHalfWidth[s.value].map { String(Character(Unicode.Scalar($0)!)) }
        case 0xFF66, 0xFF71...0xFF9D:
            return String(Character(s))
        case 0x30A1...0x30FA:
            return fullWidthKatakana[s.value]
        default:
            return nil
        }
    }

    /// Small half-width kana to their large forms.
    static let smallHalfWidth: [UInt32: UInt32] = [
        0xFF67: 0xFF71, 0xFF68: 0xFF72, 0xFF69: 0xFF73, 0xFF6A: 0xFF74, 0xFF6B: 0xFF75,
        0xFF6C: 0xFF94, 0xFF6D: 0xFF95, 0xFF6E: 0xFF96, 0xFF6F: 0xFF82,
    ]

    /// Full-width katakana (ァ U+30A1 … ヺ U+30FA) to half-width: small kana as large, voiced kana
    /// as the plain kana followed by `ﾞ` or `ﾟ`, the old kana ヰ ヱ as イ エ.
    static let fullWidthKatakana: [UInt32: String] = {
        // The full-width block in code order, each with its half-width form ("" = no form).
        let forms = [
            "ｱ", "ｱ", "ｲ", "ｲ", "ｳ", "ｳ", "ｴ", "ｴ", "ｵ", "ｵ",  // ァアィイゥウェエォオ
            "ｶ", "ｶﾞ", "ｷ", "ｷﾞ", "ｸ", "ｸﾞ", "ｹ", "ｹﾞ", "ｺ", "ｺﾞ",  // カガキギクグケゲコゴ
            "ｻ", "ｻﾞ", "ｼ", "ｼﾞ", "ｽ", "ｽﾞ", "ｾ", "ｾﾞ", "ｿ", "ｿﾞ",  // サザシジスズセゼソゾ
            "ﾀ", "ﾀﾞ", "ﾁ", "ﾁﾞ", "ﾂ", "ﾂ", "ﾂﾞ", "ﾃ", "ﾃﾞ", "ﾄ", "ﾄﾞ",  // タダチヂッツヅテデトド
            "ﾅ", "ﾆ", "ﾇ", "ﾈ", "ﾉ",  // ナニヌネノ
            "ﾊ", "ﾊﾞ", "ﾊﾟ", "ﾋ", "ﾋﾞ", "ﾋﾟ", "ﾌ", "ﾌﾞ", "ﾌﾟ", "ﾍ", "ﾍﾞ", "ﾍﾟ", "ﾎ", "ﾎﾞ", "ﾎﾟ",
            "ﾏ", "ﾐ", "ﾑ", "ﾒ", "ﾓ",  // マミムメモ
            "ﾔ", "ﾔ", "ﾕ", "ﾕ", "ﾖ", "ﾖ",  // ャヤュユョヨ
            "ﾗ", "ﾘ", "ﾙ", "ﾚ", "ﾛ",  // ラリルレロ
            "ﾜ", "ﾜ", "ｲ", "ｴ", "ｦ", "ﾝ",  // ヮワヰヱヲン
            "ｳﾞ", "ｶ", "ｹ", "ﾜﾞ", "ｲﾞ", "ｴﾞ", "ｦﾞ",  // ヴヵヶヷヸヹヺ
        ]
        precondition(forms.count == 0x30FA - 0x30A1 + 1, "the katakana table covers U+30A1…U+30FA")
        var table: [UInt32: String] = [:]
        for (offset, form) in forms.enumerated() { table[0x30A1 + UInt32(offset)] = form }
        return table
    }()

    /// The kind of a refused character, for the message.
    static func kind(of s: Unicode.Scalar) -> String {
        switch s.value {
        case 0x3041...0x309F: return "hiragana"
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3FFFF: return "kanji"
        case 0x1F000...0x1FAFF, 0x2600...0x27BF, 0xFE0F, 0x200D: return "an emoji"
        case 0x00...0x1F, 0x7F...0x9F: return "a control character"
        case 0x21...0x7E: return "a symbol that is not ( ) . - /"
        case 0x80...0x24F: return "a Latin letter with an accent (write it without)"
        default: return "a character outside katakana and Latin letters"
        }
    }
}

extension String {
    /// The text without leading and trailing spaces.
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars = scalars.dropFirst() }
        while scalars.last == " " { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
