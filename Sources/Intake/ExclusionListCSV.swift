import Formats
import Foundation
import Screening

/// One row of an exclusion list CSV
/// (`list,family_name,given_name,birth_date,citizenship,clause,reference`).
public struct ExclusionEntry: Sendable {
    public let list: String
    public let familyName: String
    public let givenName: String
    public let birthDate: CalendarDate
    public let citizenship: String
    public let clause: String
    public let reference: String

    public static let header = [
        "list", "family_name", "given_name", "birth_date", "citizenship", "clause", "reference",
    ]
    static let clauses: Set<String> = [
        "eligibility.10a", "eligibility.10b", "eligibility.10c", "eligibility.10d", "eligibility.10e",
    ]

    /// Parses the CSV; every bad line is reported, and any bad line rejects the file. The
    /// messages name the line and the field, never a value: the rows are personal data (a
    /// missing header would otherwise print the first person's name and birth date).
    public static func parse(_ text: String) throws(ListFileError) -> [ExclusionEntry] {
        let rows = CSV.rows(text)
        guard let header = rows.first else { throw ListFileError(line: 1, "the exclusion list is empty") }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        guard columns == Self.header else {
            let missing = Self.header.filter { !columns.contains($0) }
            let detail =
                missing.isEmpty
                ? "its columns are in another order"
                : "it lacks \(missing.joined(separator: ", ")) (the line is not shown: it may hold personal data)"
            throw ListFileError(
                line: header.line, "the first line must be the header \(Self.header.joined(separator: ",")); \(detail)")
        }
        var entries: [ExclusionEntry] = []
        var problems: [ListFileError.Problem] = []
        for row in rows.dropFirst() {
            let f = row.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            func problem(_ message: String) { problems.append(.init(line: row.line, message: message)) }
            guard f.count == 7 else {
                problem("expected 7 fields, found \(f.count)")
                continue
            }
            // PostgreSQL text cannot hold NUL (it had failed the import with a raw 22021 error).
            if let column = f.firstIndex(where: { $0.unicodeScalars.contains { $0 == "\u{0}" } }) {
                problem("\(Self.header[column]) contains a NUL byte")
                continue
            }
            guard !f[0].isEmpty else {
                problem("list is empty")
                continue
            }
            guard !(f[1].isEmpty && f[2].isEmpty) else {
                problem("family_name and given_name are both empty")
                continue
            }
            // The same limit as applications: a name of 256 KiB made matching take most of a minute.
            if let long = Self.tooLong(family: f[1], given: f[2]) {
                problem(long)
                continue
            }
            guard let date = CalendarDate(iso: f[3]) else {
                problem("birth_date is not a YYYY-MM-DD date")
                continue
            }
            guard ISOCountries.isValid(f[4]) else {
                problem("citizenship is not an ISO 3166-1 alpha-2 code")
                continue
            }
            guard clauses.contains(f[5]) else {
                problem("clause \"\(f[5])\" is not one of eligibility.10a … eligibility.10e")
                continue
            }
            entries.append(
                ExclusionEntry(
                    list: f[0], familyName: f[1], givenName: f[2], birthDate: date, citizenship: f[4], clause: f[5],
                    reference: f[6]))
        }
        if !problems.isEmpty { throw ListFileError(problems) }
        // A header alone imports nothing: said, rather than replacing nothing in silence.
        if entries.isEmpty {
            throw ListFileError(line: header.line + 1, "the exclusion list has a header but no entries")
        }
        return entries
    }

    /// Why a name part is longer than an application's may be (``ApplicationDecoder/maxNameLength``),
    /// or nil; the message gives the length, never the name.
    static func tooLong(family: String, given: String) -> String? {
        let limit = ApplicationDecoder.maxNameLength
        for (field, text) in [("family_name", family), ("given_name", given)] where text.utf8.count > limit {
            let length = text.count
            if length > limit {
                return "\(field) is \(length) characters long; at most \(limit) are allowed, as in applications"
            }
        }
        return nil
    }
}
