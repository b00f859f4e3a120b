extension JSONValue {
    /// The value as compact JSON with object members sorted by name, so that two records that
    /// differ only in member order or white space have the same text (and the same hash).
    public var canonicalText: String {
        var out = JSONOutput(capacity: 2048)
        write(into: &out)
        return out.text
    }

    private func write(into out: inout JSONOutput) {
        switch self {
        case .null: out.raw("null")
        case .bool(let b): out.raw(b ? "true" : "false")
        case .number(let n): out.raw(n)
        case .string(let s): out.string(s)
        case .array(let items):
            out.raw(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.raw(0x2C) }
                item.write(into: &out)
            }
            out.raw(0x5D)
        case .object(let members):
            // Sorted by name; of a repeated name the last value counts (as JSON parsers do).
            let order = members.indices.sorted {
                members[$0].0 != members[$1].0 ? members[$0].0 < members[$1].0 : $0 < $1
            }
            out.raw(0x7B)
            var first = true
            for (n, index) in order.enumerated() {
                if n + 1 < order.count && members[order[n + 1]].0 == members[index].0 { continue }
                if !first { out.raw(0x2C) }
                first = false
                out.string(members[index].0)
                out.raw(0x3A)
                members[index].1.write(into: &out)
            }
            out.raw(0x7D)
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
