extension JSONValue {
    /// The path of the first member name that appears twice in one object (e.g.
    /// `transcripts[0].courses[2].credits`), or nil when every object's names are distinct.
    /// A record with a repeated name is rejected: which of the values was meant is unknowable.
    public var repeatedMemberPath: String? { repeatedMember(at: "") }

    private func repeatedMember(at path: String) -> String? {
        switch self {
        case .array(let items):
            for (i, item) in items.enumerated() {
                if let found = item.repeatedMember(at: "\(path)[\(i)]") { return found }
            }
            return nil
        case .object(let members):
            var seen = Set<String>(minimumCapacity: members.count)
            for (name, _) in members where !seen.insert(name).inserted {
                return path.isEmpty ? name : "\(path).\(name)"
            }
            for (name, value) in members {
                switch value {
                case .array, .object:
                    if let found = value.repeatedMember(at: path.isEmpty ? name : "\(path).\(name)") { return found }
                default: continue
                }
            }
            return nil
        default:
            return nil
        }
    }
}
