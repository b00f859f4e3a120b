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
    /// Each word's length in characters (for spelling tolerance).
    let lengths: [Int]

    public init(_ text: String) {
        let ascii = text.utf8.allSatisfy { $0 < 0x80 }
        let folded = TextFold.words(ascii ? text : InstitutionName.latinizeLookAlikes(text))
        words = InstitutionName.joiningInitials(folded).compactMap { written in
            let word = ascii ? written : CJKVariants.fold(written)
            let canonical = InstitutionName.synonyms[word] ?? InstitutionName.misspeltSynonym(word) ?? word
            return InstitutionName.stopWords.contains(canonical) ? nil : canonical
        }
        sortedWords = words.sorted()
        joined = words.joined()
        lengths = words.map(\.count)
    }

    /// Runs of single letters are one abbreviation: "H.N.B. Garhwal" is "HNB Garhwal", "A.C." is
    /// "AC". A single letter alone stays a word ("A Coruña", "U of Regina").
    static func joiningInitials(_ words: [String]) -> [String] {
        var out: [String] = []
        var run = ""
        var runLength = 0
        func flush() {
            if runLength > 0 { out.append(run) }
            run = ""
            runLength = 0
        }
        for word in words {
            if word.count == 1, word.first!.isLetter {
                run += word
                runLength += 1
            } else {
                flush()
                out.append(word)
            }
        }
        flush()
        return out
    }

    /// A long word one edit away from a long synonym ("Unversitas", "Politenico") is that
    /// synonym misspelt. Only synonyms of eight letters or more, so that no proper name is
    /// taken for "university" ("Diversity" is two edits away).
    static func misspeltSynonym(_ word: String) -> String? {
        let scalars = Array(word.unicodeScalars)
        guard scalars.count >= 7, scalars.count <= 16 else { return nil }
        // One edit of a word of seven letters or more leaves its first three or its last three
        // letters as they were: a cheap test before the edit distance.
        let head = scalars.prefix(3)
        let tail = scalars.suffix(3)
        for synonym in longSynonyms where abs(synonym.scalars.count - scalars.count) <= 1 {
            guard synonym.scalars.prefix(3) == head || synonym.scalars.suffix(3) == tail else { continue }
            if Similarity.editDistance(word, synonym.key, limit: 1) <= 1 { return synonym.canonical }
        }
        return nil
    }

    private static let longSynonyms: [(key: String, scalars: [Unicode.Scalar], canonical: String)] =
        synonyms
        .filter { $0.key.count >= 8 }
        .sorted { $0.key < $1.key }
        .map { (key: $0.key, scalars: Array($0.key.unicodeScalars), canonical: $0.value) }

    /// Cyrillic letters that look like Latin ones, and the Latin letter each looks like (built
    /// once, not per name).
    static let lookAlikes: [Character: Character] = [
        "А": "A", "а": "a", "В": "B", "С": "C", "с": "c", "Е": "E", "е": "e", "Н": "H", "К": "K",
        "М": "M", "О": "O", "о": "o", "Р": "P", "р": "p", "Т": "T", "Х": "X", "х": "x", "у": "y",
        "і": "i", "І": "I",
    ]

    /// Maps Cyrillic letters that look like Latin ones, in words that also hold Latin letters.
    static func latinizeLookAlikes(_ text: String) -> String {
        text.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            let hasLatin = word.unicodeScalars.contains { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
            guard hasLatin else { return String(word) }
            return String(word.map { lookAlikes[$0] ?? $0 })
        }.joined(separator: " ")
    }

    static let stopWords: Set<String> = [
        "the", "of", "at", "in", "de", "di", "da", "do", "dos", "das", "del", "della", "degli", "delle", "des", "du",
        "la", "le", "les", "el", "los", "las", "van", "von", "der", "den", "and", "und", "et", "y", "e", "for", "a",
        "studi", "ac", "fur", "fuer",
    ]

    static let synonyms: [String: String] = {
        var map: [String: String] = [:]
        for word in [
            "univ", "universitat", "universitaet", "universite", "universidad", "universidade", "universitas",
            "universiti", "universita", "universiteit", "universitet", "uniwersytet", "universitatea",
            "universitesi", "universiteti", "universitetas", "universitetet", "yliopisto", "universty",
            "univeristy", "unversity", "universitetskaya", "egyetem", "uni", "u", "univerzita", "univerza",
            "sveuciliste", "universitatii", "daigaku", "daehakgyo", "daehak", "daxue", "vishwavidyalaya",
            "visvavidyalaya", "vidyalaya", "mahawitthayalai", "panepistimio", "universitetti",
        ] { map[word] = "university" }
        for word in ["inst", "institut", "instituto", "istituto", "institutet", "instytut"] { map[word] = "institute" }
        for word in ["tech", "technologie", "tecnologia", "teknologi", "technologii", "tecnologico", "technol"] {
            map[word] = "technology"
        }
        for word in ["politecnico", "polytechnique", "politechnika", "politeknik", "polytechnical", "poly", "polytech"]
        { map[word] = "polytechnic" }
        for word in ["sci", "scienze", "sciences", "ciencias", "sciencias", "wissenschaften"] { map[word] = "science" }
        for word in ["centre", "centro", "ctr", "zentrum"] { map[word] = "center" }
        for word in ["acad", "akademia", "akademie", "accademia", "academia"] { map[word] = "academy" }
        for word in ["intl", "internacional", "internazionale"] { map[word] = "international" }
        for word in ["st", "ste", "sankt", "sainte"] { map[word] = "saint" }
        for word in ["nacional", "nazionale", "nationale", "natl", "nat"] { map[word] = "national" }
        for word in ["negeri", "estatal", "staatliche"] { map[word] = "state" }
        // Roman numerals are numbers: "Rennes II" is "Rennes 2".
        for (numeral, digits) in [
            ("i", "1"), ("ii", "2"), ("iii", "3"), ("iv", "4"), ("v", "5"), ("vi", "6"), ("vii", "7"), ("viii", "8"),
        ] {
            map[numeral] = digits
        }
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
        "american", "european", "free", "libre", "vrije",
    ]

    static func isDistinguishing(_ word: String) -> Bool {
        distinguishingWords.contains(word) || word.allSatisfy { $0.isNumber }
    }
}
