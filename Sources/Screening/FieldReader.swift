import Foundation

/// Collects typed fields from a JSON record and every error found on the way.
struct FieldReader {
    var errors: [FieldError] = []

    mutating func fail(_ path: String, _ message: String) {
        errors.append(FieldError(field: path, message: message))
    }

    static func isValidApplicantID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count)
            && id.utf8.allSatisfy { b in
                (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b) || b == 46 || b == 95
                    || b == 45
            }
    }

    // MARK: scalars

    mutating func present(_ value: JSONValue?, _ path: @autoclosure () -> String) -> JSONValue? {
        guard let value, value != .null else {
            fail(path(), "is required")
            return nil
        }
        return value
    }

    mutating func string(
        _ value: JSONValue?, _ path: @autoclosure () -> String, maxLength: Int, allowEmpty: Bool = false
    ) -> String? {
        guard let value = present(value, path()) else { return nil }
        guard case .string(let text) = value else {
            fail(path(), "must be a string, not \(value.typeName)")
            return nil
        }
        if !allowEmpty && text.unicodeScalars.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\u{3000}" }) {
            fail(path(), "must not be empty")
            return nil
        }
        // Characters never outnumber UTF-8 bytes: count them only when the bytes might be too many.
        if text.utf8.count > maxLength, text.count > maxLength {
            fail(path(), "is \(text.count) characters long; at most \(maxLength) are allowed")
            return nil
        }
        let ascii = text.utf8.allSatisfy { $0 < 0x80 }
        let control =
            ascii
            ? text.utf8.contains { $0 < 0x20 || $0 == 0x7F }
            : text.unicodeScalars.contains { $0.properties.generalCategory == .control }
        if control {
            fail(path(), "contains control characters")
            return nil
        }
        return text
    }

    mutating func optionalString(_ value: JSONValue?, _ path: @autoclosure () -> String, maxLength: Int) -> String? {
        guard let value, value != .null else { return nil }
        return string(value, path(), maxLength: maxLength)
    }

    mutating func applicantID(_ value: JSONValue?, _ path: @autoclosure () -> String) -> String? {
        guard let text = string(value, path(), maxLength: 64) else { return nil }
        guard Self.isValidApplicantID(text) else {
            fail(path(), "must be 1–64 characters of A–Z, a–z, 0–9, '.', '_' or '-'")
            return nil
        }
        return text
    }

    mutating func name(_ value: JSONValue?, _ path: @autoclosure () -> String) -> String? {
        string(value, path(), maxLength: ApplicationDecoder.maxNameLength, allowEmpty: true)
    }

    mutating func bool(_ value: JSONValue?, _ path: @autoclosure () -> String) -> Bool? {
        guard let value = present(value, path()) else { return nil }
        guard case .bool(let flag) = value else {
            fail(path(), "must be true or false, not \(value.typeName)")
            return nil
        }
        return flag
    }

    mutating func date(_ value: JSONValue?, _ path: @autoclosure () -> String) -> CalendarDate? {
        guard let text = string(value, path(), maxLength: 10) else { return nil }
        // The value is not repeated: a birth date is personal data, and messages never show it.
        guard let date = CalendarDate(iso: text) else {
            fail(path(), "is not a valid YYYY-MM-DD date")
            return nil
        }
        guard date.year >= 1900 && date.year <= 2100 else {
            fail(path(), "is out of range (years 1900–2100)")
            return nil
        }
        return date
    }

    mutating func enumeration<E: RawRepresentable & CaseIterable>(
        _ value: JSONValue?, _ path: @autoclosure () -> String
    ) -> E? where E.RawValue == String {
        guard let text = string(value, path(), maxLength: 64) else { return nil }
        guard let member = E(rawValue: text) else {
            let allowed = E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            fail(path(), "is not one of \(allowed)")
            return nil
        }
        return member
    }

    mutating func country(_ value: JSONValue?, _ path: @autoclosure () -> String) -> String? {
        guard let text = string(value, path(), maxLength: 8) else { return nil }
        guard ISOCountries.isValid(text) else {
            // Not repeated either: a citizenship is personal data.
            fail(path(), "is not an ISO 3166-1 alpha-2 country code (upper case, e.g. \"TH\")")
            return nil
        }
        return text
    }

    mutating func array(_ value: JSONValue?, _ path: @autoclosure () -> String, minCount: Int = 0, maxCount: Int = 500)
        -> [JSONValue]?
    {
        guard let value = present(value, path()) else { return nil }
        guard case .array(let items) = value else {
            fail(path(), "must be an array, not \(value.typeName)")
            return nil
        }
        if items.count < minCount {
            fail(path(), "needs at least \(minCount) element\(minCount == 1 ? "" : "s")")
            return nil
        }
        if items.count > maxCount {
            fail(path(), "has \(items.count) elements; at most \(maxCount) are allowed")
            return nil
        }
        return items
    }

    mutating func object(_ value: JSONValue?, _ path: @autoclosure () -> String) -> JSONValue? {
        guard let value = present(value, path()) else { return nil }
        guard case .object = value else {
            fail(path(), "must be an object, not \(value.typeName)")
            return nil
        }
        return value
    }

    /// A JSON number in `range`, exact; `places` limits the decimals.
    mutating func number(
        _ value: JSONValue?, _ path: @autoclosure () -> String, range: ClosedRange<Int>, places: Int = 0
    ) -> Rational? {
        guard let value = present(value, path()) else { return nil }
        guard case .number(let text) = value else {
            fail(path(), "must be a number, not \(value.typeName)")
            return nil
        }
        let plain = Self.plainDecimal(text)
        guard let plain else {
            fail(path(), "is out of range (\(range.lowerBound)–\(range.upperBound))")
            return nil
        }
        guard let number = Rational(decimal: plain), number.denominator <= power10(places) else {
            fail(path(), places == 0 ? "is not a whole number" : "has more than \(places) decimal places")
            return nil
        }
        guard number >= Rational(range.lowerBound), number <= Rational(range.upperBound) else {
            fail(path(), "is out of range (\(range.lowerBound)–\(range.upperBound))")
            return nil
        }
        return number
    }

    /// A JSON number as plain decimal text without an exponent or trailing zeros (`1.50e1` →
    /// `15`), exactly; nil when it has more than 9 digits before the point (far out of any
    /// range read here, e.g. `1e400`). A number with more decimals than ``Rational`` keeps is
    /// left long, so that it is reported as having too many decimal places.
    static func plainDecimal(_ text: String) -> String? {
        // The common case, a short number without an exponent, is already plain.
        if text.utf8.count <= 8 && !text.utf8.contains(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            return text
        }
        var mantissa = Substring(text)
        var exponent = 0
        if let e = mantissa.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let value = Int(mantissa[mantissa.index(after: e)...].drop { $0 == "+" }), abs(value) < 1_000 else {
                // An exponent of a thousand digits or more: far too large, or far too small.
                return mantissa[mantissa.index(after: e)...].hasPrefix("-")
                    ? "0." + String(repeating: "0", count: 7) + "1" : nil
            }
            exponent = value
            mantissa = mantissa[..<e]
        }
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa = mantissa.dropFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        let digits = whole + fraction
        let point = whole.count + exponent
        var integerPart: String
        var fractionPart: String
        if point <= 0 {
            integerPart = "0"
            fractionPart = String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            integerPart = digits + String(repeating: "0", count: point - digits.count)
            fractionPart = ""
        } else {
            integerPart = String(digits.prefix(point))
            fractionPart = String(digits.dropFirst(point))
        }
        integerPart = String(integerPart.drop { $0 == "0" })
        if integerPart.isEmpty { integerPart = "0" }
        while fractionPart.hasSuffix("0") { fractionPart.removeLast() }
        guard integerPart.count <= 9 else { return nil }
        return (negative ? "-" : "") + integerPart + (fractionPart.isEmpty ? "" : "." + fractionPart)
    }

    private func power10(_ n: Int) -> Int { (0..<n).reduce(1) { acc, _ in acc * 10 } }

    // MARK: composite fields

    mutating func countries(_ value: JSONValue?, _ path: @autoclosure () -> String) -> [String]? {
        guard let items = array(value, path(), minCount: 1, maxCount: 10) else { return nil }
        var codes: [String] = []
        var ok = true
        for (i, item) in items.enumerated() {
            if let code = country(item, "\(path())[\(i)]") {
                if !codes.contains(code) { codes.append(code) }
            } else {
                ok = false
            }
        }
        return ok ? codes : nil
    }

    mutating func qualification(_ value: JSONValue?, _ path: @autoclosure () -> String) -> Qualification? {
        guard let object = object(value, path()) else { return nil }
        let degree: Qualification.Degree? = enumeration(object["degree"], "\(path()).degree")
        let status: Qualification.DegreeStatus? = enumeration(object["degree_status"], "\(path()).degree_status")
        let sixteen = bool(object["sixteen_years_education"], "\(path()).sixteen_years_education")
        let screening = bool(object["individual_screening"], "\(path()).individual_screening")
        guard let degree, let status, let sixteen, let screening else { return nil }
        return Qualification(
            degree: degree, degreeStatus: status, sixteenYearsEducation: sixteen, individualScreening: screening)
    }

    mutating func affiliation(_ value: JSONValue?, _ path: @autoclosure () -> String) -> Affiliation? {
        guard let object = object(value, path()) else { return nil }
        let institution = string(
            object["institution"], "\(path()).institution", maxLength: ApplicationDecoder.maxTextLength)
        let kind: Affiliation.Kind? = enumeration(object["kind"], "\(path()).kind")
        let country = country(object["country"], "\(path()).country")
        let city = string(
            object["city"], "\(path()).city", maxLength: ApplicationDecoder.maxTextLength, allowEmpty: true)
        let region = optionalString(object["region"], "\(path()).region", maxLength: ApplicationDecoder.maxTextLength)
        let status: Affiliation.Status? = enumeration(object["status"], "\(path()).status")
        var completed: CalendarDate?
        if let raw = object["completed_on"], raw != .null { completed = date(raw, "\(path()).completed_on") }
        if status == .graduated && completed == nil && object["completed_on"] ?? .null == .null {
            fail("\(path()).completed_on", "is required when status is \"graduated\"")
        }
        let level: Affiliation.Level? = enumeration(object["level"], "\(path()).level")
        guard let institution, let kind, let country, let city, let status, let level else { return nil }
        if status == .graduated && completed == nil { return nil }
        return Affiliation(
            institution: institution, kind: kind, country: country, city: city, region: region,
            status: status, completedOn: completed, level: level)
    }

    mutating func transcripts(_ value: JSONValue?, _ path: @autoclosure () -> String) -> [Transcript]? {
        guard let items = array(value, path(), minCount: 1, maxCount: 20) else { return nil }
        var result: [Transcript] = []
        for (i, item) in items.enumerated() {
            if let transcript = transcript(item, "\(path())[\(i)]") { result.append(transcript) }
        }
        return result.count == items.count ? result : nil
    }

    mutating func transcript(_ value: JSONValue?, _ path: @autoclosure () -> String) -> Transcript? {
        guard let object = object(value, path()) else { return nil }
        let institution = string(
            object["institution"], "\(path()).institution", maxLength: ApplicationDecoder.maxTextLength)
        let patternNumber = number(object["pattern"], "\(path()).pattern", range: 1...6)
        let pattern = patternNumber.flatMap { GradingPattern(rawValue: $0.numerator) }
        let unit: Transcript.Unit? = enumeration(object["unit"], "\(path()).unit")
        let study = optionalString(object["course"], "\(path()).course", maxLength: ApplicationDecoder.maxTextLength)
        guard let courseItems = array(object["courses"], "\(path()).courses", minCount: 1, maxCount: 400) else {
            return nil
        }
        guard let institution, let pattern, let unit else { return nil }
        var courses: [CourseRecord] = []
        for (i, item) in courseItems.enumerated() {
            if let course = course(item, "\(path()).courses[\(i)]", pattern: pattern, unit: unit) {
                courses.append(course)
            }
        }
        guard courses.count == courseItems.count else { return nil }
        return Transcript(institution: institution, pattern: pattern, unit: unit, courses: courses, course: study)
    }

    mutating func course(
        _ value: JSONValue?, _ path: @autoclosure () -> String, pattern: GradingPattern, unit: Transcript.Unit
    ) -> CourseRecord? {
        guard let object = object(value, path()) else { return nil }
        let title = string(object["title"], "\(path()).title", maxLength: ApplicationDecoder.maxTextLength)
        var grade: Grade?
        switch object["grade"] {
        case .string(let text)?:
            // A mark outside the pattern's scale is read (and excluded from the GPA), not refused.
            if text.count > ApplicationDecoder.maxTextLength {
                fail("\(path()).grade", "is longer than \(ApplicationDecoder.maxTextLength) characters")
            } else if let read = ConversionTable.read(text, pattern: pattern) {
                grade = read
            } else {
                fail("\(path()).grade", "is not a score 0–100")
            }
        case .number(let text)?:
            if let read = ConversionTable.read(text, pattern: pattern) {
                grade = read
            } else {
                fail("\(path()).grade", "is not a score 0–100")
            }
        case nil, .null?: fail("\(path()).grade", "is required")
        case let other?: fail("\(path()).grade", "must be a string or a number, not \(other.typeName)")
        }
        var credits: Rational?
        if unit == .credits {
            credits = number(object["credits"], "\(path()).credits", range: 0...99, places: 3)
            if let c = credits, c == .zero {
                fail("\(path()).credits", "must be greater than 0")
                credits = nil
            }
            if credits == nil { return nil }
        } else if let raw = object["credits"], raw != .null {
            // Ignored when the unit is subjects, but still must be a sane number.
            _ = number(raw, "\(path()).credits", range: 0...99, places: 3)
        }
        guard let title, let grade else { return nil }
        return CourseRecord(title: title, grade: grade, credits: credits)
    }

    mutating func languageEvidence(_ value: JSONValue?, _ path: @autoclosure () -> String) -> [LanguageEvidence]? {
        guard let items = array(value, path(), maxCount: 20) else { return nil }
        var result: [LanguageEvidence] = []
        for (i, item) in items.enumerated() {
            if let evidence = languageItem(item, "\(path())[\(i)]") { result.append(evidence) }
        }
        return result.count == items.count ? result : nil
    }

    mutating func languageItem(_ value: JSONValue?, _ path: @autoclosure () -> String) -> LanguageEvidence? {
        guard let object = object(value, path()) else { return nil }
        guard let kind = string(object["kind"], "\(path()).kind", maxLength: 32) else { return nil }
        switch kind {
        case "jlpt":
            guard let level = string(object["level"], "\(path()).level", maxLength: 4) else { return nil }
            guard ["N1", "N2", "N3", "N4", "N5"].contains(level) else {
                fail("\(path()).level", "is not a JLPT level (N1–N5)")
                return nil
            }
            return .jlpt(level: Int(level.dropFirst())!)
        case "cefr":
            let language = languageName(object["language"], "\(path()).language")
            let level = string(object["level"], "\(path()).level", maxLength: 4)
            if let level, !["A1", "A2", "B1", "B2", "C1", "C2"].contains(level) {
                fail("\(path()).level", "is not a CEFR level (A1–C2)")
                return nil
            }
            guard let language, let level else { return nil }
            return .cefr(language: language, level: level)
        case "ielts":
            guard let score = number(object["score"], "\(path()).score", range: 0...9, places: 1) else { return nil }
            guard (score * Rational(2)).denominator == 1 else {
                fail("\(path()).score", "IELTS bands are in steps of 0.5")
                return nil
            }
            return .ielts(score: score)
        case "toefl_ibt":
            guard let score = number(object["score"], "\(path()).score", range: 0...120) else { return nil }
            return .toeflIBT(score: score.numerator)
        case "toeic":
            guard let score = number(object["score"], "\(path()).score", range: 10...990) else { return nil }
            return .toeic(score: score.numerator)
        case "instruction_medium":
            return languageName(object["language"], "\(path()).language").map { .instructionMedium(language: $0) }
        case "school_judgment":
            return languageName(object["language"], "\(path()).language").map { .schoolJudgment(language: $0) }
        default:
            fail(
                "\(path()).kind",
                "is not one of \"jlpt\", \"cefr\", \"ielts\", \"toefl_ibt\", \"toeic\", \"instruction_medium\", "
                    + "\"school_judgment\""
            )
            return nil
        }
    }

    mutating func languageName(_ value: JSONValue?, _ path: @autoclosure () -> String) -> String? {
        guard let text = string(value, path(), maxLength: 32) else { return nil }
        guard text == "japanese" || text == "english" else {
            fail(path(), "is not \"japanese\" or \"english\"")
            return nil
        }
        return text
    }

    mutating func declarations(_ value: JSONValue?, _ path: @autoclosure () -> String) -> Declarations? {
        guard let object = object(value, path()) else { return nil }
        let learn = bool(object["will_learn_japanese"], "\(path()).will_learn_japanese")
        let network = bool(object["will_join_network"], "\(path()).will_join_network")
        let health = bool(object["health_ok"], "\(path()).health_ok")
        let military = bool(object["active_military"], "\(path()).active_military")
        let intent: Declarations.EmploymentIntent? = enumeration(
            object["employment_intent"], "\(path()).employment_intent")
        var support: [Declarations.Support]? = []
        if let items = array(object["support_at_enrollment"], "\(path()).support_at_enrollment", maxCount: 10) {
            for (i, item) in items.enumerated() {
                if let s: Declarations.Support = enumeration(item, "\(path()).support_at_enrollment[\(i)]") {
                    support?.append(s)
                } else {
                    support = nil
                }
            }
        } else {
            support = nil
        }
        var prior: [Course]? = []
        if let items = array(object["prior_mext"], "\(path()).prior_mext", maxCount: 10) {
            for (i, item) in items.enumerated() {
                if let c: Course = enumeration(item, "\(path()).prior_mext[\(i)]") {
                    prior?.append(c)
                } else {
                    prior = nil
                }
            }
        } else {
            prior = nil
        }
        guard let learn, let network, let health, let military, let intent, let support, let prior else { return nil }
        return Declarations(
            willLearnJapanese: learn, willJoinNetwork: network, healthOK: health, activeMilitary: military,
            employmentIntent: intent, supportAtEnrollment: support, priorMEXT: prior)
    }

    mutating func documents(_ value: JSONValue?, _ path: @autoclosure () -> String) -> [DocumentReference]? {
        guard let items = array(value, path(), maxCount: 50) else { return nil }
        var result: [DocumentReference] = []
        for (i, item) in items.enumerated() {
            func itemPath() -> String { "\(path())[\(i)]" }
            guard let object = object(item, itemPath()) else { continue }
            let type: DocumentType? = enumeration(object["type"], "\(itemPath()).type")
            let file = string(object["file"], "\(itemPath()).file", maxLength: 1024)
            let fileProblem = file.flatMap { DocumentPath.problem(with: $0) }
            if let fileProblem { fail("\(itemPath()).file", fileProblem) }
            let hash = string(object["sha256"], "\(itemPath()).sha256", maxLength: 64)
            if let hash,
                !(hash.utf8.count == 64
                    && hash.utf8.allSatisfy({
                        (48...57).contains($0) || (97...102).contains($0) || (65...70).contains($0)
                    }))
            {
                fail("\(itemPath()).sha256", "must be 64 hexadecimal digits")
            }
            if let type, let file, let hash, fileProblem == nil, hash.utf8.count == 64 {
                result.append(DocumentReference(type: type, file: file, sha256: hash.lowercased()))
            }
        }
        return result.count == items.count ? result : nil
    }
}

/// Lexical checks of a document path before any file is touched.
public enum DocumentPath {
    /// Why `path` can never name a file inside the batch folder, or nil.
    public static func problem(with path: String) -> String? {
        let bytes = path.utf8
        if bytes.first == UInt8(ascii: "/") || bytes.first == UInt8(ascii: "~") {
            return "must be relative to the batch folder"
        }
        if bytes.contains(0) || bytes.contains(UInt8(ascii: "\\")) {
            return "contains a character not allowed in a path"
        }
        // One pass over the parts between slashes, without splitting into arrays (this runs for
        // every document at submit and again when it is checked).
        var depth = 0
        var length = 0
        var dots = 0
        // The part just read (`length` bytes, `dots` of them dots) ends: false once above the folder.
        func endPart() -> Bool {
            defer {
                length = 0
                dots = 0
            }
            guard length > 0 else { return true }
            if length == 2 && dots == 2 { depth -= 1 } else if !(length == 1 && dots == 1) { depth += 1 }
            return depth >= 0
        }
        for byte in bytes {
            if byte == UInt8(ascii: "/") {
                if !endPart() { return "points outside the batch folder" }
            } else {
                length += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        if !endPart() { return "points outside the batch folder" }
        if depth == 0 { return "does not name a file" }
        return nil
    }
}
