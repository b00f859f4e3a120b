import Formats
import PropertyBased
import Testing

/// Member names and string values that make scanning hard: quotes, escapes, brackets and commas
/// inside strings, and the wanted name itself nested deeper or written with an escape.
private let pieces = ["documents", "a", "\"", "\\", "{", "}", "[", "]", ",", ":", " ", "\n", "é", "\u{1}"]
private let awkwardText = Gen<String?>.element(of: pieces).map { $0 ?? "" }.array(of: 0...6).map { $0.joined() }

@Suite("JSON member scan")
struct JSONMemberScanTests {
    /// The scanned member, parsed, or nil.
    private func scanned(_ name: String, _ text: String) throws -> JSONValue? {
        var text = text
        return try text.withUTF8 { bytes in
            try JSONMemberScan.valueRange(of: name, in: bytes).map {
                try JSONParser.parse(UnsafeBufferPointer(rebasing: bytes[$0]))
            }
        }
    }

    @Test("finds the same value as parsing the whole object, in canonical and spaced text")
    func sameAsParsing() async throws {
        await propertyCheck(input: awkwardText.array(of: 0...5), awkwardText) { keys, inner in
            let nested = JSONValue.object([("documents", .string(inner)), (inner, .array([.string(inner), .null]))])
            var members = keys.enumerated().map { ("\($0.element)\($0.offset)", JSONValue.string($0.element)) }
            members.append((inner, nested))
            if keys.count % 2 == 0 { members.append(("documents", .array([nested, .number("-1.5e3")]))) }
            let value = JSONValue.object(members)
            let spaced =
                " {\n"
                + members.map { name, member in
                    var out = JSONOutput()
                    out.string(name)
                    return String(decoding: out.bytes, as: UTF8.self) + " :\t" + member.canonicalText + " "
                }.joined(separator: ",\r\n") + "} "
            for text in [value.canonicalText, spaced] {
                // Compared as canonical text (the text holds members sorted); a throw fails too.
                let found = (try? scanned("documents", text)).map { $0?.canonicalText }
                #expect(found == .some(value["documents"]?.canonicalText), "\(text)")
            }
        }
    }

    @Test("a name written with an escape, a repeated name and a missing one")
    func escapesRepeatsAndAbsence() throws {
        #expect(try scanned("documents", #"{"docu\u006dents": [1], "x": {"documents": 2}}"#) == .array([.number("1")]))
        #expect(try scanned("documents", #"{"documents": 1, "documents": "last"}"#) == .string("last"))
        #expect(try scanned("documents", #"{"x": {"documents": [1]}, "y": "documents"}"#) == nil)
        #expect(try scanned("documents", #"[{"documents": 1}]"#) == nil)
        #expect(try scanned("documents", "{}") == nil)
    }
}
