extension Clause {
    /// Eligibility (3): GPA of 2.30 or above by the Conversion Table and Formula.
    ///
    /// Interpretation (interface §1 v1.2, "Courses" and "Marks off the scale"): the sentence asks
    /// for 2.30 "either in the course … enrolled at the time of application, or in the last
    /// educational institution attended", so each course of study (``GPAResult/Study``) is an
    /// alternative and (3) holds when any one reaches 2.30; the transcripts of one course pool (a
    /// transfer, see ``GPACalculator``). A look-alike mark is read both ways: (3) holds when some
    /// course reaches 2.30 with those marks counted at 0 and excluded, fails when no course
    /// reaches it under either reading, and otherwise goes to review naming the marks. When no
    /// course can be divided (all "Pass"), the Formula divides by zero: a person must judge.
    public static let gradePointAverage = Clause(
        id: "eligibility.3",
        text: """
            (3) A 2.30 Grade Point Average (GPA) or above, calculated by the following conversion table and formula, \
            is required either in the course at the Institution, an international partner university/institution or a \
            Japanese university enrolled at the time of application, or in the last educational institution attended \
            prior to application.
            """
    ) { ctx in
        GPAVerdict(gpa: ctx.gpa, threshold: ctx.program.gpaThresholdValue, required: ctx.program.gpaThreshold).result
    }
}

/// Clause (3)'s judgement of the courses of study under both readings, in words.
struct GPAVerdict {
    let gpa: GPAResult
    let threshold: Rational
    /// The threshold as the program writes it ("2.30").
    let required: String

    func reaches(_ study: GPAResult.Study, _ reading: MarkReading) -> Bool {
        study.gpa(reading).map { $0 >= threshold } ?? false
    }

    var result: ClauseResult {
        let passing = gpa.studies.filter { reaches($0, .excluded) && reaches($0, .countedAtZero) }
        // A course that reaches 2.30 under one reading only: its look-alike marks decide.
        let split = gpa.studies.filter { reaches($0, .excluded) != reaches($0, .countedAtZero) }
        let undivided = gpa.studies.filter { $0.excluded == nil || $0.countedAtZero == nil }
        let status: ClauseStatus = !passing.isEmpty ? .pass : (split.isEmpty && undivided.isEmpty ? .fail : .review)
        let courseWord = gpa.studies.count == 1 ? "" : "(3) asks for \(required) in any one course of study. "
        var verdict: [String] = []
        switch status {
        case .pass:
            let names = passing.map(\.name).joined(separator: ", ")
            verdict.append(
                gpa.studies.count == 1
                    ? "at least the required \(required)"
                    : "\(names) reaches the required \(required)")
        case .fail:
            verdict.append(
                gpa.studies.count == 1
                    ? "below the required \(required)"
                    : "no course reaches the required \(required)")
        default:
            for study in split {
                verdict.append(
                    "whether \(subject(study)) reaches the required \(required) depends on its look-alike "
                        + "marks (\(Self.names(study.lookAlikes))): a person must judge them")
            }
            for study in undivided {
                verdict.append(
                    "\(subject(study)) cannot be calculated: no mark is on the evaluation scale"
                        + (study.countedAtZero == nil ? "" : " unless look-alike marks count at 0 points")
                        + "; a person must judge the transcript")
            }
        }
        let described = gpa.studies.map { (gpa.studies.count == 1 ? "" : "\($0.name): ") + describe($0) }
        let explanation = courseWord + described.joined(separator: "; ") + "; " + verdict.joined(separator: "; ") + "."
        return ClauseResult(id: "eligibility.3", status: status, explanation: explanation, facts: facts)
    }

    var facts: [ClauseResult.Fact] {
        var facts: [ClauseResult.Fact] = []
        if let shown = gpa.truncated { facts.append(.init("gpa", shown)) }
        facts.append(.init("required", required))
        let counted = gpa.lines.filter { $0.gradePoint != nil }.count
        facts.append(.init("courses counted", String(counted)))
        let excluded = gpa.lines.filter { $0.gradePoint == nil && !$0.lookAlike }
        if !excluded.isEmpty { facts.append(.init("excluded outside the scale", Self.names(excluded))) }
        let lookAlikes = gpa.lines.filter(\.lookAlike)
        if !lookAlikes.isEmpty { facts.append(.init("look-alike marks", Self.names(lookAlikes))) }
        if gpa.studies.count > 1 || !lookAlikes.isEmpty {
            for study in gpa.studies {
                let both = MarkReading.allCases.map { reading in
                    (study.gpa(reading).map(GPAResult.shown) ?? "none") + " " + Self.words(reading)
                }
                facts.append(.init("GPA of \(study.name)", both.joined(separator: "; ")))
            }
        }
        return facts
    }

    /// What a verdict speaks of: the GPA, or the GPA of one course among several.
    func subject(_ study: GPAResult.Study) -> String {
        gpa.studies.count == 1 ? "the GPA" : "the GPA of \(study.name)"
    }

    /// One course of study in words: its GPA under both readings and what was left out.
    func describe(_ study: GPAResult.Study) -> String {
        let own = gpa.lines.filter { study.transcripts.contains($0.transcript) }
        let counted = own.filter { $0.gradePoint != nil }.count
        let excluded = own.filter { $0.gradePoint == nil && !$0.lookAlike }
        var text: String
        if let exact = study.excluded {
            text = "GPA \(GPAResult.shown(exact)) (exactly \(exact))"
            if !study.lookAlikes.isEmpty { text += " " + Self.words(.excluded) }
            text += " over \(counted) course\(counted == 1 ? "" : "s")"
        } else {
            text = "no course is graded on the evaluation scale"
        }
        if !excluded.isEmpty { text += ", \(excluded.count) excluded as outside the scale (\(Self.names(excluded)))" }
        if !study.lookAlikes.isEmpty, let zero = study.countedAtZero {
            text +=
                "; GPA \(GPAResult.shown(zero)) (exactly \(zero)) \(Self.words(.countedAtZero)) "
                + "(\(study.lookAlikes.count) look-alike mark\(study.lookAlikes.count == 1 ? "" : "s"): "
                + "\(Self.names(study.lookAlikes)))"
        }
        return text
    }

    static func words(_ reading: MarkReading) -> String {
        reading == .excluded ? "with look-alike marks excluded" : "with look-alike marks counted at 0 points"
    }

    /// Courses named for a person: "Seminar (W); Lab (A-)".
    static func names(_ lines: [GPAResult.Line]) -> String {
        lines.map { "\($0.title) (\($0.grade))" }.joined(separator: "; ")
    }
}
