import Foundation

/// The rows of the guideline's Conversion Table ("Grading System" patterns 1–6).
public enum GradingPattern: Int, Sendable, CaseIterable {
    case one = 1
    case two, three, four, five, six
}

/// A grade as it stands on a transcript, after it was checked against its pattern.
public enum Grade: Sendable, Equatable, CustomStringConvertible {
    /// A grade on the pattern's evaluation scale, with the text the applicant wrote and the
    /// scale entry it was read as (e.g. `"В"` read as `B`).
    case scale(written: String, entry: String)
    /// A numeric score (patterns 3 and 6), exact.
    case score(Rational)
    /// A mark that is clearly not a grade, such as "Pass" or "Approved": excluded from the GPA.
    case outsideScale(String)
    /// A mark that looks like a grade but is not on the pattern's scale (`A-`, `B+`, `D` under
    /// pattern 2, a score under a letter pattern, a letter under a score pattern). Interface §1
    /// v1.2: it is read both ways, counted at 0 points and excluded (see ``MarkReading``).
    case lookAlike(String)

    public var description: String {
        switch self {
        case .scale(let written, _): return written
        case .score(let value):
            return value.denominator == 1 ? "\(value.numerator)" : value.decimalString(places: 2)
        case .outsideScale(let text), .lookAlike(let text): return text
        }
    }
}

/// The guideline's Conversion Table.
///
/// ```
/// Grading System  Evaluation Scale
/// Pattern 1          優 Excellent 良 Good  可 Fair  不可 Fail
/// Pattern 2          A            B        C        F
/// Pattern 3          100-80       79–70    69–60    59–0
/// Pattern 4   S      A            B        C        F
/// Pattern 5   A      B            C        D        F
/// Pattern 6   100–90 89–80        79–70    69–60    59–0
/// Grade point 3      3            2        1        0
/// ```
///
/// The table's columns carry the grade point; patterns 1–3 leave the first column empty, so
/// their best grade is worth 3 in the second column.
///
/// The OCR'd guideline prints Cyrillic `В` and `С` in patterns 2, 4 and 5; they are the Latin
/// letters B and C. Applicants who copy grades from that text must not be rejected for it, so
/// Cyrillic look-alikes (А В С Е) and full-width letters are read as the Latin letter they look
/// like, and the trace keeps what was written.
public enum ConversionTable {
    /// The grade point of a scale entry of a pattern, or nil when the entry is not on it.
    public static func gradePoint(pattern: GradingPattern, entry: String) -> Int? {
        switch pattern {
        case .one:
            return ["優": 3, "EXCELLENT": 3, "良": 2, "GOOD": 2, "可": 1, "FAIR": 1, "不可": 0, "FAIL": 0][entry]
        case .two:
            return ["A": 3, "B": 2, "C": 1, "F": 0][entry]
        case .four:
            return ["S": 3, "A": 3, "B": 2, "C": 1, "F": 0][entry]
        case .five:
            return ["A": 3, "B": 3, "C": 2, "D": 1, "F": 0][entry]
        case .three, .six:
            return nil
        }
    }

    /// The grade point of a score in pattern 3 (100-80: 3, 79–70: 2, 69–60: 1, 59–0: 0) or
    /// pattern 6 (100–90 and 89–80: 3, 79–70: 2, 69–60: 1, 59–0: 0). A fractional score falls
    /// in the band whose lower bound it reaches (79.5 is below 80, so it is in 79–70).
    public static func gradePoint(pattern: GradingPattern, score: Rational) -> Int? {
        guard pattern == .three || pattern == .six else { return nil }
        if score >= Rational(80) { return 3 }
        if score >= Rational(70) { return 2 }
        if score >= Rational(60) { return 1 }
        return 0
    }

    /// True for patterns whose grades are scores 0–100.
    public static func isScorePattern(_ pattern: GradingPattern) -> Bool { pattern == .three || pattern == .six }

    /// The scale entries of a letter or word pattern, for messages.
    public static func entries(of pattern: GradingPattern) -> [String] {
        switch pattern {
        case .one: return ["優", "良", "可", "不可", "Excellent", "Good", "Fair", "Fail"]
        case .two: return ["A", "B", "C", "F"]
        case .three: return ["a score 0–100"]
        case .four: return ["S", "A", "B", "C", "F"]
        case .five: return ["A", "B", "C", "D", "F"]
        case .six: return ["a score 0–100"]
        }
    }

    /// Folds what an applicant wrote to a scale entry: NFKC (full-width letters), Cyrillic
    /// look-alikes to Latin, upper case, surrounding spaces removed.
    public static func foldEntry(_ written: String) -> String {
        if written.utf8.allSatisfy({ $0 < 0x80 }) {
            let kept = written.utf8.filter { $0 != 0x20 && $0 != 0x09 }
            return String(decoding: kept.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }, as: UTF8.self)
        }
        let trimmed = written.trimmingCharacters(in: .whitespaces)
        let nfkc = trimmed.precomposedStringWithCompatibilityMapping
        var out = ""
        for scalar in nfkc.unicodeScalars {
            switch scalar {
            case "А", "а": out.append("A")
            case "В", "в": out.append("B")
            case "С", "с": out.append("C")
            case "Е", "е": out.append("E")
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out.uppercased()
    }

    /// Reads a grade as the applicant wrote it (a JSON string or the text of a JSON number) for
    /// a pattern; nil only for a score outside 0–100, which is a field error (interface §1).
    ///
    /// "The subjects for which the grades do not fit the evaluation scale, such as those
    /// evaluated as "Pass" or "Approved," must be excluded" (Formula, third note). Interface §1
    /// v1.2 splits the marks that are not entries of the pattern's scale in two:
    /// - a mark that looks like a grade (``looksLikeGrade(_:pattern:)``) is a ``Grade/lookAlike(_:)``,
    ///   read both ways, because excluding a failing-looking mark could lift a GPA over 2.30
    ///   without anyone seeing it;
    /// - any other mark — Pass, Approved, W, AU, Incomplete, Credit, a word in any language — is
    ///   clearly not a grade: outside the scale, excluded and named in the trace. "Such as" gives
    ///   examples, not a closed list.
    /// Neither rejects the record. A number is a score: 0–100 is on the scale of patterns 3 and 6
    /// and a look-alike under the letter patterns; a number outside 0–100 is no mark of any scale
    /// and is refused, so a typo such as 850 is not silently dropped.
    public static func read(_ written: String, pattern: GradingPattern) -> Grade? {
        var folded = foldEntry(written)
        // "85%" is the score 85.
        if folded.hasSuffix("%"), isNumeral(String(folded.dropLast())) { folded.removeLast() }
        if isNumeral(folded) {
            let digits = folded.hasPrefix("+") ? String(folded.dropFirst()) : folded
            guard let score = Rational(decimal: digits), score >= .zero, score <= Rational(100) else { return nil }
            return isScorePattern(pattern) ? .score(score) : .lookAlike(written)
        }
        if !isScorePattern(pattern), gradePoint(pattern: pattern, entry: folded) != nil {
            return .scale(written: written, entry: folded)
        }
        return looksLikeGrade(folded, pattern: pattern) ? .lookAlike(written) : .outsideScale(written)
    }

    /// The letters the Conversion Table's letter patterns use, with E between D and F: "a letter
    /// A–F or S" (interface §1 v1.2).
    static let gradeLetters: Set<Character> = ["A", "B", "C", "D", "E", "F", "S"]

    /// True when a folded mark that is not on `pattern`'s scale looks like a grade (interface §1
    /// v1.2, "Marks off the scale"): a letter A–F or S, bare or with `+`/`-` (so `D` under pattern
    /// 2, `S` under pattern 5, `B+`, and any such letter under a score pattern), or an entry of
    /// another pattern's scale (`良` or `Fail` under pattern 2, `A` under pattern 1).
    ///
    /// Reading: bare `E` is not on any pattern's scale, but it is a letter A–F and a grade in
    /// common systems (ECTS E, "sufficient"), so it is read both ways too; the words of pattern 1
    /// are grades of another pattern's scale like the letters are.
    static func looksLikeGrade(_ folded: String, pattern: GradingPattern) -> Bool {
        var letter = Substring(folded)
        if let last = letter.last, last == "+" || last == "-" || last == "\u{2212}" { letter = letter.dropLast() }
        if letter.count == 1, let first = letter.first, gradeLetters.contains(first) { return true }
        return GradingPattern.allCases.contains { $0 != pattern && gradePoint(pattern: $0, entry: folded) != nil }
    }

    /// True when the text is written as a number (`85`, `79.5`, `-3`, `1e2`), whether or not it
    /// is a score Bursar can read exactly.
    static func isNumeral(_ text: String) -> Bool {
        var scalars = Substring(text).unicodeScalars[...]
        if let sign = scalars.first, sign == "+" || sign == "-" { scalars = scalars.dropFirst() }
        var digits = 0
        var seenPoint = false
        while let c = scalars.first {
            if ("0"..."9").contains(c) { digits += 1 } else if c == ".", !seenPoint { seenPoint = true } else { break }
            scalars = scalars.dropFirst()
        }
        guard digits > 0 else { return false }
        guard let e = scalars.first else { return true }
        guard e == "E" else { return false }
        scalars = scalars.dropFirst()
        if let sign = scalars.first, sign == "+" || sign == "-" { scalars = scalars.dropFirst() }
        return !scalars.isEmpty && scalars.allSatisfy { ("0"..."9").contains($0) }
    }

    /// The grade point of a grade read for `pattern`; nil when it is not on the scale (a
    /// look-alike mark included: ``GPACalculator`` gives it 0 points in one of its readings).
    public static func gradePoint(of grade: Grade, pattern: GradingPattern) -> Int? {
        switch grade {
        case .scale(_, let entry): return gradePoint(pattern: pattern, entry: entry)
        case .score(let score): return gradePoint(pattern: pattern, score: score)
        case .outsideScale, .lookAlike: return nil
        }
    }
}
