import Foundation
import Screening

/// A name split at its brackets: "Universiti Teknologi Malaysia (UTM)" is the outer
/// "Universiti Teknologi Malaysia" and the inner "UTM". Applicants bracket an abbreviation, a
/// local-language or English form, a former name or the country; each part is tried on its own.
struct Parenthetical {
    /// The name without its bracketed parts.
    let outer: String
    /// Each bracketed part, with a leading "formerly", "now" … removed.
    let inner: [String]

    private static let pairs: [Character: Character] = ["(": ")", "[": "]", "（": "）", "【": "】", "［": "］"]
    /// Words that introduce another name inside brackets.
    private static let lead: Set<String> = [
        "formerly", "former", "previously", "now", "aka", "ex", "also", "known", "as", "currently",
    ]

    init(_ text: String) {
        var outer = ""
        var inner: [String] = []
        var current = ""
        var closing: Character?
        for ch in text {
            if let close = closing {
                if ch == close {
                    inner.append(current)
                    current = ""
                    closing = nil
                } else {
                    current.append(ch)
                }
            } else if let close = Parenthetical.pairs[ch] {
                closing = close
                outer.append(" ")
            } else {
                outer.append(ch)
            }
        }
        if closing != nil { outer += " " + current }  // an unclosed bracket is no bracket
        self.outer = outer.trimmingCharacters(in: .whitespaces)
        self.inner = inner.flatMap(Parenthetical.names).map { part in
            var words = part.split(separator: " ").map(String.init)
            while let first = words.first, Parenthetical.lead.contains(Parenthetical.bare(first)) {
                words.removeFirst()
            }
            Parenthetical.dropTrailingDate(&words)
            return words.joined(separator: " ")
        }.filter { !TextFold.words($0).isEmpty }
    }

    /// A word lower-cased without surrounding punctuation.
    private static func bare(_ word: String) -> String {
        word.lowercased().trimmingCharacters(in: .punctuationCharacters)
    }

    /// The names one bracket lists: "(PENS / EEPIS)" holds two abbreviations, each tried on its
    /// own. Only a slash between spaces and a semicolon separate: "TU/e" is one abbreviation.
    private static func names(_ bracket: String) -> [String] {
        bracket.components(separatedBy: " / ").flatMap { $0.components(separatedBy: ";") }
    }

    /// Words that date a name in brackets: "(formerly National Aviation University until 2024)".
    private static let dating: Set<String> = ["until", "till", "before", "since", "from", "in", "to"]

    /// Removes a date at the end of a bracketed name — "until 2024", "since 1998", "from 1949 to
    /// 2024" — which tells when the name was used, not which institution; a bracket of years
    /// alone ("(1994–2024)") goes whole. A year without such a word stays: it may be part of the
    /// name.
    private static func dropTrailingDate(_ words: inout [String]) {
        func isYears(_ word: String) -> Bool {
            let parts = bare(word).split(whereSeparator: { "-–—/".contains($0) })
            return !parts.isEmpty && parts.allSatisfy { $0.count == 4 && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        }
        if words.allSatisfy({ isYears($0) || dating.contains(bare($0)) }) {
            words.removeAll()
            return
        }
        while words.count >= 2, isYears(words[words.count - 1]), dating.contains(bare(words[words.count - 2])) {
            words.removeLast(2)
        }
    }
}

extension Parenthetical {
    /// True for a written abbreviation: one short word with at least two capitals, of letters,
    /// digits, `&`, `-`, `*`, `/` or dots ("UTM", "NTHU", "A*STAR", "E-JUST", "TU/e", "LiU").
    /// "(Wuhan)" or "(Beijing)" is a place, not an abbreviation.
    static func isAbbreviation(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 10, !trimmed.contains(" ") else { return false }
        let capitals = trimmed.unicodeScalars.filter { CharacterSet.uppercaseLetters.contains($0) }
        return capitals.count >= 2
            && trimmed.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) || "&-*/.".unicodeScalars.contains($0)
            }
    }
}

extension Parenthetical {
    /// Words that state what kind of institution a name is, not which one.
    private static let statusWords: Set<String> = [
        "a", "an", "the", "central", "state", "public", "private", "national", "deemed", "to", "be", "autonomous",
        "constituent", "federal", "government", "university", "institute", "institution", "college", "of",
    ]
    /// The words among them that make a bracket a status rather than a name.
    private static let status: Set<String> = [
        "central", "state", "public", "private", "deemed", "autonomous", "constituent", "federal", "government",
    ]

    /// True for a bracketed status of the institution named outside the brackets, not another
    /// institution: "(A Central University)", "(Deemed to be University)", "(An Autonomous
    /// Institute)". It is set aside like an abbreviation when the outside matches a partner.
    static func isStatus(_ text: String) -> Bool {
        let words = TextFold.words(text)
        let startsAsStatus = ["a", "an", "deemed"].contains(words.first ?? "")
        return startsAsStatus && words.allSatisfy(statusWords.contains) && words.contains(where: status.contains)
    }
}

extension PartnerMatch {
    /// The same answer with how it was reached put first.
    func explained(_ how: String) -> PartnerMatch {
        PartnerMatch(result: result, partner: partner, candidates: candidates, reason: "\(how): \(reason)")
    }
}
