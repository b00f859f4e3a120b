/// How a look-alike mark (``Grade/lookAlike(_:)``) enters the GPA. Interface §1 v1.2: such a mark
/// "is read both ways: counted at 0 points, and excluded".
public enum MarkReading: Sendable, CaseIterable {
    /// Neither its points nor its credits count.
    case excluded
    /// Its credits count at grade point 0.
    case countedAtZero
}

/// The guideline's GPA of an applicant: every course of study under both readings of look-alike
/// marks, with the trace of every course.
///
/// Formula: {(credits at grade point 3 × 3) + (credits at 2 × 2) + (credits at 1 × 1) +
/// (credits at 0 × 0)} ÷ (total number of registered credits).
public struct GPAResult: Sendable, Equatable {
    /// One course as it entered (or was left out of) the GPA.
    public struct Line: Sendable, Equatable {
        public var transcript: Int
        public var title: String
        public var grade: String
        /// nil when the grade is not on the scale and the course is excluded (a look-alike mark is
        /// excluded in one reading and counted at 0 in the other).
        public var gradePoint: Int?
        public var weight: Rational
        /// True for a mark that looks like a grade but is not on the pattern's scale.
        public var lookAlike: Bool
    }

    /// One course of study: the transcripts that share a `course` key (or all those without
    /// one), pooled as the transfer note says.
    public struct Study: Sendable, Equatable {
        /// The transcripts' `course` key; nil for the transcripts without a key.
        public let key: String?
        /// The indexes of its transcripts in the application.
        public let transcripts: [Int]
        /// The exact GPA with look-alike marks excluded; nil when nothing is on the scale.
        public let excluded: Rational?
        /// The exact GPA with look-alike marks counted at 0 points; nil when nothing counts.
        public let countedAtZero: Rational?
        /// The look-alike marks of its transcripts, in order.
        public let lookAlikes: [Line]

        /// The GPA under one reading.
        public func gpa(_ reading: MarkReading) -> Rational? {
            reading == .excluded ? excluded : countedAtZero
        }

        /// How a person reads which course this is.
        public var name: String { key.map { "course \"\($0)\"" } ?? "transcripts without a course key" }
    }

    /// Every course of study, in the order its first transcript appears.
    public let studies: [Study]
    /// Every course of every transcript, in order.
    public let lines: [Line]

    /// The decision's GPA: the highest course GPA with look-alike marks excluded (interface §1
    /// v1.2); nil when no course has a mark on the scale (nothing to divide by).
    public var exact: Rational? { studies.compactMap(\.excluded).max() }

    /// "A fraction in the GPA should be rounded down to the third decimal place."
    ///
    /// Read as the Japanese rule it translates (小数点第3位を切り捨て): the third decimal
    /// place and everything after it are dropped, leaving two decimals — which is also how the
    /// threshold "2.30" and interface §2 ("two decimals, truncated") write a GPA. It never
    /// rounds up: 2.299 is 2.29, and since the threshold has two decimals, comparing the
    /// truncated value with 2.30 gives the same answer as comparing the exact one.
    public var truncated: String? { exact.map(Self.shown) }

    /// A GPA as the guideline writes it: two decimals, truncated.
    public static func shown(_ gpa: Rational) -> String { gpa.decimalString(places: 2) }
}

public enum GPACalculator {
    /// Computes the GPA of every course of study under both readings of look-alike marks.
    ///
    /// - Courses of study (interface §1 v1.2): transcripts with the same `course` key are one
    ///   course, transcripts without a key form one course together, and different keys are
    ///   alternatives that clause (3) weighs one by one.
    /// - A transfer student's transcripts of one course all count: "use the number of credits you
    ///   gained at the university to which you have transferred. However, also calculate the GPA
    ///   in the same way as the grades you gained before the transfer" — each transcript's grades
    ///   are converted with its own pattern and the credits are pooled.
    /// - "If the credit system is not applicable for the classes you took, use the number of
    ///   subjects instead of the number of credits": a transcript in `subjects` weighs each
    ///   course 1, whatever credits it states.
    /// - "The subjects for which the grades do not fit the evaluation scale, such as those
    ///   evaluated as "Pass" or "Approved," must be excluded": neither their points nor their
    ///   credits count. A look-alike mark is excluded in one reading and counted at 0 in the other.
    public static func compute(_ transcripts: [Transcript]) -> GPAResult {
        var lines: [GPAResult.Line] = []
        var keys: [String?] = []
        var members: [[Int]] = []
        for (t, transcript) in transcripts.enumerated() {
            if let index = keys.firstIndex(of: transcript.course) {
                members[index].append(t)
            } else {
                keys.append(transcript.course)
                members.append([t])
            }
            for course in transcript.courses {
                let weight = transcript.unit == .subjects ? Rational(1) : (course.credits ?? Rational(1))
                let gp = ConversionTable.gradePoint(of: course.grade, pattern: transcript.pattern)
                var lookAlike = false
                if case .lookAlike = course.grade { lookAlike = true }
                lines.append(
                    .init(
                        transcript: t, title: course.title, grade: course.grade.description,
                        gradePoint: gp, weight: weight, lookAlike: lookAlike))
            }
        }
        let studies = zip(keys, members).map { key, indexes in
            let own = lines.filter { indexes.contains($0.transcript) }
            return GPAResult.Study(
                key: key, transcripts: indexes,
                excluded: gpa(own, reading: .excluded),
                countedAtZero: gpa(own, reading: .countedAtZero),
                lookAlikes: own.filter(\.lookAlike))
        }
        return GPAResult(studies: studies, lines: lines)
    }

    /// The Formula over some lines under one reading; nil when nothing counts.
    static func gpa(_ lines: [GPAResult.Line], reading: MarkReading) -> Rational? {
        var points = Rational.zero
        var weights = Rational.zero
        for line in lines {
            let point = line.gradePoint ?? (line.lookAlike && reading == .countedAtZero ? 0 : nil)
            guard let point else { continue }
            points = points + line.weight * Rational(point)
            weights = weights + line.weight
        }
        return weights == .zero ? nil : points / weights
    }
}
