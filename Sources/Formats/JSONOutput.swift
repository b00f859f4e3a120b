/// JSON text built in one byte buffer: what the writers of traces, records and canonical text
/// append to, so that a document costs one allocation rather than one per member.
public struct JSONOutput: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// The text written so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends JSON text as it is (punctuation, numbers, literals, values already written).
    public mutating func raw(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends one byte of punctuation.
    public mutating func raw(_ byte: UInt8) { bytes.append(byte) }

    /// Appends `text` as a JSON string literal.
    public mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { source in
            bytes.append(0x22)
            var from = 0
            for (i, byte) in source.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[from..<i]))
                from = i + 1
                switch byte {
                case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
                case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
                case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[from...]))
            bytes.append(0x22)
        }
    }

    /// Appends `items` as an array of strings.
    public mutating func strings(_ items: [String]) {
        raw(0x5B)
        for (i, item) in items.enumerated() {
            if i > 0 { raw(0x2C) }
            string(item)
        }
        raw(0x5D)
    }

    /// Appends an object whose members `write` appends through the given member writer.
    public mutating func object(_ write: (inout Members) -> Void) {
        var members = Members(output: self)
        bytes = []
        members.output.raw(0x7B)
        write(&members)
        members.output.raw(0x7D)
        self = members.output
    }

    /// Writes an object's members: each call appends `"name": ` and then the value.
    public struct Members {
        fileprivate(set) var output: JSONOutput
        private var count = 0

        fileprivate init(output: JSONOutput) { self.output = output }

        private mutating func name(_ name: String) {
            if count > 0 { output.raw(0x2C) }
            count += 1
            output.string(name)
            output.raw(0x3A)
        }

        /// A member whose value is JSON text already.
        public mutating func raw(_ name: String, _ json: String) {
            self.name(name)
            output.raw(json)
        }

        /// A string member (null when nil).
        public mutating func string(_ name: String, _ value: String?) {
            self.name(name)
            if let value { output.string(value) } else { output.raw("null") }
        }

        /// A member whose value `write` appends.
        public mutating func value(_ name: String, _ write: (inout JSONOutput) -> Void) {
            self.name(name)
            write(&output)
        }
    }
}
