import Foundation
import PropertyBased
import Testing

@testable import Screening

/// "The subjects for which the grades do not fit the evaluation scale, such as those evaluated as
/// "Pass" or "Approved," must be excluded." (Formula, third note; interface §1: such a mark "is
/// excluded from the GPA … and named in the trace; it does not reject the record. A score outside
/// 0–100, or a grade that is neither a string nor a number, is a field error.")
@Suite("Marks outside the evaluation scale")
struct NonScaleMarkTests {
    /// The base record with its first transcript's courses replaced.
    private func record(pattern: Int, courses: [[String: Any]]) throws -> String {
        var object = try JSONSerialization.jsonObject(with: Data(Fixtures.baseRecord.utf8)) as! [String: Any]
        var transcript = (object["transcripts"] as! [[String: Any]])[0]
        transcript["pattern"] = pattern
        transcript["courses"] = courses
        object["transcripts"] = [transcript]
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    private func decode(_ text: String) throws -> Result<Application, RecordRejection> {
        ApplicationDecoder.decode(try JSONParser.parse(text))
    }

    // Interface v1.2 moved `A+` and `D` (pattern 2) out of this list: they look like grades and are
    // read both ways (GPACourseTests).
    @Test(
        "W, AU, Incomplete, Credit, Satisfactory … are read, excluded and named; they never reject the record",
        arguments: [
            "W", "AU", "Incomplete", "Credit", "Satisfactory", "IP", "NR", "P", "S/U", "Withdrawn", "履修",
            "In progress – no grade yet",
        ])
    func excludedNotRejected(mark: String) throws {
        let text = try record(
            pattern: 2,
            courses: [
                ["title": "Calculus", "grade": "A", "credits": 3], ["title": "Seminar", "grade": mark, "credits": 2],
                ["title": "Physics", "grade": "B", "credits": 3],
            ])
        let app = try decode(text).get()
        #expect(app.transcripts[0].courses[1].grade == .outsideScale(mark))
        let decision = Fixtures.decide(app)
        #expect(decision.gpaTrace.exact == Rational(15, 6), "(3×3 + 2×3) / 6: the seminar's credits do not count")
        #expect(decision.gpaTrace.lines[1].gradePoint == nil)
        let clause = Fixtures.result(decision, "eligibility.3")
        #expect(clause.status == .pass)
        #expect(
            clause.explanation.contains("1 excluded as outside the scale (Seminar (\(mark)))"), "\(clause.explanation)")
        #expect(clause.facts.contains { $0.name == "excluded outside the scale" && $0.value == "Seminar (\(mark))" })
        let trace = DecisionTrace(decision)
        #expect(trace.courses[1].grade == mark && trace.courses[1].gradePoint == nil, "the stored trace names the mark")
    }

    // Interface v1.2: a number under a letter pattern looks like a grade and is read both ways; the
    // decision's gpa is the reading that excludes it.
    @Test("a score 0–100 on a letter pattern is no mark of that scale: a look-alike, not refused")
    func scoreOnLetterPatternIsExcluded() throws {
        let courses: [[String: Any]] = [
            ["title": "x", "grade": 85, "credits": 1], ["title": "y", "grade": "B", "credits": 1],
        ]
        let app = try decode(try record(pattern: 2, courses: courses)).get()
        #expect(app.transcripts[0].courses[0].grade == .lookAlike("85"))
        #expect(Fixtures.decide(app).gpa == "2.00")
    }

    @Test("a score written with a percent sign is the score")
    func percentSign() {
        #expect(ConversionTable.read("85%", pattern: .three) == .score(Rational(85)))
        #expect(ConversionTable.read("85 %", pattern: .six) == .score(Rational(85)))
        #expect(ConversionTable.read("150%", pattern: .three) == nil, "still outside 0–100")
    }

    @Test("a word on a score pattern is outside the scale")
    func wordOnScorePatternIsExcluded() throws {
        let app = try decode(
            try record(
                pattern: 6,
                courses: [
                    ["title": "x", "grade": "Pass", "credits": 1], ["title": "y", "grade": "W", "credits": 1],
                    ["title": "z", "grade": 91, "credits": 2],
                ])
        ).get()
        #expect(Fixtures.decide(app).gpa == "3.00")
    }

    @Test(
        "a score outside 0–100 or a grade that is neither string nor number stays a field error",
        arguments: [
            (2, "105"), (2, "-1"), (3, "100.5"), (6, "\"150\""), (6, "\"-3\""), (2, "true"), (3, "{}"), (2, "[\"A\"]"),
            (6, "null"),
        ])
    func fieldErrors(pattern: Int, grade: String) throws {
        let text = try record(pattern: pattern, courses: [["title": "x", "grade": "GRADE", "credits": 1]])
            .replacingOccurrences(of: "\"GRADE\"", with: grade)
        guard case .failure(let rejection) = try decode(text) else {
            Issue.record("\(grade) in pattern \(pattern) was accepted")
            return
        }
        #expect(rejection.errors.map(\.field) == ["transcripts[0].courses[0].grade"])
    }

    @Test("only marks outside the scale: nothing to divide by, a person judges")
    func allExcludedGoesToReview() throws {
        let app = try decode(
            try record(
                pattern: 4,
                courses: [["title": "x", "grade": "W", "credits": 1], ["title": "y", "grade": "AU", "credits": 1]])
        ).get()
        let clause = Fixtures.result(Fixtures.decide(app), "eligibility.3")
        #expect(clause.status == .review)
        #expect(clause.explanation.contains("x (W); y (AU)"))
    }

    // MARK: Properties of the GPA rules

    private static let letters: [GradingPattern: [String]] = [
        .one: ["優", "良", "可", "不可", "Excellent", "good", "FAIR", "Fail"], .two: ["A", "B", "C", "F"],
        .four: ["S", "A", "B", "C", "F"], .five: ["A", "B", "C", "D", "F"],
    ]
    private static let nonScale = [
        "Pass", "Approved", "W", "AU", "Incomplete", "Credit", "Satisfactory", "合格", "P", "IP", "Exempt", "NR",
    ]

    /// Random graded courses of a random pattern: (pattern, grade, credits) triples.
    private static func courses(_ seeds: [Int], pattern: GradingPattern) -> [CourseRecord] {
        seeds.enumerated().map { i, seed in
            let written = letters[pattern].map { $0[seed % $0.count] } ?? String(seed % 101)
            return CourseRecord(
                title: "c\(i)", grade: ConversionTable.read(written, pattern: pattern)!,
                credits: Rational(1 + seed % 7, seed % 3 == 0 ? 2 : 1))
        }
    }

    @Test("excluding marks outside the scale never changes the GPA of the graded courses")
    func exclusionNeverChangesTheGPA() async {
        await propertyCheck(
            input: Gen.int(in: 1...6), Gen.int(in: 0...10_000).array(of: 1...15),
            Gen.int(in: 0...10_000).array(of: 0...8)
        ) { p, seeds, extra in
            let pattern = GradingPattern(rawValue: p)!
            let graded = Transcript(
                institution: "X", pattern: pattern, unit: .credits, courses: Self.courses(seeds, pattern: pattern))
            var mixed = graded
            for (i, seed) in extra.enumerated() {
                let mark = Self.nonScale[seed % Self.nonScale.count]
                let grade = ConversionTable.read(mark, pattern: pattern)!
                #expect(grade == .outsideScale(mark), "\(mark) is outside the scale of pattern \(p)")
                mixed.courses.insert(
                    CourseRecord(title: "n\(i)", grade: grade, credits: Rational(1 + seed % 9)),
                    at: seed % (mixed.courses.count + 1))
            }
            let before = GPACalculator.compute([graded])
            let after = GPACalculator.compute([mixed])
            #expect(after.exact == before.exact)
            #expect(
                after.lines.filter { $0.gradePoint == nil }.count == extra.count, "every excluded mark is in the trace")
        }
    }

    // Interface v1.2: what looks like a grade (a letter A–F or S, bare or with +/-, or another
    // pattern's entry) is a look-alike; any other text is outside the scale.
    @Test("any text that is not an entry of a letter pattern's scale and not a number is read as outside the scale")
    func anyOtherTextIsOutsideTheScale() async {
        await propertyCheck(input: Gen.int(in: 1...6), Gen.letterOrNumber.string(of: 1...6)) { p, text in
            let pattern = GradingPattern(rawValue: p)!
            let folded = ConversionTable.foldEntry(text)
            let grade = ConversionTable.read(text, pattern: pattern)
            if ConversionTable.isNumeral(folded) {
                return  // numbers are scores: pinned by the field-error test above
            }
            let otherPattern = GradingPattern.allCases.contains {
                $0 != pattern && ConversionTable.gradePoint(pattern: $0, entry: folded) != nil
            }
            let letter = folded.hasSuffix("+") || folded.hasSuffix("-") ? String(folded.dropLast()) : folded
            if ConversionTable.gradePoint(pattern: pattern, entry: folded) != nil {
                #expect(grade == .scale(written: text, entry: folded))
            } else if otherPattern || ["A", "B", "C", "D", "E", "F", "S"].contains(letter) {
                #expect(grade == .lookAlike(text))
            } else {
                #expect(grade == .outsideScale(text))
            }
        }
    }

    @Test("the shown GPA is truncated, never rounded up: shown ≤ exact < shown + 0.01")
    func truncationNeverRoundsUp() async {
        await propertyCheck(input: Gen.int(in: 1...6), Gen.int(in: 0...10_000).array(of: 1...25), Gen.bool()) {
            p, seeds, subjects in
            let pattern = GradingPattern(rawValue: p)!
            let gpa = GPACalculator.compute([
                Transcript(
                    institution: "X", pattern: pattern, unit: subjects ? .subjects : .credits,
                    courses: Self.courses(seeds, pattern: pattern))
            ])
            guard let exact = gpa.exact, let shown = gpa.truncated.flatMap({ Rational(decimal: $0) }) else {
                Issue.record("graded courses always give a GPA")
                return
            }
            #expect(shown <= exact)
            #expect(exact < shown + Rational(1, 100))
            #expect(exact >= .zero && exact <= Rational(3))
            // The threshold has two decimals, so the truncated and the exact value decide alike.
            #expect((shown >= Rational(23, 10)) == (exact >= Rational(23, 10)))
        }
    }

    @Test("subjects weigh one each whatever credits they state")
    func subjectsWeighOne() async {
        await propertyCheck(input: Gen.int(in: 1...6), Gen.int(in: 0...10_000).array(of: 1...15)) { p, seeds in
            let pattern = GradingPattern(rawValue: p)!
            let courses = Self.courses(seeds, pattern: pattern)
            let bySubject = GPACalculator.compute([
                Transcript(institution: "X", pattern: pattern, unit: .subjects, courses: courses)
            ])
            let unitCredits = courses.map { CourseRecord(title: $0.title, grade: $0.grade, credits: Rational(1)) }
            #expect(
                bySubject.exact
                    == GPACalculator.compute([
                        Transcript(institution: "X", pattern: pattern, unit: .credits, courses: unitCredits)
                    ]).exact)
        }
    }
}
