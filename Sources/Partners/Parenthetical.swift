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
    private static let lead: Set<String> = ["formerly", "former", "previously", "now", "aka", "ex", "also", "known", "as", "currently"]

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
        self.inner = inner.map { part in
            var words = part.split(separator: " ").map(String.init)
            while let first = words.first, Parenthetical.lead.contains(first.lowercased().trimmingCharacters(in: .punctuationCharacters)) {
                words.removeFirst()
            }
            return words.joined(separator: " ")
        }.filter { !TextFold.words($0).isEmpty }
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
            && trimmed.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "&-*/.".unicodeScalars.contains($0) }
    }
}

extension PartnerMatch {
    /// The same answer with how it was reached put first.
    func explained(_ how: String) -> PartnerMatch {
        PartnerMatch(result: result, partner: partner, candidates: candidates, reason: "\(how): \(reason)")
    }
}
