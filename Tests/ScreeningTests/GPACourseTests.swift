import Foundation
import PropertyBased
import Testing

@testable import Screening

/// Clause (3) over courses of study and look-alike marks (issue 21 item 9; interface §1 v1.2,
/// "Courses" and "Marks off the scale").
///
/// "(3) A 2.30 Grade Point Average (GPA) or above … is required either in the course at the
/// Institution, an international partner university/institution or a Japanese university enrolled
/// at the time of application, or in the last educational institution attended prior to
/// application."
@Suite("GPA courses of study and look-alike marks")
struct GPACourseTests {
    /// One transcript of pattern `pattern`, each grade weighing one credit.
    static func transcript(_ pattern: GradingPattern, _ grades: [String], course: String? = nil) -> Transcript {
        let courses = grades.enumerated().map { i, grade in
            CourseRecord(
                title: "c\(i) \(grade)", grade: ConversionTable.read(grade, pattern: pattern)!,
                credits: Rational(1))
        }
        return Transcript(institution: "X", pattern: pattern, unit: .credits, courses: courses, course: course)
    }

    static func decide(_ transcripts: [Transcript]) -> Decision {
        Fixtures.decide(Fixtures.base { $0.transcripts = transcripts })
    }

    static func clause(_ transcripts: [Transcript]) -> ClauseResult {
        Fixtures.result(decide(transcripts), "eligibility.3")
    }

    // MARK: Courses of study

    @Test(
        """
        "either in the course … enrolled at the time of application, or in the last educational institution \
        attended": an applicant who reaches 2.30 in one course passes, though the pool of both would fail
        """)
    func anyCourseReachingTheThresholdPasses() {
        let current = Self.transcript(.two, ["C", "C", "C", "C"], course: "master")
        let last = Self.transcript(.two, ["A", "A", "B"], course: "bachelor")
        #expect(
            GPACalculator.compute(
                [current, last].map {
                    var t = $0
                    t.course = nil
                    return t
                }
            ).truncated
                == "1.71", "pooled as before v1.2: (4 + 8) / 7")
        let decision = Self.decide([current, last])
        let clause = Fixtures.result(decision, "eligibility.3")
        #expect(clause.status == .pass)
        #expect(decision.gpa == "2.66", "the decision's gpa is the highest course GPA")
        #expect(clause.explanation.contains("course \"master\": GPA 1.00"), "\(clause.explanation)")
        #expect(clause.explanation.contains("course \"bachelor\": GPA 2.66"), "\(clause.explanation)")
        #expect(clause.facts.contains { $0.name == "GPA of course \"master\"" && $0.value.hasPrefix("1.00") })
        let trace = DecisionTrace(decision)
        #expect(trace.studies?.map(\.key) == ["master", "bachelor"])
        #expect(trace.studies?.map(\.gpaExcluded) == ["1", "8/3"])
    }

    @Test(
        """
        "If you are a transfer student … also calculate the GPA in the same way as the grades you gained before the \
        transfer": transcripts with the same key are one course, pooled
        """)
    func sameKeyPools() {
        let before = Self.transcript(.two, ["A"], course: "bachelor")
        let after = Self.transcript(.one, ["可"], course: "bachelor")
        let gpa = GPACalculator.compute([before, after])
        #expect(gpa.studies.count == 1)
        #expect(gpa.exact == Rational(2))
        #expect(Self.clause([before, after]).status == .fail)
    }

    @Test("transcripts without a key form one course together, beside the keyed ones")
    func unkeyedTranscriptsAreOneCourse() {
        let a = Self.transcript(.two, ["A", "A"])
        let b = Self.transcript(.two, ["C", "C"])
        let keyed = Self.transcript(.two, ["B", "B"], course: "master")
        let gpa = GPACalculator.compute([a, keyed, b])
        #expect(gpa.studies.map(\.key) == [nil, "master"])
        #expect(gpa.studies.map(\.transcripts) == [[0, 2], [1]])
        #expect(gpa.studies.map(\.excluded) == [Rational(2), Rational(2)])
        #expect(Self.clause([a, keyed, b]).status == .fail, "neither course reaches 2.30")
    }

    @Test("the course key is read from the record; a key that is not a string is a field error")
    func courseKeyIsRead() throws {
        func record(_ course: String) throws -> String {
            var object = try JSONSerialization.jsonObject(with: Data(Fixtures.baseRecord.utf8)) as! [String: Any]
            var transcript = (object["transcripts"] as! [[String: Any]])[0]
            transcript["course"] = "COURSE"
            object["transcripts"] = [transcript]
            let text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            return text.replacingOccurrences(of: "\"COURSE\"", with: course)
        }
        let app = try ApplicationDecoder.decode(try JSONParser.parse(try record("\"bachelor\""))).get()
        #expect(app.transcripts[0].course == "bachelor")
        let absent = Fixtures.application(Fixtures.baseRecord)
        #expect(absent.transcripts[0].course == nil)
        guard case .failure(let rejection) = ApplicationDecoder.decode(try JSONParser.parse(try record("3"))) else {
            Issue.record("a numeric course key was accepted")
            return
        }
        #expect(rejection.errors.map(\.field) == ["transcripts[0].course"])
    }

    // MARK: Look-alike marks

    @Test(
        """
        "a letter A–F or S with +/-, a letter of another pattern's scale (D under pattern 2), a number under a \
        letter pattern or a letter under a number pattern" is read both ways; Pass, W, AU … stay clearly not grades
        """,
        arguments: [
            (2, "A-", true), (2, "b+", true), (2, "D", true), (2, "S", true), (2, "E", true), (2, "85", true),
            (2, "良", true), (1, "A", true), (5, "S", true), (4, "D", true), (6, "B", true), (3, "A+", true),
            (3, "Fail", true), (2, "Pass", false), (2, "W", false), (2, "AU", false), (6, "Incomplete", false),
            (4, "合格", false), (1, "認定", false), (2, "Credit", false), (2, "Satisfactory", false),
            (2, "S/U", false), (2, "Approved", false), (3, "W", false),
        ])
    func lookAlikeOrNot(pattern: Int, mark: String, lookAlike: Bool) throws {
        let grade = try #require(ConversionTable.read(mark, pattern: GradingPattern(rawValue: pattern)!))
        #expect(grade == (lookAlike ? .lookAlike(mark) : .outsideScale(mark)))
    }

    @Test(
        """
        "(3) holds when some course reaches 2.30 under both readings": A A A A A A A A A B+ is 3.00 excluded, 2.70 \
        at 0 points
        """)
    func bothReadingsReach() {
        let decision = Self.decide([Self.transcript(.two, Array(repeating: "A", count: 9) + ["B+"])])
        let clause = Fixtures.result(decision, "eligibility.3")
        #expect(clause.status == .pass)
        #expect(decision.gpa == "3.00")
        #expect(clause.facts.contains { $0.name == "look-alike marks" && $0.value == "c9 B+ (B+)" })
        #expect(
            clause.explanation.contains("GPA 2.70 (exactly 27/10) with look-alike marks counted at 0 points"),
            "\(clause.explanation)")
    }

    @Test(
        """
        "fails when no course reaches it under either": C C B- is 1.00 excluded, 0.66 at 0 points
        """)
    func neitherReadingReaches() {
        let clause = Self.clause([Self.transcript(.two, ["C", "C", "B-"])])
        #expect(clause.status == .fail)
    }

    @Test(
        """
        "goes to review naming those marks otherwise": A A B A- is 2.66 excluded and 2.00 at 0 points; the decision's \
        gpa is the reading with look-alike marks excluded
        """)
    func readingsDisagreeGoesToReview() {
        let decision = Self.decide([Self.transcript(.two, ["A", "A", "B", "A-"])])
        let clause = Fixtures.result(decision, "eligibility.3")
        #expect(clause.status == .review)
        #expect(decision.outcome == .needsReview)
        #expect(decision.gpa == "2.66")
        #expect(clause.explanation.contains("depends on its look-alike marks (c3 A- (A-))"), "\(clause.explanation)")
        let trace = DecisionTrace(decision)
        #expect(trace.courses[3].lookAlike == true && trace.courses[3].gradePoint == nil)
        #expect(trace.studies?.first?.gpaExcluded == "8/3" && trace.studies?.first?.gpaCountedAtZero == "2")
        let record = DecisionRecord(
            applicantID: "x", revision: 1, outcome: decision.outcome, gpa: decision.gpa,
            categories: [], failed: [], review: decision.review, conditions: [], ruleSet: nil)
        let shown = DecisionReport.render(record: record, trace: trace, decidedAt: "now")
        #expect(shown.contains("no course key [0]: 2.66 / 2.00"), "\(shown)")
        #expect(shown.contains("c3 A-: A- → excluded, or 0 × 1 (a look-alike mark)"), "\(shown)")
    }

    @Test("a course reaching 2.30 under both readings decides, whatever another course's look-alike marks")
    func anotherCoursePassingSettlesIt() {
        let split = Self.transcript(.two, ["A", "A", "B", "A-"], course: "master")
        let clean = Self.transcript(.six, ["95", "91", "75"], course: "bachelor")
        #expect(Self.clause([split, clean]).status == .pass)
        let low = Self.transcript(.six, ["65", "61"], course: "bachelor")
        #expect(Self.clause([split, low]).status == .review)
    }

    @Test("a course with look-alike marks only: counted at 0 it fails, excluded nothing divides: review")
    func onlyLookAlikes() {
        let clause = Self.clause([Self.transcript(.two, ["A-", "B+"])])
        #expect(clause.status == .review)
        #expect(
            clause.explanation.contains("no mark is on the evaluation scale unless look-alike marks count"),
            "\(clause.explanation)")
    }

    // MARK: Properties of the rule

    /// The zero-point entry of each pattern, for replacing a look-alike mark by a real 0.
    static func zeroEntry(_ pattern: GradingPattern) -> String {
        switch pattern {
        case .one: return "不可"
        case .three, .six: return "0"
        default: return "F"
        }
    }

    static let onScale: [GradingPattern: [String]] = [
        .one: ["優", "良", "可", "不可"], .two: ["A", "B", "C", "F"], .four: ["S", "A", "B", "C", "F"],
        .five: ["A", "B", "C", "D", "F"], .three: ["95", "75", "65", "30"], .six: ["95", "85", "75", "65", "30"],
    ]
    static let lookAlikes: [GradingPattern: [String]] = [
        .one: ["A", "B+", "F"], .two: ["A-", "B+", "D", "85"], .four: ["A+", "D", "C-"], .five: ["S", "B-", "90"],
        .three: ["A", "B+"], .six: ["C", "S"],
    ]
    static let notGrades = ["Pass", "W", "AU", "合格"]

    /// A random transcript from one seed: a pattern, a key among three (or none), and marks on the
    /// scale (mostly good ones, so that GPAs straddle 2.30), look-alike marks and marks clearly not
    /// grades.
    static func randomTranscript(_ seed: Int) -> Transcript {
        var g = SplitMix(seed: UInt64(seed))
        let pattern = GradingPattern(rawValue: 1 + Int(g.next() % 6))!
        let key = [nil, "bachelor", "master", "transfer"][Int(g.next() % 4)]
        let courses = (0..<(1 + Int(g.next() % 6))).map { i -> CourseRecord in
            let kind = g.next() % 10
            let mark: String
            if kind < 7 {
                let scale = onScale[pattern]!
                mark = kind < 3 ? scale[0] : scale[Int(g.next() % UInt64(scale.count))]
            } else if kind < 9 {
                let marks = lookAlikes[pattern]!
                mark = marks[Int(g.next() % UInt64(marks.count))]
            } else {
                mark = notGrades[Int(g.next() % UInt64(notGrades.count))]
            }
            return CourseRecord(
                title: "t\(i)", grade: ConversionTable.read(mark, pattern: pattern)!,
                credits: Rational(1 + Int(g.next() % 4)))
        }
        return Transcript(institution: "X", pattern: pattern, unit: .credits, courses: courses, course: key)
    }

    /// The transcripts with every look-alike mark replaced (by a real 0, or removed).
    static func resolved(_ transcripts: [Transcript], toZero: Bool) -> [Transcript] {
        transcripts.map { transcript in
            var t = transcript
            t.courses = t.courses.compactMap { course in
                guard case .lookAlike = course.grade else { return course }
                guard toZero else { return nil }
                let zero = ConversionTable.read(zeroEntry(t.pattern), pattern: t.pattern)!
                return CourseRecord(title: course.title, grade: zero, credits: course.credits)
            }
            return t
        }
    }

    static func status(_ transcripts: [Transcript]) -> ClauseStatus {
        GPAVerdict(gpa: GPACalculator.compute(transcripts), threshold: Rational(23, 10), required: "2.30").result.status
    }

    @Test("both readings: pass ⇔ the marks at 0 pass; fail ⇔ the marks at 0 fail and without them fails")
    func bothReadingsProperty() async {
        await propertyCheck(input: Gen.int(in: 0...1_000_000).array(of: 1...4)) { seeds in
            let transcripts = seeds.map(Self.randomTranscript)
            let status = Self.status(transcripts)
            let zeroed = Self.status(Self.resolved(transcripts, toZero: true))
            let removed = Self.status(Self.resolved(transcripts, toZero: false))
            #expect((status == .pass) == (zeroed == .pass))
            #expect((status == .fail) == (zeroed == .fail && removed == .fail))
            #expect(
                GPACalculator.compute(transcripts).exact
                    == GPACalculator.compute(Self.resolved(transcripts, toZero: false)).exact,
                "the decision's gpa is the reading with look-alike marks excluded")
        }
    }

    @Test("the order of transcripts, and of courses within them, never changes (3) or the gpa")
    func orderIrrelevant() async {
        await propertyCheck(
            input: Gen.int(in: 0...1_000_000).array(of: 1...5),
            Gen.int(in: 0...1_000_000)
        ) { seeds, s in
            let transcripts = seeds.map(Self.randomTranscript)
            var g = SplitMix(seed: UInt64(s))
            var shuffled = transcripts.map { t -> Transcript in
                var t = t
                t.courses.shuffle(using: &g)
                return t
            }
            shuffled.shuffle(using: &g)
            #expect(Self.status(shuffled) == Self.status(transcripts))
            #expect(GPACalculator.compute(shuffled).exact == GPACalculator.compute(transcripts).exact)
        }
    }

    @Test("adding a course of study never turns a pass into a fail or a review, nor anything else into a fail")
    func addingACourseNeverTurnsAPassIntoAFail() async {
        await propertyCheck(
            input: Gen.int(in: 0...1_000_000).array(of: 1...4),
            Gen.int(in: 0...1_000_000)
        ) { seeds, s in
            let transcripts = seeds.map(Self.randomTranscript)
            var added = Self.randomTranscript(s)
            added.course = "another course"
            let before = Self.status(transcripts)
            let after = Self.status(transcripts + [added])
            if before == .pass { #expect(after == .pass) }
            if after == .fail { #expect(before == .fail, "a fail with the course was a fail without it") }
        }
    }
}
