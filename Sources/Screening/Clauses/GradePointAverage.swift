extension Clause {
    /// Eligibility (3): GPA of 2.30 or above by the Conversion Table and Formula.
    ///
    /// Interpretation: every transcript submitted is part of "the course at the Institution …
    /// or … the last educational institution attended" (several only for a transfer student),
    /// so the GPA pools them (see ``GPACalculator``). When no course is graded on the scale
    /// (all "Pass"), the Formula divides by zero: a person must judge (review).
    public static let gradePointAverage = Clause(
        id: "eligibility.3",
        text: """
        (3) A 2.30 Grade Point Average (GPA) or above, calculated by the following conversion table and formula, is \
        required either in the course at the Institution, an international partner university/institution or a Japanese \
        university enrolled at the time of application, or in the last educational institution attended prior to application.
        """
    ) { ctx in
        let threshold = ctx.program.gpaThresholdValue
        let counted = ctx.gpa.lines.filter { $0.gradePoint != nil }.count
        // Every excluded mark is named, so a person sees what the GPA left out and why.
        let excludedLines = ctx.gpa.lines.filter { $0.gradePoint == nil }
        let excludedNames = excludedLines.map { "\($0.title) (\($0.grade))" }.joined(separator: "; ")
        let excludedFacts: [ClauseResult.Fact] = excludedLines.isEmpty ? [] : [.init("excluded outside the scale", excludedNames)]
        guard let exact = ctx.gpa.exact, let shown = ctx.gpa.truncated else {
            return ClauseResult(id: "eligibility.3", status: .review,
                                explanation: "No course is graded on the evaluation scale (\(excludedLines.count) excluded as outside it: \(excludedNames)), so the GPA cannot be calculated; a person must judge the transcript.",
                                facts: [.init("courses excluded", String(excludedLines.count))] + excludedFacts)
        }
        let ok = exact >= threshold
        let exclusion = excludedLines.isEmpty ? "" : ", \(excludedLines.count) excluded as outside the scale (\(excludedNames))"
        return ClauseResult(
            id: "eligibility.3", status: ok ? .pass : .fail,
            explanation: "GPA \(shown) (exactly \(exact)) over \(counted) course\(counted == 1 ? "" : "s")\(exclusion); \(ok ? "at least" : "below") the required \(ctx.program.gpaThreshold).",
            facts: [.init("gpa", shown), .init("required", ctx.program.gpaThreshold), .init("courses counted", String(counted))] + excludedFacts)
    }
}
