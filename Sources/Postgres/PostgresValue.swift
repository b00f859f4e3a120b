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
extension Double: PostgresBindable { public var postgresText: String? { String(self) } }
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

/// Encoding and decoding of PostgreSQL's array literal for one-dimensional arrays, on UTF-8
/// bytes (per-character `String` work here was a quarter of the pipeline's client time).
enum PostgresArray {
    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), comma = UInt8(ascii: ",")

    static func encode(_ elements: [String?]) -> String {
        var capacity = 2
        for element in elements { capacity += (element?.utf8.count ?? 4) + 3 }
        var out: [UInt8] = []
        out.reserveCapacity(capacity + capacity / 16)
        out.append(UInt8(ascii: "{"))
        for (i, element) in elements.enumerated() {
            if i > 0 { out.append(comma) }
            guard let element else {
                out.append(contentsOf: "NULL".utf8)
                continue
            }
            out.append(quote)
            out.appendEscaped(element, isSpecial: { $0 == quote || $0 == backslash }) { byte, out in
                out += [backslash, byte]
            }
            out.append(quote)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ literal: String) -> [String?] {
        var utf8 = literal
        return utf8.withUTF8 { bytes -> [String?] in
            guard bytes.count >= 2, bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else {
                return [literal]
            }
            var result: [String?] = []
            var i = 1
            let end = bytes.count - 1
            while i < end {
                if bytes[i] == quote {
                    var value: [UInt8] = []
                    i += 1
                    while i < end && bytes[i] != quote {
                        if bytes[i] == backslash { i += 1 }
                        if i < end { value.append(bytes[i]) }
                        i += 1
                    }
                    i += 1  // closing quote
                    result.append(String(decoding: value, as: UTF8.self))
                } else {
                    let start = i
                    while i < end && bytes[i] != comma { i += 1 }
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                    result.append(text == "NULL" ? nil : text)
                }
                if i < end && bytes[i] == comma { i += 1 }
            }
            return result
        }
    }
}
