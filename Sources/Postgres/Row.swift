import Foundation

/// A calendar date as PostgreSQL's `date` type holds it (no time, no zone).
public struct PostgresDate: Sendable, Hashable, CustomStringConvertible, PostgresBindable {
    public var year: Int
    public var month: Int
    public var day: Int
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }
    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }
    public var postgresText: String? { description }
}

/// The rows a statement returned, decoded from libpq's text format.
public struct PostgresRows: Sendable, Sequence {
    /// Column names in order.
    public let columns: [String]
    let values: [[String?]]
    /// Rows affected by an INSERT/UPDATE/DELETE (from the command tag).
    public let affectedRows: Int

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }
    public var first: PostgresRow? { values.isEmpty ? nil : self[0] }

    public subscript(index: Int) -> PostgresRow {
        PostgresRow(columns: columns, values: values[index])
    }

    public func makeIterator() -> AnyIterator<PostgresRow> {
        var i = 0
        return AnyIterator {
            guard i < values.count else { return nil }
            defer { i += 1 }
            return self[i]
        }
    }
}

/// One row; columns are read by name or position with a typed accessor.
public struct PostgresRow: Sendable {
    let columns: [String]
    let values: [String?]

    private func raw(_ column: String) throws -> String? {
        guard let index = columns.firstIndex(of: column) else {
            throw PostgresError(kind: .decoding, message: "no column named \(column) in the result")
        }
        return values[index]
    }

    private func required(_ column: String) throws -> String {
        guard let value = try raw(column) else {
            throw PostgresError(kind: .decoding, message: "column \(column) is NULL")
        }
        return value
    }

    private func decode<T>(_ column: String, as type: String, _ parse: (String) -> T?) throws -> T? {
        guard let text = try raw(column) else { return nil }
        guard let value = parse(text) else {
            throw PostgresError(kind: .decoding, message: "column \(column) is not a valid \(type)")
        }
        return value
    }

    /// True when the column is SQL NULL.
    public func isNull(_ column: String) throws -> Bool { try raw(column) == nil }

    public func string(_ column: String) throws -> String { try required(column) }
    public func optionalString(_ column: String) throws -> String? { try raw(column) }

    public func int(_ column: String) throws -> Int {
        guard let v = try optionalInt(column) else { throw nullError(column) }
        return v
    }
    public func optionalInt(_ column: String) throws -> Int? { try decode(column, as: "integer") { Int($0) } }

    public func int64(_ column: String) throws -> Int64 {
        guard let v = try decode(column, as: "bigint", { Int64($0) }) else { throw nullError(column) }
        return v
    }

    public func bool(_ column: String) throws -> Bool {
        guard let v = try decode(column, as: "boolean", { $0 == "t" ? true : ($0 == "f" ? false : nil) }) else {
            throw nullError(column)
        }
        return v
    }

    /// A `numeric` column as an exact decimal (never through `Double`).
    public func decimal(_ column: String) throws -> Decimal? {
        try decode(column, as: "numeric") { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }
    }

    /// A `double precision` column, for measurements such as similarity scores.
    public func double(_ column: String) throws -> Double? { try decode(column, as: "double") { Double($0) } }

    /// A `date` column.
    public func date(_ column: String) throws -> PostgresDate? {
        try decode(column, as: "date") { text in
            let parts = text.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3 else { return nil }
            return PostgresDate(year: parts[0], month: parts[1], day: parts[2])
        }
    }

    /// A `timestamptz` column. The session runs with `TimeZone=UTC` and ISO dates.
    public func timestamp(_ column: String) throws -> Date? {
        try decode(column, as: "timestamptz") { PostgresRow.parseTimestamp($0) }
    }

    /// A `jsonb`/`json` column as its JSON text.
    public func json(_ column: String) throws -> String? { try raw(column) }

    /// A `bytea` column.
    public func bytea(_ column: String) throws -> [UInt8]? {
        try decode(column, as: "bytea") { text in
            guard text.hasPrefix("\\x") else { return nil }
            var bytes: [UInt8] = []
            bytes.reserveCapacity((text.utf8.count - 2) / 2)
            var iterator = text.utf8.dropFirst(2).makeIterator()
            while let high = iterator.next(), let low = iterator.next() {
                guard let h = hexValue(high), let l = hexValue(low) else { return nil }
                bytes.append(h << 4 | l)
            }
            return bytes
        }
    }

    /// A one-dimensional array column (`text[]`), elements as text.
    public func array(_ column: String) throws -> [String?] {
        guard let text = try raw(column) else { return [] }
        return PostgresArray.decode(text)
    }

    /// A `text[]` column with no NULL elements.
    public func strings(_ column: String) throws -> [String] { try array(column).compactMap { $0 } }

    private func nullError(_ column: String) -> PostgresError {
        PostgresError(kind: .decoding, message: "column \(column) is NULL")
    }

    static func parseTimestamp(_ text: String) -> Date? {
        // Form: 2026-11-23 15:02:23.123456+00
        let utf8 = Array(text.utf8)
        guard utf8.count >= 19 else { return nil }
        func number(_ from: Int, _ length: Int) -> Int? {
            guard from + length <= utf8.count else { return nil }
            var value = 0
            for b in utf8[from..<(from + length)] {
                guard b >= 48 && b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        guard let y = number(0, 4), let mo = number(5, 2), let d = number(8, 2),
            let h = number(11, 2), let mi = number(14, 2), let s = number(17, 2)
        else { return nil }
        var fraction = 0.0
        var i = 19
        if i < utf8.count && utf8[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            while i < utf8.count, utf8[i] >= 48, utf8[i] <= 57 {
                fraction += Double(utf8[i] - 48) * scale
                scale /= 10
                i += 1
            }
        }
        var offsetSeconds = 0
        if i < utf8.count, utf8[i] == UInt8(ascii: "+") || utf8[i] == UInt8(ascii: "-") {
            let sign = utf8[i] == UInt8(ascii: "-") ? -1 : 1
            let oh = number(i + 1, 2) ?? 0
            let om = (i + 3 < utf8.count && utf8[i + 3] == UInt8(ascii: ":")) ? (number(i + 4, 2) ?? 0) : 0
            offsetSeconds = sign * (oh * 3600 + om * 60)
        }
        let days = daysFromCivil(y, mo, d)
        let seconds = days * 86_400 + h * 3600 + mi * 60 + s - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 48...57: return byte - 48
    case 97...102: return byte - 87
    case 65...70: return byte - 55
    default: return nil
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}
