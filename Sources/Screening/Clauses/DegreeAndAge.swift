extension Clause {
    /// Eligibility (1): degree and age.
    ///
    /// Interpretation: ages are completed years on the program's enrollment date (1 April 2026),
    /// for both courses — the master's sentence omits "at the time of enrollment", but it is the
    /// same requirement of the same program. A person reaches an age on their birthday.
    /// A master's, professional or doctoral-track applicant who holds a master's or professional
    /// degree also holds a bachelor's, so those degrees satisfy the master's course too.
    public static let degreeAndAge = Clause(
        id: "eligibility.1",
        text: """
            (1) For the doctoral course, a person who has or is expected to acquire a master's degree, has or is \
            expected to acquire a degree equivalent to a professional degree, or who has been recognized by the \
            graduate school as having academic ability equivalent to or higher than that of those who have a master's \
            degree or a professional degree through individual screening of admission qualifications. The person \
            should also have reached 24 years of age at the time of enrollment. For the master's course, a person who \
            has completed the 16-year course of school education, has or is expected to acquire a bachelor's degree, \
            or who has been recognized by the graduate school as having academic ability equivalent to or higher than \
            that of those who have graduated from any Japanese university through individual screening of admission \
            qualifications. The person should also have reached 22 years of age.
            """
    ) { ctx in
        let app = ctx.application
        let q = app.qualification
        let enrollment = ctx.program.enrollmentDate
        let age = app.birthDate.age(on: enrollment)
        let minimum = ctx.program.minimumAge[app.course]
        let degreeOK: Bool
        let degreeWhy: String
        switch app.course {
        case .doctoral:
            degreeOK = q.degree == .master || q.degree == .professional || q.individualScreening
            degreeWhy =
                degreeOK
                ? (q.individualScreening && !(q.degree == .master || q.degree == .professional)
                    ? "recognised through individual screening"
                    : "\(q.degree.rawValue) degree \(q.degreeStatus.rawValue)")
                : "the doctoral course needs a master's or professional degree (held or expected) or recognition "
                    + "through individual screening; the application declares \(q.degree.rawValue)"
        case .master:
            let hasDegree = q.degree == .bachelor || q.degree == .master || q.degree == .professional
            degreeOK = hasDegree || q.sixteenYearsEducation || q.individualScreening
            degreeWhy =
                degreeOK
                ? (hasDegree
                    ? "\(q.degree.rawValue) degree \(q.degreeStatus.rawValue)"
                    : (q.sixteenYearsEducation
                        ? "16 years of school education completed" : "recognised through individual screening"))
                : "the master's course needs 16 years of school education, a bachelor's degree (held or expected) or "
                    + "recognition through individual screening; none is declared"
        }
        let ageOK = age >= minimum
        let ageWhy =
            ageOK
            ? "aged \(age) on \(enrollment), at least \(minimum)"
            : "aged \(age) on \(enrollment) (born \(app.birthDate)); the \(app.course.courseWords) requires \(minimum)"
        return ClauseResult(
            id: "eligibility.1",
            status: degreeOK && ageOK ? .pass : .fail,
            explanation: "Degree: \(degreeWhy). Age: \(ageWhy).",
            facts: [
                .init("course", app.course.rawValue),
                .init("degree", "\(q.degree.rawValue) (\(q.degreeStatus.rawValue))"),
                .init("age at enrollment", String(age)), .init("minimum age", String(minimum)),
            ])
    }
}
