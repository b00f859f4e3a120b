import Foundation

extension CLI {
    /// A `--json` document from a `Codable` type: one line, keys sorted, so that scripts and
    /// diff tools see a stable text.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
