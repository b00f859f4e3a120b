extension JSONValue {
    /// The path of the first member name that appears twice in one object (e.g.
    /// `transcripts[0].courses[2].credits`), or nil when every object's names are distinct.
    /// A record with a repeated name is rejected: which of the values was meant is unknowable.
    public var repeatedMemberPath: String? { repeatedMember() }

    /// The path relative to this value; it is put together only on the way back from a repeated
    /// name, so that a record without one (nearly all) builds no path text at all.
    private func repeatedMember() -> String? {
        switch self {
        case .array(let items):
            for (i, item) in items.enumerated() {
                if let found = item.repeatedMember() { return "[\(i)]" + Self.joined(found) }
            }
            return nil
        case .object(let members):
            var seen = Set<String>(minimumCapacity: members.count)
            for (name, _) in members where !seen.insert(name).inserted {
                return name
            }
            for (name, value) in members {
                switch value {
                case .array, .object:
                    if let found = value.repeatedMember() { return name + Self.joined(found) }
                default: continue
                }
            }
            return nil
        default:
            return nil
        }
    }

    /// A relative path as it follows a name or a position: `[2].x` as it is, `x` as `.x`.
    private static func joined(_ relative: String) -> String {
        relative.hasPrefix("[") ? relative : "." + relative
    }
}
