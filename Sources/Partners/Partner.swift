/// An institution on a program's partner list, with all of its agreements.
public struct Partner: Sendable, Equatable {
    /// One agreement with the institution.
    public struct Agreement: Sendable, Equatable {
        /// `全学` (university-wide) or `部局間` (departmental), or the list's own words.
        public var level: String
        /// The partner's department or faculty, when the agreement names one.
        public var department: String
        /// The faculty of the home university that signed, when given.
        public var homeFaculty: String
        public init(level: String, department: String = "", homeFaculty: String = "") {
            self.level = level
            self.department = department
            self.homeFaculty = homeFaculty
        }
    }

    /// English name as the institution spells it.
    public var name: String
    public var japaneseName: String
    /// ISO 3166-1 alpha-2.
    public var country: String
    public var agreements: [Agreement]
    /// Other names: the OCR spelling where it was corrected, common other forms.
    public var aliases: [String]

    public init(
        name: String, japaneseName: String = "", country: String, agreements: [Agreement], aliases: [String] = []
    ) {
        self.name = name
        self.japaneseName = japaneseName
        self.country = country
        self.agreements = agreements
        self.aliases = aliases
    }

    /// Every name the partner is known by.
    public var allNames: [String] { [name] + (japaneseName.isEmpty ? [] : [japaneseName]) + aliases }
}
