extension JSONValue {
    /// The value as compact JSON with object members sorted by name, so that two records that
    /// differ only in member order or white space have the same text (and the same hash).
    public var canonicalText: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): out += JSONWriter.string(s)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let members):
            var latest: [String: JSONValue] = [:]
            for (key, value) in members { latest[key] = value }
            out += "{"
            for (i, key) in latest.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                out += JSONWriter.string(key) + ":"
                latest[key]!.write(into: &out)
            }
            out += "}"
        }
    }

    /// The object with `key` set to `value` (added or replaced).
    public func setting(_ key: String, to value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        members.removeAll { $0.0 == key }
        members.append((key, value))
        return .object(members)
    }
}
