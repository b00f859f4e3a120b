import XCTest

@testable import Screening

/// The Conversion Table, the Formula and its notes, and invariants over random transcripts.
final class GPATests: XCTestCase {
    private func transcript(_ pattern: GradingPattern, _ courses: [(String, Int)], unit: Transcript.Unit = .credits)
        -> Transcript
    {
        Transcript(
            institution: "X", pattern: pattern, unit: unit,
            courses: courses.map {
                CourseRecord(title: "c", grade: ConversionTable.read($0.0, pattern: pattern)!, credits: Rational($0.1))
            })
    }

    /// "Grade point 3 3 2 1 0": a letter is worth different points in different patterns.
    func testConversionTablePatterns() {
        XCTAssertEqual(ConversionTable.gradePoint(pattern: .one, entry: "優"), 3)
        XCTAssertEqual(ConversionTable.gradePoint(pattern: .one, entry: "不可"), 0)
        XCTAssertEqual(ConversionTable.gradePoint(pattern: .two, entry: "A"), 3)
        XCTAssertEqual(ConversionTable.gradePoint(pattern: .two, entry: "B"), 2)
        XCTAssertEqual(ConversionTable.gradePoint(pattern: .four, entry: "S"), 3)
        XCTAssertEqual(ConversionTable.gradePoint(pattern: .four, entry: "A"), 3)
        XCTAssertEqual(
            ConversionTable.gradePoint(pattern: .five, entry: "B"), 3, "pattern 5: B is in the grade-point-3 column")
        XCTAssertEqual(ConversionTable.gradePoint(pattern: .five, entry: "D"), 1)
        XCTAssertEqual(ConversionTable.gradePoint(pattern: .three, score: Rational(80)), 3)
        XCTAssertEqual(ConversionTable.gradePoint(pattern: .three, score: Rational(79)), 2)
        XCTAssertEqual(ConversionTable.gradePoint(pattern: .six, score: Rational(89)), 3)
        XCTAssertEqual(ConversionTable.gradePoint(pattern: .six, score: Rational(59)), 0)
        XCTAssertEqual(
            ConversionTable.read("В", pattern: .two), .scale(written: "В", entry: "B"), "Cyrillic В reads as B")
        XCTAssertEqual(ConversionTable.read("Z", pattern: .two), .outsideScale("Z"), "not on the scale: excluded")
        // Interface v1.2: a letter of another pattern's scale looks like a grade and is read both ways.
        XCTAssertEqual(ConversionTable.read("S", pattern: .two), .lookAlike("S"), "S belongs to pattern 4 only")
        XCTAssertNil(ConversionTable.read("101", pattern: .three), "a score outside 0–100 is refused")
        XCTAssertEqual(
            ConversionTable.read("Excellent", pattern: .one).flatMap {
                ConversionTable.gradePoint(of: $0, pattern: .one)
            }, 3)
    }

    /// "A fraction in the GPA should be rounded down to the third decimal place."
    func testTruncatedNeverRoundedUp() {
        // (3×2 + 1×4 + 2×2 + 0×1) / 9 = 14/9 = 1.5555…
        let gpa = GPACalculator.compute([transcript(.two, [("A", 2), ("C", 4), ("B", 2), ("F", 1)])])
        XCTAssertEqual(gpa.exact, Rational(14, 9))
        XCTAssertEqual(gpa.truncated, "1.55")
        // 2.299…: (3 + 3 + 2×...) construct 23/10 - 1/1000 via credits
        // (3897 + 2 + 700) / 2000 = 2.2995
        let nearly = GPACalculator.compute([transcript(.two, [("A", 1299), ("B", 1), ("C", 700)])])
        XCTAssertEqual(nearly.truncated, "2.29")
    }

    /// "If the credit system is not applicable …, use the number of subjects instead of the number of credits".
    func testSubjectsCountOnceEach() {
        let gpa = GPACalculator.compute([
            transcript(.six, [("95", 1), ("91", 1), ("88", 1), ("61", 6)], unit: .subjects)
        ])
        XCTAssertEqual(gpa.truncated, "2.50")
    }

    /// "If you are a transfer student … also calculate the GPA in the same way as the grades you
    /// gained before the transfer".
    func testTransferStudentPoolsTranscripts() {
        let gpa = GPACalculator.compute([transcript(.two, [("A", 3)]), transcript(.one, [("可", 3)])])
        XCTAssertEqual(gpa.exact, Rational(2))
    }

    /// Property-based: order never matters, a Pass never changes it, 0 ≤ GPA ≤ 3, truncated ≤ exact.
    func testInvariantsOverRandomTranscripts() {
        var generator = SplitMix(seed: 2026)
        let letters: [GradingPattern: [String]] = [
            .one: ["優", "良", "可", "不可"], .two: ["A", "B", "C", "F"], .four: ["S", "A", "B", "C", "F"],
            .five: ["A", "B", "C", "D", "F"],
        ]
        for _ in 0..<500 {
            var transcripts: [Transcript] = []
            for _ in 0..<(1 + Int(generator.next() % 3)) {
                let pattern = GradingPattern(rawValue: 1 + Int(generator.next() % 6))!
                let courses = (0..<(1 + Int(generator.next() % 12))).map { _ -> (String, Int) in
                    let grade =
                        letters[pattern].map { $0[Int(generator.next() % UInt64($0.count))] }
                        ?? String(generator.next() % 101)
                    return (grade, 1 + Int(generator.next() % 6))
                }
                transcripts.append(transcript(pattern, courses, unit: generator.next() % 4 == 0 ? .subjects : .credits))
            }
            let gpa = GPACalculator.compute(transcripts)
            guard let exact = gpa.exact else { continue }
            XCTAssertTrue(exact >= .zero && exact <= Rational(3))
            let truncated = Rational(exact.truncated(places: 2), 100)
            XCTAssertTrue(truncated <= exact && exact - truncated < Rational(1, 100))
            var shuffled = transcripts.map { t -> Transcript in
                var t = t
                t.courses.shuffle(using: &generator)
                return t
            }
            shuffled.shuffle(using: &generator)
            XCTAssertEqual(GPACalculator.compute(shuffled).exact, exact, "order never matters")
            var withPass = transcripts
            withPass[0].courses.append(CourseRecord(title: "p", grade: .outsideScale("Pass"), credits: Rational(4)))
            XCTAssertEqual(GPACalculator.compute(withPass).exact, exact, "a Pass course never changes it")
        }
    }
}

extension Rational {
    static func - (a: Rational, b: Rational) -> Rational { a + Rational(-b.numerator, b.denominator) }
}

/// A seeded generator so the property test is repeatable.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
