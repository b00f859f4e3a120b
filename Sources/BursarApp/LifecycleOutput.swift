import Foundation

/// JSON lines of the lifecycle commands (`events`, `payments`, `export scholarships`), from
/// `Encodable` types: keys in a stable order, `/` unescaped.
enum LifecycleOutput {
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
