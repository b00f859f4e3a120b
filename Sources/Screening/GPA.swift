/// The guideline's GPA of an applicant, with the trace of every course.
///
/// Formula: {(credits at grade point 3 × 3) + (credits at 2 × 2) + (credits at 1 × 1) +
/// (credits at 0 × 0)} ÷ (total number of registered credits).
public struct GPAResult: Sendable, Equatable {
    /// One course as it entered (or was left out of) the GPA.
    public struct Line: Sendable, Equatable {
        public var transcript: Int
        public var title: String
        public var grade: String
        /// nil when the grade is outside the scale and the course is excluded.
        public var gradePoint: Int?
        public var weight: Rational
    }

    /// The exact GPA, or nil when no course is on a scale (nothing to divide by).
    public let exact: Rational?
    public let lines: [Line]

    /// "A fraction in the GPA should be rounded down to the third decimal place."
    ///
    /// Read as the Japanese rule it translates (小数点第3位を切り捨て): the third decimal
    /// place and everything after it are dropped, leaving two decimals — which is also how the
    /// threshold "2.30" and interface §2 ("two decimals, truncated") write a GPA. It never
    /// rounds up: 2.299 is 2.29, and since the threshold has two decimals, comparing the
    /// truncated value with 2.30 gives the same answer as comparing the exact one.
    public var truncated: String? { exact?.decimalString(places: 2) }
}

public enum GPACalculator {
    /// Computes the GPA over every transcript.
    ///
    /// - A transfer student's transcripts all count: "use the number of credits you gained at
    ///   the university to which you have transferred. However, also calculate the GPA in the
    ///   same way as the grades you gained before the transfer" — each transcript's grades are
    ///   converted with its own pattern and the credits are pooled.
    /// - "If the credit system is not applicable for the classes you took, use the number of
    ///   subjects instead of the number of credits": a transcript in `subjects` weighs each
    ///   course 1, whatever credits it states.
    /// - "The subjects for which the grades do not fit the evaluation scale, such as those
    ///   evaluated as "Pass" or "Approved," must be excluded": neither their points nor their
    ///   credits count.
    public static func compute(_ transcripts: [Transcript]) -> GPAResult {
        var points = Rational.zero
        var weights = Rational.zero
        var lines: [GPAResult.Line] = []
        for (t, transcript) in transcripts.enumerated() {
            for course in transcript.courses {
                let weight = transcript.unit == .subjects ? Rational(1) : (course.credits ?? Rational(1))
                let gp = ConversionTable.gradePoint(of: course.grade, pattern: transcript.pattern)
                lines.append(.init(transcript: t, title: course.title, grade: course.grade.description, gradePoint: gp, weight: weight))
                guard let gp else { continue }
                points = points + weight * Rational(gp)
                weights = weights + weight
            }
        }
        return GPAResult(exact: weights == .zero ? nil : points / weights, lines: lines)
    }
}
