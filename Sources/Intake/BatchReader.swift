import Foundation
import Formats

/// Reads a batch file record by record without loading it whole: NDJSON (one object a line)
/// or the JSON form `{"program": "...", "applications": [ ... ]}`, streamed in 64 KiB chunks.
public final class BatchReader {
    /// One record's bytes and the line it starts on.
    public struct Item {
        public let line: Int
        public let bytes: [UInt8]
    }

    public enum Form: Sendable { case ndjson, jsonObject }

    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var eof = false
    private var line = 1
    public private(set) var form: Form = .ndjson
    /// The batch's program, when the JSON form gives one.
    public private(set) var program: String?
    /// Bytes read so far (for progress).
    public private(set) var bytesRead = 0
    private var inArray = false
    private var finished = false

    public init(url: URL) throws(BatchFileError) {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw .input("cannot open \(url.path): no such file or no permission to read it")
        }
        self.handle = handle
        try detectForm()
    }

    deinit { try? handle.close() }

    private func fill() -> Bool {
        if eof { return false }
        let data = handle.readData(ofLength: 1 << 16)
        if data.isEmpty { eof = true; return false }
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
        buffer.append(contentsOf: data)
        bytesRead += data.count
        return true
    }

    private func peekByte() -> UInt8? {
        while position >= buffer.count { if !fill() { return nil } }
        return buffer[position]
    }

    private func nextByte() -> UInt8? {
        guard let b = peekByte() else { return nil }
        position += 1
        if b == 10 { line += 1 }
        return b
    }

    private func skipSpace() {
        while let b = peekByte(), b == 32 || b == 9 || b == 10 || b == 13 { _ = nextByte() }
    }

    /// NDJSON unless the first line alone is not a complete record or it is the JSON form's object.
    private func detectForm() throws(BatchFileError) {
        skipSpace()
        guard let first = peekByte() else { return }
        guard first == UInt8(ascii: "{") else { return }
        // Look at the first line.
        var end = position
        while true {
            while end < buffer.count && buffer[end] != 10 { end += 1 }
            if end < buffer.count || !fill() { break }
            end = position
        }
        let firstLine = Array(buffer[position..<min(end, buffer.count)])
        if let value = try? JSONParser.parse(firstLine), value["applications"] == nil { return }
        form = .jsonObject
        _ = nextByte()  // '{'
        try seekApplications()
    }

    private func fileError(_ message: String) -> BatchFileError {
        .input("the batch file is not valid JSON near line \(line): \(message)")
    }

    /// Reads members of the outer object until the `applications` array opens.
    private func seekApplications() throws(BatchFileError) {
        while true {
            skipSpace()
            guard let b = nextByte() else { throw fileError("the file ends before its \"applications\" array") }
            if b == UInt8(ascii: ",") { continue }
            if b == UInt8(ascii: "}") { throw fileError("the object has no \"applications\" array") }
            guard b == UInt8(ascii: "\"") else { throw fileError("a member name was expected") }
            let key = try readString()
            skipSpace()
            guard nextByte() == UInt8(ascii: ":") else { throw fileError("':' was expected after \"\(key)\"") }
            skipSpace()
            if key == "applications" {
                guard nextByte() == UInt8(ascii: "[") else { throw fileError("\"applications\" must be an array") }
                inArray = true
                return
            }
            let value = try captureValue()
            if key == "program", case .string(let id)? = try? JSONParser.parse(value) { program = id }
        }
    }

    private func readString() throws(BatchFileError) -> String {
        var bytes: [UInt8] = [34]
        while let b = nextByte() {
            bytes.append(b)
            if b == UInt8(ascii: "\\") { if let e = nextByte() { bytes.append(e) }; continue }
            if b == 34 {
                if case .string(let s)? = try? JSONParser.parse(bytes) { return s }
                throw fileError("invalid string")
            }
        }
        throw fileError("unterminated string")
    }

    /// The bytes of one JSON value, found by balancing brackets outside strings.
    private func captureValue() throws(BatchFileError) -> [UInt8] {
        var bytes: [UInt8] = []
        var depth = 0
        var inString = false
        while let b = peekByte() {
            if depth == 0 && !inString && (b == UInt8(ascii: ",") || b == UInt8(ascii: "]") || b == UInt8(ascii: "}")) {
                return bytes
            }
            _ = nextByte()
            bytes.append(b)
            if inString {
                if b == UInt8(ascii: "\\") { if let e = nextByte() { bytes.append(e) } } else if b == 34 { inString = false }
                continue
            }
            switch b {
            case 34: inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
            if bytes.count > 16 << 20 { throw fileError("a record is larger than 16 MiB") }
        }
        if depth != 0 || inString { throw fileError("the file ends inside a value") }
        return bytes
    }

    /// The next record, or nil at the end. Throws only when the file's structure is broken
    /// (JSON form); a malformed record comes back as its bytes and fails to parse later.
    public func next() throws(BatchFileError) -> Item? {
        switch form {
        case .ndjson:
            while true {
                guard peekByte() != nil else { return nil }
                let start = line
                var bytes: [UInt8] = []
                while let b = nextByte(), b != 10 {
                    bytes.append(b)
                    if bytes.count > 16 << 20 { throw BatchFileError.input("line \(start) is longer than 16 MiB") }
                }
                if bytes.last == 13 { bytes.removeLast() }
                if bytes.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
                return Item(line: start, bytes: bytes)
            }
        case .jsonObject:
            guard inArray, !finished else { return nil }
            skipSpace()
            guard let b = peekByte() else { throw fileError("the file ends inside the \"applications\" array") }
            if b == UInt8(ascii: "]") {
                _ = nextByte()
                finished = true
                try readTrailer()
                return nil
            }
            if b == UInt8(ascii: ",") { _ = nextByte(); skipSpace() }
            let start = line
            let bytes = try captureValue()
            if bytes.isEmpty { throw fileError("an element of \"applications\" is empty") }
            return Item(line: start, bytes: bytes)
        }
    }

    /// Members after the array (a `program` given last still names the batch's program for
    /// records read before it only if they named none; they were rejected then).
    private func readTrailer() throws(BatchFileError) {
        while true {
            skipSpace()
            guard let b = nextByte() else { throw fileError("the file ends before the closing '}'") }
            if b == UInt8(ascii: "}") { return }
            if b == UInt8(ascii: ",") { continue }
            guard b == 34 else { throw fileError("a member name was expected") }
            let key = try readString()
            skipSpace()
            guard nextByte() == UInt8(ascii: ":") else { throw fileError("':' was expected") }
            skipSpace()
            let value = try captureValue()
            if key == "program", program == nil, case .string(let id)? = try? JSONParser.parse(value) { program = id }
        }
    }
}

/// Why a batch file cannot be read as a batch at all (as opposed to one bad record in it).
public enum BatchFileError: Error, CustomStringConvertible, Sendable {
    case input(String)

    public var description: String {
        switch self {
        case .input(let message): return message
        }
    }
}
