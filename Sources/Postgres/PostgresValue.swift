import Foundation

/// A value that can be sent as a statement parameter (in PostgreSQL's text format).
public protocol PostgresBindable: Sendable {
    /// The parameter in PostgreSQL's text format; nil sends SQL NULL.
    var postgresText: String? { get }
}

extension String: PostgresBindable { public var postgresText: String? { self } }
extension Int: PostgresBindable { public var postgresText: String? { String(self) } }
extension Int32: PostgresBindable { public var postgresText: String? { String(self) } }
extension Int64: PostgresBindable { public var postgresText: String? { String(self) } }
extension Bool: PostgresBindable { public var postgresText: String? { self ? "t" : "f" } }
extension Decimal: PostgresBindable { public var postgresText: String? { "\(self)" } }
extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    public var postgresText: String? { self.flatMap { $0.postgresText } }
}
extension Date: PostgresBindable {
    /// UTC, microsecond precision, in the form PostgreSQL reads as `timestamptz`.
    public var postgresText: String? {
        let seconds = timeIntervalSince1970
        var whole = time_t(seconds.rounded(.down))
        let micros = Int(((seconds - seconds.rounded(.down)) * 1_000_000).rounded(.down))
        var parts = tm()
        gmtime_r(&whole, &parts)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d.%06d+00",
            Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), micros)
    }
}

/// A `bytea` parameter.
public struct Bytea: PostgresBindable, Equatable {
    public var bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public var postgresText: String? {
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        return "\\x" + hex
    }
}

/// A `jsonb` parameter, given as JSON text.
public struct JSONText: PostgresBindable, Equatable {
    public var text: String
    public init(_ text: String) { self.text = text }
    public var postgresText: String? { text }
}

/// A one-dimensional text array parameter (`text[]`).
public struct TextArray: PostgresBindable, Equatable {
    public var elements: [String?]
    public init(_ elements: [String?]) { self.elements = elements }
    public var postgresText: String? { PostgresArray.encode(elements) }
}

/// A one-dimensional bigint array parameter (`bigint[]`).
public struct BigintArray: PostgresBindable, Equatable {
    public var elements: [Int64]
    public init(_ elements: [Int64]) { self.elements = elements }
    public var postgresText: String? { "{" + elements.map(String.init).joined(separator: ",") + "}" }
}

/// Encoding and decoding of PostgreSQL's array literal for one-dimensional arrays.
enum PostgresArray {
    static func encode(_ elements: [String?]) -> String {
        var out = "{"
        for (i, element) in elements.enumerated() {
            if i > 0 { out += "," }
            guard let element else { out += "NULL"; continue }
            out += "\""
            for ch in element {
                if ch == "\"" || ch == "\\" { out.append("\\") }
                out.append(ch)
            }
            out += "\""
        }
        return out + "}"
    }

    static func decode(_ literal: String) -> [String?] {
        var result: [String?] = []
        var chars = Array(literal.unicodeScalars)
        guard chars.first == "{", chars.last == "}" else { return [literal] }
        chars.removeFirst(); chars.removeLast()
        var i = 0
        while i < chars.count {
            if chars[i] == "\"" {
                var value = String.UnicodeScalarView()
                i += 1
                while i < chars.count && chars[i] != "\"" {
                    if chars[i] == "\\" { i += 1 }
                    if i < chars.count { value.append(chars[i]) }
                    i += 1
                }
                i += 1  // closing quote
                result.append(String(value))
            } else {
                var value = String.UnicodeScalarView()
                while i < chars.count && chars[i] != "," { value.append(chars[i]); i += 1 }
                let text = String(value)
                result.append(text == "NULL" ? nil : text)
            }
            if i < chars.count && chars[i] == "," { i += 1 }
        }
        return result
    }
}
