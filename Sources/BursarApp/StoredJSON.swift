import Foundation
import Screening

/// JSON text that is already written (a stored document such as a job's error history), encoded
/// as the value it holds rather than as a string.
struct StoredJSON: Encodable {
    let text: String

    init(_ text: String) { self.text = text }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(AnyJSON((try? JSONParser.parse(text)) ?? .string(text)))
    }
}

/// A parsed JSON value as an `Encodable`, so that stored JSON can sit inside a `Codable` report.
struct AnyJSON: Encodable {
    let value: JSONValue

    init(_ value: JSONValue) { self.value = value }

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: Encoder) throws {
        switch value {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let b):
            var container = encoder.singleValueContainer()
            try container.encode(b)
        case .number(let n):
            var container = encoder.singleValueContainer()
            if let i = Int(n) { try container.encode(i) } else { try container.encode(Decimal(string: n) ?? 0) }
        case .string(let s):
            var container = encoder.singleValueContainer()
            try container.encode(s)
        case .array(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(AnyJSON(item)) }
        case .object(let members):
            var container = encoder.container(keyedBy: Key.self)
            for (name, item) in members { try container.encode(AnyJSON(item), forKey: Key(stringValue: name)) }
        }
    }
}
