import Foundation

/// Folding of names for comparison: Unicode compatibility forms, case, accents and
/// diacritics, and punctuation do not matter.
public enum TextFold {
    private static let special: [Character: String] = [
        "ß": "ss", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "þ": "th",
        "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i", "ħ": "h",
    ]

    /// Lower-case words of `text` with accents removed and punctuation treated as spaces:
    /// `"Seo-yeon"` → `["seo", "yeon"]`, `"Umeå"` → `["umea"]`.
    public static func words(_ text: String) -> [String] {
        if let ascii = asciiWords(text) { return ascii }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        let decomposed = text.precomposedStringWithCompatibilityMapping.decomposedStringWithCanonicalMapping
        for ch in decomposed {
            if let replacement = special[ch] {
                out += replacement
                continue
            }
            for scalar in ch.unicodeScalars {
                let props = scalar.properties
                if props.generalCategory == .nonspacingMark || props.generalCategory == .spacingMark
                    || props.generalCategory == .enclosingMark
                {
                    continue
                }
                if props.isAlphabetic || props.numericType != nil {
                    out.unicodeScalars.append(contentsOf: String(scalar).lowercased().unicodeScalars)
                } else if scalar == "'" || scalar == "’" || scalar == "`" {
                    continue  // O'Brien = OBrien
                } else {
                    out.append(" ")
                }
            }
        }
        return out.split(separator: " ").map(String.init)
    }

    /// The fast path for ASCII text (most names): bytes only, no Unicode tables.
    static func asciiWords(_ text: String) -> [String]? {
        var words: [String] = []
        var current: [UInt8] = []
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            switch byte {
            case 0x41...0x5A: current.append(byte + 0x20)
            case 0x61...0x7A, 0x30...0x39: current.append(byte)
            case 0x27, 0x60: continue  // O'Brien = OBrien
            default:
                if !current.isEmpty {
                    words.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                }
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }

    /// The folded text as one space-separated string.
    public static func folded(_ text: String) -> String { words(text).joined(separator: " ") }
}
