import XCTest

@testable import Screening

/// Validation of the application object: field paths in every error, all errors listed.
final class DecoderTests: XCTestCase {
    private func errors(_ change: (inout [String: Any]) -> Void) throws -> [FieldError] {
        var object = try JSONSerialization.jsonObject(with: Data(Fixtures.baseRecord.utf8)) as! [String: Any]
        change(&object)
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        switch ApplicationDecoder.decode(try JSONParser.parse(text)) {
        case .success: return []
        case .failure(let rejection): return rejection.errors
        }
    }

    /// A mark outside the scale ("Z") is excluded, not refused (see NonScaleMarkTests); a score
    /// outside 0–100 is a field error named by its path.
    func testScoreOutsideTheRangeNamesItsPath() throws {
        let found = try errors { o in
            var t = (o["transcripts"] as! [[String: Any]])[0]
            var courses = t["courses"] as! [[String: Any]]
            courses[3]["grade"] = 105
            t["courses"] = courses
            o["transcripts"] = [t]
        }
        XCTAssertEqual(found.map(\.field), ["transcripts[0].courses[3].grade"])
        XCTAssertEqual(found.first?.message, "is not a score 0–100")
    }

    func testEveryErrorIsListed() throws {
        let found = try errors { o in
            o["birth_date"] = "2001-02-30"
            o["course"] = "bachelor"
            o["citizenships"] = ["th"]
            o.removeValue(forKey: "declarations")
            o["family_name"] = String(repeating: "x", count: 201)
        }
        XCTAssertEqual(
            Set(found.map(\.field)), ["birth_date", "course", "citizenships[0]", "declarations", "family_name"])
    }

    func testExactNumbersAndLimits() throws {
        XCTAssertEqual(
            try errors { o in
                var t = (o["transcripts"] as! [[String: Any]])[0]
                var courses = t["courses"] as! [[String: Any]]
                courses[0]["credits"] = 100
                t["courses"] = courses
                o["transcripts"] = [t]
            }.map(\.field), ["transcripts[0].courses[0].credits"])
        XCTAssertEqual(try errors { $0["applicant_id"] = "bad id!" }.map(\.field), ["applicant_id"])
        XCTAssertEqual(Rational(decimal: "1.5"), Rational(3, 2))
        XCTAssertEqual(
            Rational(decimal: "0.1")! + Rational(decimal: "0.2")!, Rational(decimal: "0.3"), "no binary floating point")
    }

    func testCanonicalTextIsPinned() throws {
        // The content hash of every stored revision depends on these exact bytes.
        let value = try JSONParser.parse(
            "{\"b\": 1.50, \"a\": \"x\\\"\\\\\\n\\u0001é\", \"c\": [], \"a\": {\"z\": null, \"y\": false}}")
        XCTAssertEqual(
            value.canonicalText, "{\"a\":{\"y\":false,\"z\":null},\"b\":1.50,\"c\":[]}",
            "sorted, compact, the last of a repeated name")
        XCTAssertEqual(JSONWriter.string("q\"b\\n\nt\tc\u{1}é"), "\"q\\\"b\\\\n\\nt\\tc\\u0001é\"")
    }

    func testParserReadsEscapesAndRejectsInvalidUTF8() throws {
        XCTAssertEqual(try JSONParser.parse("\"é\\u00e9\\ud83c\\udf93\\/\""), .string("éé🎓/"))
        XCTAssertEqual(try JSONParser.parse("\"plain ascii\""), .string("plain ascii"))
        XCTAssertThrowsError(try JSONParser.parse([0x22, 0xFF, 0x22]), "a byte that is not UTF-8")
        XCTAssertThrowsError(try JSONParser.parse([0x22, 0x61, 0x0A, 0x22]), "a raw newline inside a string")
        XCTAssertThrowsError(try JSONParser.parse("\"\\ud83c\""), "an unpaired surrogate")
        XCTAssertThrowsError(try JSONParser.parse("\"unterminated"))
    }

    func testCanonicalTextIgnoresMemberOrderAndSpacing() throws {
        let a = try JSONParser.parse("{\"b\": 1, \"a\": [true, null]}")
        let b = try JSONParser.parse("{ \"a\":[true,null] ,\"b\":1}")
        XCTAssertEqual(a.canonicalText, b.canonicalText)
    }
}
