/// Writes JSON text with members in a fixed order (records that people and diff tools read).
public enum JSONWriter {
    /// A JSON string literal.
    public static func string(_ text: String) -> String {
        var out = JSONOutput(capacity: text.utf8.count + 8)
        out.string(text)
        return out.text
    }

    public static func optionalString(_ text: String?) -> String { text.map(string) ?? "null" }

    public static func strings(_ items: [String]) -> String { "[" + items.map(string).joined(separator: ", ") + "]" }

    /// An object from ordered members whose values are already JSON text.
    public static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { "\(string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }
}
