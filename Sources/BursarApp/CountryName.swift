import Foundation
import Screening

/// Country names for people: `bursar show` and `review list` name countries, not codes (interface §2).
enum CountryName {
    private static let english = Locale(identifier: "en_US")

    /// The English name of an ISO 3166-1 alpha-2 code; the code itself when it has none.
    static func of(_ code: String) -> String {
        guard ISOCountries.isValid(code) else { return code }
        if code == "XK" { return "Kosovo" }
        return english.localizedString(forRegionCode: code) ?? code
    }

    /// `text` with each parenthesised country code, as clause explanations write them
    /// (`Berlin (DE)`), replaced by the country's name (`Berlin (Germany)`).
    static func naming(in text: String) -> String {
        guard text.contains("(") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "(") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            let code = after.prefix(2)
            if code.count == 2, after.dropFirst(2).first == ")", code.allSatisfy({ $0.isUppercase && $0.isASCII }),
                ISOCountries.isValid(String(code))
            {
                out += "(" + of(String(code)) + ")"
                rest = after.dropFirst(3)
            } else {
                out += "("
                rest = after
            }
        }
        return out + rest
    }
}
