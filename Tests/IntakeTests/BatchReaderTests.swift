import Foundation
import Intake
import Testing

/// The batch reader on files that are not batches, and on batches with bad records in them:
/// it never crashes, never waits, and names each bad record by its line (interface §1).
@Suite("Batch reader")
struct BatchReaderTests {
    let folder: String

    init() throws {
        folder = NSTemporaryDirectory() + "bursar-intake-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    private func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = folder + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func file(_ name: String, _ text: String) throws -> String { try file(name, Array(text.utf8)) }

    private func readAll(_ path: String) throws -> [BatchReader.Item] {
        let reader = try BatchReader(path: path)
        var items: [BatchReader.Item] = []
        while let item = try reader.next() { items.append(item) }
        return items
    }

    /// Runs `body` and fails when it takes longer than `limit` (the reader must never wait).
    private func within<T>(_ limit: Duration = .seconds(5), _ body: () throws -> T) rethrows -> T {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try body()
        #expect(clock.now - start < limit)
        return value
    }

    @Test("a folder is refused at once, with what it is")
    func folderIsRefused() {
        let error = within { #expect(throws: BatchFileError.self) { try BatchReader(path: folder) } }
        #expect("\(String(describing: error))".contains("a folder"))
    }

    @Test("a named pipe is refused at once rather than waited on")
    func namedPipeIsRefused() throws {
        let path = folder + "/pipe.ndjson"
        #expect(mkfifo(path, 0o600) == 0)
        let error = within { #expect(throws: BatchFileError.self) { try BatchReader(path: path) } }
        #expect(String(describing: error).contains("named pipe"))
    }

    @Test("a device and a file that cannot be read are refused without crashing")
    func devicesAndUnreadableFiles() {
        within {
            #expect(throws: BatchFileError.self) { try BatchReader(path: "/dev/null") }
            // Linux: a regular file whose read(2) fails (EIO): refused as unreadable.
            #expect(throws: BatchFileError.self) { try BatchReader(path: "/proc/self/mem") }
            #expect(throws: BatchFileError.self) { try BatchReader(path: folder + "/missing.ndjson") }
        }
    }

    @Test("a line over 16 MiB is rejected as that line and reading goes on")
    func overlongLineIsOneRecord() throws {
        var bytes = Array("{\"a\": 1}\n".utf8)
        bytes +=
            Array("{\"long\": \"".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: BatchReader.maxRecordBytes)
            + Array("\"}\n".utf8)
        bytes += Array("{\"b\": 2}\n".utf8)
        let items = try within { try readAll(try file("long.ndjson", bytes)) }
        #expect(items.map(\.line) == [1, 2, 3])
        #expect(items[1].problem != nil)
        #expect(items[1].bytes.isEmpty)
        #expect(items[2].bytes == Array("{\"b\": 2}".utf8))
    }

    @Test("a UTF-8 byte order mark is ignored; CR LF lines and blank lines read as NDJSON")
    func byteOrderMarkAndLineEnds() throws {
        let items = try readAll(
            try file("bom.ndjson", [0xEF, 0xBB, 0xBF] + Array("{\"a\": 1}\r\n\r\n{\"b\": 2}\r\n".utf8)))
        #expect(items.map(\.line) == [1, 3])
        #expect(items[0].bytes == Array("{\"a\": 1}".utf8))
    }

    @Test("a one-line JSON form is streamed element by element, each with its place")
    func oneLineJSONForm() throws {
        let text =
            "{\"program\": \"tgp-2026\", \"applications\": [{\"a\": 1}, {\"b\": [1, {\"c\": \"]\"}]}, {\"bad\" 1}]}"
        let reader = try BatchReader(path: try file("one-line.json", text))
        #expect(reader.form == .jsonObject)
        #expect(reader.program == "tgp-2026")
        var items: [BatchReader.Item] = []
        while let item = try reader.next() { items.append(item) }
        #expect(items.map(\.record) == [1, 2, 3])
        #expect(items.map(\.line) == [1, 1, 1])
        #expect(String(decoding: items[2].bytes, as: UTF8.self) == "{\"bad\" 1}")
    }

    @Test("an NDJSON record that names its program first is still NDJSON")
    func ndjsonStartingWithProgram() throws {
        let items = try readAll(
            try file("p.ndjson", "{\"program\": \"tgp-2026\", \"applicant_id\": \"A\"}\n{\"program\": \"tgp-2026\"}\n"))
        #expect(items.count == 2)
        #expect(items.allSatisfy { $0.record == nil })
    }

    @Test("the JSON form over several lines gives each record the line it starts on")
    func multiLineJSONForm() throws {
        let text =
            "{\n  \"applications\": [\n    {\"a\": 1},\n    {\n      \"b\": 2\n    }\n  ],\n  \"program\": \"x\"\n}\n"
        let reader = try BatchReader(path: try file("multi.json", text))
        var lines: [Int] = []
        while let item = try reader.next() { lines.append(item.line) }
        #expect(lines == [3, 4])
        #expect(reader.program == "x")
    }

    @Test("form detection reads a large one-line JSON form in one pass (no rescans)")
    func largeOneLineFormIsLinear() throws {
        let record = "{\"applicant_id\": \"A\", \"note\": \"" + String(repeating: "y", count: 1_000) + "\"}"
        let text =
            "{\"program\": \"p\", \"applications\": [" + Array(repeating: record, count: 20_000).joined(separator: ",")
            + "]}"
        let count = try within(.seconds(10)) { try readAll(try file("big.json", text)).count }
        #expect(count == 20_000)
    }
}
