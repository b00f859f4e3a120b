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
        var out = ""
        out.reserveCapacity(text.utf8.count)
        let decomposed = text.precomposedStringWithCompatibilityMapping.decomposedStringWithCanonicalMapping
        for ch in decomposed {
            if let replacement = special[ch] { out += replacement; continue }
            for scalar in ch.unicodeScalars {
                let props = scalar.properties
                if props.generalCategory == .nonspacingMark || props.generalCategory == .spacingMark || props.generalCategory == .enclosingMark { continue }
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

    /// The folded text as one space-separated string.
    public static func folded(_ text: String) -> String { words(text).joined(separator: " ") }
}
