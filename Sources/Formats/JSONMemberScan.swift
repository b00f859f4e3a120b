/// Finds one member of a JSON object in its text without building the rest: for a job that
/// needs one member of a stored record (the documents job reads `documents` of every
/// application), where parsing the whole record — on the server or here — was most of its work.
public enum JSONMemberScan {
    /// The byte range of the value of the top-level member `name` of the object in `bytes` (the
    /// last one if the name is repeated, as ``JSONValue``'s subscript reads it), or nil when
    /// there is no such member. `bytes` must be valid JSON text (a stored record); a member name
    /// written with escapes is compared after parsing it.
    public static func valueRange(of name: String, in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        let wanted = Array(name.utf8)
        var index = 0
        skipSpace(bytes, &index)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        var found: Range<Int>?
        while true {
            skipSpace(bytes, &index)
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return found }
            let keyStart = index
            index = stringEnd(bytes, from: index)
            let matches = keyMatches(bytes, keyStart..<index, wanted: wanted, name: name)
            skipSpace(bytes, &index)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return found }
            index += 1
            skipSpace(bytes, &index)
            let valueStart = index
            index = valueEnd(bytes, from: index)
            if matches { found = valueStart..<index }
            skipSpace(bytes, &index)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { return found }
            index += 1
        }
    }

    private static func skipSpace(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) {
        while index < bytes.count,
            bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D
                || bytes[index] == 0x09
        {
            index += 1
        }
    }

    /// The position after the string that opens at `start` (its closing quote included).
    private static func stringEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return index
    }

    /// The position after the value that starts at `start`: brackets balanced outside strings,
    /// up to the `,` or `}` of the enclosing object.
    private static func valueEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        var depth = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index = stringEnd(bytes, from: index)
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return trimmed(bytes, start, index) }
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 0 { return trimmed(bytes, start, index) }
            default:
                break
            }
            index += 1
        }
        return trimmed(bytes, start, index)
    }

    /// `end` moved back over white space that follows the value.
    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var end = end
        while end > start,
            bytes[end - 1] == 0x20 || bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D
                || bytes[end - 1] == 0x09
        {
            end -= 1
        }
        return end
    }

    private static func keyMatches(
        _ bytes: UnsafeBufferPointer<UInt8>, _ key: Range<Int>, wanted: [UInt8], name: String
    ) -> Bool {
        let innerEnd = max(key.lowerBound + 1, key.upperBound - 1)
        let inner = UnsafeBufferPointer(rebasing: bytes[(key.lowerBound + 1)..<innerEnd])
        guard inner.contains(UInt8(ascii: "\\")) else { return inner.elementsEqual(wanted) }
        guard case .string(let text)? = try? JSONParser.parse(UnsafeBufferPointer(rebasing: bytes[key])) else {
            return false
        }
        return text == name
    }
}
