import Screening

/// An institution name reduced to the words that identify it.
///
/// Normalization: Unicode NFKC, case, accents and diacritics, punctuation, Cyrillic look-alike
/// letters inside Latin words (OCR), the words "the", "of" and their kin in the languages of the
/// lists, abbreviations ("Univ.", "Inst.", "St."), and transliterations of the same word
/// (Universität, Université, Universidad, Universitas, Universiti … are all "university").
public struct InstitutionName: Sendable, Equatable {
    /// Canonical words in the order written.
    public let words: [String]

    /// Words sorted, so word order does not matter.
    public let sortedWords: [String]
    /// Words run together, so spacing does not matter (`Chung-Ang` = `Chungang`).
    public let joined: String

    public init(_ text: String) {
        let ascii = text.utf8.allSatisfy { $0 < 0x80 }
        words = TextFold.words(ascii ? text : InstitutionName.latinizeLookAlikes(text)).compactMap { word in
            let canonical = InstitutionName.synonyms[word] ?? word
            return InstitutionName.stopWords.contains(canonical) ? nil : canonical
        }
        sortedWords = words.sorted()
        joined = words.joined()
    }

    /// Maps Cyrillic letters that look like Latin ones, in words that also hold Latin letters.
    static func latinizeLookAlikes(_ text: String) -> String {
        let map: [Character: Character] = [
            "А": "A", "а": "a", "В": "B", "С": "C", "с": "c", "Е": "E", "е": "e", "Н": "H", "К": "K", "М": "M",
            "О": "O", "о": "o", "Р": "P", "р": "p", "Т": "T", "Х": "X", "х": "x", "у": "y", "і": "i", "І": "I",
        ]
        return text.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            let hasLatin = word.unicodeScalars.contains { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
            guard hasLatin else { return String(word) }
            return String(word.map { map[$0] ?? $0 })
        }.joined(separator: " ")
    }

    static let stopWords: Set<String> = [
        "the", "of", "at", "in", "de", "di", "da", "do", "dos", "das", "del", "della", "degli", "delle", "des", "du",
        "la", "le", "les", "el", "los", "las", "van", "von", "der", "den", "and", "und", "et", "y", "e", "for", "a",
        "studi", "ac",
    ]

    static let synonyms: [String: String] = {
        var map: [String: String] = [:]
        for word in ["univ", "universitat", "universitaet", "universite", "universidad", "universidade", "universitas",
                     "universiti", "universita", "universiteit", "universitet", "uniwersytet", "universitatea",
                     "universitesi", "universiteti", "universitetas", "universitetet", "yliopisto", "universty",
                     "univeristy", "unversity", "universitetskaya", "egyetem"] { map[word] = "university" }
        for word in ["inst", "institut", "instituto", "istituto", "institutet"] { map[word] = "institute" }
        for word in ["tech", "technologie", "tecnologia", "teknologi", "technologii", "tecnologico"] { map[word] = "technology" }
        for word in ["politecnico", "polytechnique", "politechnika", "politeknik", "polytechnical", "poly"] { map[word] = "polytechnic" }
        for word in ["st", "ste", "sankt", "sainte"] { map[word] = "saint" }
        for word in ["nacional", "nazionale", "nationale", "natl", "nat"] { map[word] = "national" }
        for word in ["negeri", "estatal", "staatliche"] { map[word] = "state" }
        map["sciences"] = "science"
        map["angewandte"] = "applied"
        map["medizinische"] = "medical"
        map["technische"] = "technical"
        map["coll"] = "college"
        return map
    }()

    /// Words that do not tell institutions apart: a name lacking only these is "uncertain".
    static let genericWords: Set<String> = ["university", "institute", "foundation", "corporation"]

    /// Words that tell institutions apart (a city university is not the national university of the
    /// same city; "Western X University" is not "University of X"; an extension school is not its
    /// parent). They never match by spelling tolerance, and a name that differs in one of them is
    /// another institution.
    static let distinguishingWords: Set<String> = [
        "national", "state", "city", "metropolitan", "municipal", "prefectural", "federal", "western", "eastern",
        "northern", "southern", "north", "south", "east", "west", "central", "upper", "lower", "new", "old",
        "extension", "college", "school", "polytechnic", "technology", "technical", "medical", "medicine", "health",
        "nursing", "science", "applied", "normal", "agricultural", "agriculture", "open", "catholic", "christian",
        "international", "community", "junior", "graduate", "hospital", "academy", "campus", "arts", "art",
        "engineering", "economics", "law", "education", "pharmacy", "management", "business", "teachers",
        "american", "european", "free", "libre", "vrije", "i", "ii", "iii", "iv", "v",
    ]

    static func isDistinguishing(_ word: String) -> Bool {
        distinguishingWords.contains(word) || word.allSatisfy { $0.isNumber }
    }
}
