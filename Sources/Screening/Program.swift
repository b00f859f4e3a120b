import Banking
import Foundation

/// A program's definition: everything of its guideline that is data rather than logic
/// (interface §4). Loaded from `db/programs/<id>.json` and stored in the database.
public struct Program: Sendable, Codable, Equatable {
    /// A value per course.
    public struct PerCourse<Value: Sendable & Codable & Equatable>: Sendable, Codable, Equatable {
        public var master: Value
        public var doctoral: Value
        public subscript(course: Course) -> Value { course == .master ? master : doctoral }
    }

    /// A country or region of note 1.
    public struct Country: Sendable, Codable, Equatable {
        public var code: String
        public var name: String
    }

    /// A city or state of note 2, with the country it lies in (a city name alone is ambiguous:
    /// there is a Moscow in Idaho and a London in Ontario).
    public struct Place: Sendable, Codable, Equatable {
        public enum Kind: String, Sendable, Codable { case city, state }
        public var name: String
        public var country: String
        public var kind: Kind
        /// Which list of note 2: `sister_friendship` or `anmc21`.
        public var list: String
        /// Other spellings (`Peking`, `Ulan Bator`), and for a state its capital-named forms
        /// (São Paulo, Sydney): a city written without its state counts through them.
        public var aliases: [String]
    }

    /// Language equivalences of clause (4), with their source.
    public struct LanguageEquivalences: Sendable, Codable, Equatable {
        /// JLPT level N2 or higher: the largest accepted N-number.
        public var jlptWeakestLevel: Int
        public var cefrMinimum: String
        public var ieltsMinimum: String
        public var toeflIbtMinimum: Int
        public var toeicMinimum: Int
        public var source: String
    }

    public var id: String
    public var name: String
    /// Stamped on every decision, e.g. `tgp-2026@1`.
    public var ruleSet: String
    public var enrollmentDate: CalendarDate
    public var stipendYenPerMonth: Int
    /// Months of stipend: "two consecutive years for a master's program and three consecutive
    /// years for a doctoral program".
    public var durationMonths: PerCourse<Int>
    public var minimumAge: PerCourse<Int>
    /// The GPA required by clause (3), as written: "2.30".
    public var gpaThreshold: String
    /// The GPA expected during the scholarship ("maintain a 2.3 GPA or above").
    public var gpaMaintain: String
    public var requiredDocuments: PerCourse<[DocumentType]>
    /// `language_certificate` is required whenever the language evidence is a test score.
    public var languageCertificateForTestScores: Bool
    public var language: LanguageEquivalences
    public var asianCountries: [Country]
    public var places: [Place]
    /// Who pays, from which account (interface §3, the Zengin file's header); checked at load.
    public var remitter: Remitter?

    /// Reads a program definition from its JSON file's bytes.
    public static func decode(_ data: Data) throws -> Program {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Program.self, from: data)
    }

    /// The JSON form stored in the database.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(self)
    }

    /// The GPA threshold as an exact fraction.
    public var gpaThresholdValue: Rational { Rational(decimal: gpaThreshold) ?? Rational(23, 10) }
}
