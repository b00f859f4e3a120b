import Screening

/// Reads and writes partner lists as CSV with a header row.
///
/// Columns, by header name: `name` and `country` (required); `japanese_name`, `level`,
/// `department`, `tmu_faculty` (or `home_faculty`), `aliases` (optional). One row per
/// institution; an institution with several agreements lists them `|`-separated and aligned in
/// `level`, `department` and `tmu_faculty`. Rows naming the same institution and country again
/// add agreements to it. Aliases are `|`-separated.
public enum PartnerListCSV {
    /// A problem with one line of a partner list.
    public struct LineError: Error, Sendable, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    public static let header = "name,japanese_name,country,level,department,tmu_faculty,aliases"
    /// The most columns a partner list's header or row may have.
    public static let maxColumns = 32

    /// Parses a whole CSV text. All line errors are collected; any error rejects the list.
    public static func parse(_ text: String) throws(ListError) -> [Partner] {
        // A real CSV reader: quoted fields may hold commas, quotes and line breaks.
        let rows = CSV.rows(text)
        guard let headerRow = rows.first else {
            throw ListError(errors: [LineError(line: 1, message: "the file is empty")])
        }
        // A list has 7 columns; a million of them is not a partner list (exclusions refuse them too).
        guard headerRow.fields.count <= maxColumns else {
            let message = "the header has \(headerRow.fields.count) columns; at most \(maxColumns) are read"
            throw ListError(errors: [LineError(line: 1, message: message)])
        }
        let columns = headerRow.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ names: String...) -> Int? { names.lazy.compactMap { columns.firstIndex(of: $0) }.first }
        guard let nameColumn = column("name", "english_name"), let countryColumn = column("country") else {
            throw ListError(errors: [
                LineError(
                    line: 1,
                    message:
                        "the header must name the columns \"name\" and \"country\"; it has "
                            + "\(columns.joined(separator: ", "))"
                )
            ])
        }
        let japanese = column("japanese_name")
        let level = column("level", "agreement_level")
        let department = column("department")
        let faculty = column("tmu_faculty", "home_faculty")
        let aliases = column("aliases")

        var partners: [Partner] = []
        var index: [String: Int] = [:]
        var errors: [LineError] = []
        for row in rows.dropFirst() {
            let fields = row.fields
            if fields.count > maxColumns {
                let message = "the row has \(fields.count) fields; at most \(maxColumns) are read"
                errors.append(LineError(line: row.line, message: message))
                continue
            }
            func value(_ i: Int?) -> String {
                i.flatMap { $0 < fields.count ? fields[$0].trimmingCharacters(in: .whitespaces) : nil } ?? ""
            }
            let name = value(nameColumn)
            let country = value(countryColumn).uppercased()
            if name.isEmpty {
                errors.append(LineError(line: row.line, message: "the name is empty"))
                continue
            }
            if !ISOCountries.isValid(country) {
                errors.append(
                    LineError(line: row.line, message: "\"\(country)\" is not an ISO 3166-1 alpha-2 country code"))
                continue
            }
            let levels = value(level).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let departments = value(department).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let faculties = value(faculty).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let count = max(levels.count, 1)
            let agreements = (0..<count).map { i in
                Partner.Agreement(
                    level: i < levels.count ? levels[i] : "", department: i < departments.count ? departments[i] : "",
                    homeFaculty: i < faculties.count ? faculties[i] : "")
            }
            let aliasList = value(aliases).split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter
            { !$0.isEmpty }
            let key = name.lowercased() + "|" + country
            if let existing = index[key] {
                partners[existing].agreements += agreements
                partners[existing].aliases += aliasList.filter { !partners[existing].aliases.contains($0) }
            } else {
                index[key] = partners.count
                partners.append(
                    Partner(
                        name: name, japaneseName: value(japanese), country: country, agreements: agreements,
                        aliases: aliasList))
            }
        }
        if !errors.isEmpty { throw ListError(errors: errors) }
        if partners.isEmpty { throw ListError(errors: [LineError(line: 2, message: "the list has no institutions")]) }
        return partners
    }

    /// All problems of a rejected list.
    public struct ListError: Error, Sendable, CustomStringConvertible {
        public let errors: [LineError]
        public var description: String { errors.map(\.description).joined(separator: "\n") }
    }
}
