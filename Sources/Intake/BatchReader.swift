import Formats
import Foundation

/// Reads a batch file record by record without loading it whole: NDJSON (one object a line)
/// or the JSON form `{"program": "...", "applications": [ ... ]}`, streamed in 64 KiB chunks.
///
/// The file must be a regular file: a folder, a named pipe or a device is refused when the
/// reader is made (opening never waits for a writer). A malformed record never stops the
/// others: a line longer than ``maxRecordBytes`` comes back as that line with a problem, and
/// reading goes on with the next (interface §1).
public final class BatchReader {
    /// One record's bytes and where it is: the line it starts on and, in the JSON form, its
    /// position in the `applications` array (1-based).
    public struct Item {
        public let line: Int
        public let record: Int?
        public let bytes: [UInt8]
        /// Why the record could not be read at all (too long); its bytes are then empty.
        public let problem: String?
    }

    public enum Form: Sendable { case ndjson, jsonObject }

    /// The largest record read (a line, or an element of the `applications` array).
    public static let maxRecordBytes = 16 << 20
    private static let chunkBytes = 1 << 16

    private let descriptor: Int32
    private let path: String
    private var buffer: [UInt8] = []
    /// The bytes of the last read(2), before they are appended to `buffer`.
    private var chunk = [UInt8](repeating: 0, count: BatchReader.chunkBytes)
    private var position = 0
    private var eof = false
    private var line = 1
    private var recordCount = 0
    public private(set) var form: Form = .ndjson
    /// The batch's program, when the JSON form gives one.
    public private(set) var program: String?
    /// Bytes read so far (for progress).
    public private(set) var bytesRead = 0
    private var inArray = false
    private var finished = false
    /// The outer object's member names read so far: a repeated one rejects the file.
    private var outerKeys: Set<String> = []
    /// The longest member name of the outer object (its names are `program` and `applications`).
    private static let maxMemberNameBytes = 1024

    public convenience init(url: URL) throws(BatchFileError) {
        try self.init(path: url.path)
    }

    /// Opens `path` and reads as far as needed to know the batch's form.
    public init(path: String) throws(BatchFileError) {
        self.path = path
        // O_NONBLOCK: opening a named pipe must not wait for a writer; it is refused below.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(path: path, reason: Self.errnoText()) }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            let reason = Self.errnoText()
            close(fd)
            throw .unreadable(path: path, reason: reason)
        }
        guard let kind = Self.fileKind(status.st_mode) else {
            self.descriptor = fd
            try detectForm()
            return
        }
        close(fd)
        throw .notAFile(path: path, kind: kind)
    }

    deinit { close(descriptor) }

    /// The kind of a file that is not a regular file, in words; nil for a regular file.
    private static func fileKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a named pipe"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }

    /// Reads the next chunk onto the buffer; false at the end of the file.
    private func fill() throws(BatchFileError) -> Bool {
        if eof { return false }
        if position > 0 && position >= buffer.count / 2 {
            buffer.removeFirst(position)
            position = 0
        }
        var count = 0
        while true {
            count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, Self.chunkBytes) }
            if count >= 0 { break }
            if errno == EINTR { continue }
            throw .unreadable(path: path, reason: Self.errnoText())
        }
        if count == 0 {
            eof = true
            return false
        }
        chunk.withUnsafeBufferPointer { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<count])) }
        bytesRead += count
        return true
    }

    /// The byte `offset` bytes past the read position, reading on as needed; nil past the end.
    private func byte(ahead offset: Int) throws(BatchFileError) -> UInt8? {
        while position + offset >= buffer.count { if try !fill() { return nil } }
        return buffer[position + offset]
    }

    fileprivate func peekByte() throws(BatchFileError) -> UInt8? { try byte(ahead: 0) }

    private func nextByte() throws(BatchFileError) -> UInt8? {
        guard let b = try peekByte() else { return nil }
        position += 1
        if b == 10 { line += 1 }
        return b
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 }

    fileprivate func skipSpace() throws(BatchFileError) {
        while let b = try peekByte(), Self.isSpace(b) { _ = try nextByte() }
    }

    /// Skips a UTF-8 byte order mark (interface §1: it is ignored), then decides the form from
    /// the first tokens.
    private func detectForm() throws(BatchFileError) {
        if try byte(ahead: 0) == 0xEF, try byte(ahead: 1) == 0xBB, try byte(ahead: 2) == 0xBF { position += 3 }
        guard try firstObjectHasApplications() else { return }
        form = .jsonObject
        try skipSpace()
        _ = try nextByte()  // '{'
        try seekApplications()
    }

    /// Whether the first value is an object with an `applications` member: its members are
    /// scanned once, from the start, without being kept (an application record never has that
    /// member, so this tells the JSON form from NDJSON whatever the first line's length).
    /// Anything unexpected means NDJSON: the record is then rejected on its own.
    private func firstObjectHasApplications() throws(BatchFileError) -> Bool {
        var k = 0
        func skipSpaceAhead() throws(BatchFileError) {
            while let b = try byte(ahead: k), Self.isSpace(b) { k += 1 }
        }
        try skipSpaceAhead()
        guard try byte(ahead: k) == UInt8(ascii: "{") else { return false }
        k += 1
        while k < Self.maxRecordBytes {
            try skipSpaceAhead()
            guard try byte(ahead: k) == 34 else { return false }
            k += 1
            var key: [UInt8] = []
            while let b = try byte(ahead: k), b != 34 {
                if b == UInt8(ascii: "\\") { k += 1 }
                if key.count < 16 { key.append(b) }
                k += 1
                // An unterminated name is not read into memory whole (a 300 MB one had been).
                if k >= Self.maxRecordBytes { return false }
            }
            k += 1
            try skipSpaceAhead()
            guard try byte(ahead: k) == UInt8(ascii: ":") else { return false }
            k += 1
            if key == Array("applications".utf8) { return true }
            // Skip the member's value: brackets balanced outside strings.
            var depth = 0
            var inString = false
            while let b = try byte(ahead: k) {
                if inString {
                    if b == UInt8(ascii: "\\") { k += 1 } else if b == 34 { inString = false }
                } else if b == 34 {
                    inString = true
                } else if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                    depth += 1
                } else if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                    if depth == 0 { return false }
                    depth -= 1
                } else if b == UInt8(ascii: ","), depth == 0 {
                    break
                }
                k += 1
                if k >= Self.maxRecordBytes { return false }
            }
            guard try byte(ahead: k) == UInt8(ascii: ",") else { return false }
            k += 1
        }
        return false
    }

    fileprivate func fileError(_ message: String) -> BatchFileError {
        .malformed("the batch file is not valid JSON near line \(line): \(message)")
    }

    /// Reads members of the outer object until the `applications` array opens.
    private func seekApplications() throws(BatchFileError) {
        while true {
            try skipSpace()
            guard let b = try nextByte() else { throw fileError("the file ends before its \"applications\" array") }
            if b == UInt8(ascii: ",") { continue }
            if b == UInt8(ascii: "}") { throw fileError("the object has no \"applications\" array") }
            guard b == UInt8(ascii: "\"") else { throw fileError("a member name was expected") }
            let key = try readMemberName()
            try skipSpace()
            guard try nextByte() == UInt8(ascii: ":") else { throw fileError("':' was expected after a member name") }
            try skipSpace()
            if key == "applications" {
                guard try nextByte() == UInt8(ascii: "[") else { throw fileError("\"applications\" must be an array") }
                inArray = true
                return
            }
            let value = try captureValue()
            if key == "program", case .string(let id)? = try? JSONParser.parse(value.bytes) { program = id }
        }
    }

    /// A member name of the outer object; a name given twice rejects the file (which of the
    /// values was meant cannot be known: a second `applications` array had been dropped).
    private func readMemberName() throws(BatchFileError) -> String {
        let key = try readString()
        guard outerKeys.insert(key).inserted else {
            throw fileError("the member \"\(key.prefix(40))\" appears twice in the batch object")
        }
        return key
    }

    private func readString() throws(BatchFileError) -> String {
        var bytes: [UInt8] = [34]
        while let b = try nextByte() {
            // Bounded: an unterminated name must not be read into memory whole.
            guard bytes.count <= Self.maxMemberNameBytes else { throw fileError("a member name is longer than 1 KiB") }
            bytes.append(b)
            if b == UInt8(ascii: "\\") {
                if let e = try nextByte() { bytes.append(e) }
                continue
            }
            if b == 34 {
                if case .string(let s)? = try? JSONParser.parse(bytes) { return s }
                throw fileError("a member name is not a valid string")
            }
        }
        throw fileError("unterminated string")
    }

    /// The bytes of one JSON value, found by balancing brackets outside strings; it ends before
    /// the `,`, `]` or `}` that follows it at its own level. Each chunk is scanned in one loop.
    /// A value longer than ``maxRecordBytes`` is read to its end but not kept (`tooLong`).
    private func captureValue() throws(BatchFileError) -> (bytes: [UInt8], tooLong: Bool) {
        var bytes: [UInt8] = []
        var tooLong = false
        var depth = 0
        var inString = false
        var escaped = false
        while true {
            if position >= buffer.count, try !fill() { break }
            var newlines = 0
            let (end, complete) = buffer.withUnsafeBufferPointer { buf -> (Int, Bool) in
                var i = position
                while i < buf.count {
                    let b = buf[i]
                    if b == 10 { newlines += 1 }
                    if escaped {
                        escaped = false
                    } else if inString {
                        if b == UInt8(ascii: "\\") { escaped = true } else if b == 34 { inString = false }
                    } else {
                        switch b {
                        case 34: inString = true
                        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                        case UInt8(ascii: "}"), UInt8(ascii: "]"):
                            if depth == 0 { return (i, true) }
                            depth -= 1
                        case UInt8(ascii: ","):
                            if depth == 0 { return (i, true) }
                        default: break
                        }
                    }
                    i += 1
                }
                return (i, false)
            }
            line += newlines
            if !tooLong {
                if bytes.count + (end - position) > Self.maxRecordBytes {
                    tooLong = true
                    bytes = []
                } else {
                    bytes.append(contentsOf: buffer[position..<end])
                }
            }
            position = end
            if complete { return (Self.trimmingTrailingSpace(bytes), tooLong) }
        }
        if depth != 0 || inString { throw fileError("the file ends inside a value") }
        return (Self.trimmingTrailingSpace(bytes), tooLong)
    }

    private static func trimmingTrailingSpace(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        while let last = bytes.last, isSpace(last) { bytes.removeLast() }
        return bytes
    }

    /// The next record, or nil at the end. Throws only when the file cannot be read further or
    /// (JSON form) its structure is broken; a malformed record comes back as its bytes and fails
    /// to parse later, a too long one with its problem.
    public func next() throws(BatchFileError) -> Item? {
        switch form {
        case .ndjson: return try nextLine()
        case .jsonObject: return try nextElement()
        }
    }

    /// The next non-blank line. The line is found with one search per chunk; a line longer than
    /// ``maxRecordBytes`` is dropped as it is read (never held whole) and reported.
    private func nextLine() throws(BatchFileError) -> Item? {
        while true {
            guard try peekByte() != nil else { return nil }
            let start = line
            line += 1
            var bytes: [UInt8] = []
            var tooLong = false
            while true {
                let end = buffer.withUnsafeBufferPointer { buf -> Int? in
                    guard let found = memchr(buf.baseAddress! + position, 10, buf.count - position) else { return nil }
                    return buf.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                }
                let piece = buffer[position..<(end ?? buffer.count)]
                if !tooLong {
                    if bytes.count + piece.count > Self.maxRecordBytes {
                        tooLong = true
                        bytes = []
                    } else {
                        bytes.append(contentsOf: piece)
                    }
                }
                if let end {
                    position = end + 1
                    break
                }
                position = buffer.count
                if try !fill() { break }
            }
            recordCount += 1
            if tooLong {
                return Item(line: start, record: nil, bytes: [], problem: "the line is longer than 16 MiB")
            }
            if bytes.last == 13 { bytes.removeLast() }
            if bytes.allSatisfy({ $0 == 32 || $0 == 9 }) {
                recordCount -= 1
                continue
            }
            return Item(line: start, record: nil, bytes: bytes, problem: nil)
        }
    }

    private func nextElement() throws(BatchFileError) -> Item? {
        guard inArray, !finished else { return nil }
        try skipSpace()
        guard let b = try peekByte() else { throw fileError("the file ends inside the \"applications\" array") }
        if b == UInt8(ascii: "]") {
            _ = try nextByte()
            finished = true
            try readTrailer()
            return nil
        }
        if recordCount > 0 {
            guard b == UInt8(ascii: ",") else { throw fileError("',' or ']' was expected after record \(recordCount)") }
            _ = try nextByte()
            try skipSpace()
        }
        let start = line
        recordCount += 1
        let value = try captureValue()
        if value.tooLong {
            return Item(line: start, record: recordCount, bytes: [], problem: "the record is larger than 16 MiB")
        }
        if value.bytes.isEmpty { throw fileError("record \(recordCount) of \"applications\" is empty") }
        return Item(line: start, record: recordCount, bytes: value.bytes, problem: nil)
    }

    /// Members after the array (a `program` given last still names the batch's program for
    /// records read before it only if they named none; they were rejected then).
    private func readTrailer() throws(BatchFileError) {
        while true {
            try skipSpace()
            guard let b = try nextByte() else { throw fileError("the file ends before the closing '}'") }
            if b == UInt8(ascii: "}") { return try expectEnd() }
            if b == UInt8(ascii: ",") { continue }
            guard b == 34 else { throw fileError("a member name was expected") }
            let key = try readMemberName()
            try skipSpace()
            guard try nextByte() == UInt8(ascii: ":") else { throw fileError("':' was expected") }
            try skipSpace()
            let value = try captureValue()
            if key == "program", program == nil, case .string(let id)? = try? JSONParser.parse(value.bytes) {
                program = id
            }
        }
    }
}

extension BatchReader {
    /// After the batch object only white space may follow: the JSON form is exactly one value
    /// (a second object or trailing text had been ignored silently).
    fileprivate func expectEnd() throws(BatchFileError) {
        try skipSpace()
        if try peekByte() != nil {
            throw fileError("there is more after the batch object; the JSON form is exactly one object")
        }
    }
}

/// Why a batch file cannot be read as a batch at all (as opposed to one bad record in it).
public enum BatchFileError: Error, CustomStringConvertible, Sendable {
    /// The file cannot be opened or read (missing, no permission, an I/O error).
    case unreadable(path: String, reason: String)
    /// The path names something other than a regular file (a folder, a named pipe, a device).
    case notAFile(path: String, kind: String)
    /// The JSON form's structure is broken, so no further record can be found.
    case malformed(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        case .notAFile(let path, let kind):
            return "\(path) is \(kind), not a batch file: name the NDJSON or JSON file itself"
        case .malformed(let message): return message
        }
    }
}
