extension Clause {
    /// Eligibility (4): Japanese or English proficiency, (a) to (f).
    ///
    /// The equivalences of (d) "level B2 of the CEFR or higher in English" are program data
    /// (CEFR B2+, IELTS ≥ 5.5, TOEFL iBT ≥ 72, TOEIC L&R ≥ 785). (c) and (f), the graduate
    /// school's judgment, are evidence of kind `school_judgment`. A CEFR level in Japanese is not
    /// one of (a)–(f) and does not count by itself.
    public static let language = Clause(
        id: "eligibility.4",
        text: """
            (4) Applicants must meet one of the following requirements for proficiency in Japanese or English: (a) \
            Those who have passed the Japanese Language Proficiency Test (JLPT) level N2 or higher … (b) … \
            completed or are expected to complete an educational course … with Japanese as the primary language. (c) \
            … judged by the respective graduate school … to have Japanese language skills equivalent to (a) or \
            (b). (d) Those who have qualifications or certification test scores equivalent to level B2 of the Common \
            European Framework of Reference for Languages (CEFR) or higher in English … (e) … an educational \
            course … with English as the primary language. (f) … judged by the respective graduate school … to \
            have English language skills equivalent to (d) or (e).
            """
    ) { ctx in
        let eq = ctx.program.language
        let cefrOrder = ["A1", "A2", "B1", "B2", "C1", "C2"]
        var met: [String] = []
        var notMet: [String] = []
        func judge(_ ok: Bool, _ meets: String, _ misses: String) {
            if ok { met.append(meets) } else { notMet.append(misses) }
        }
        for evidence in ctx.application.language {
            switch evidence {
            case .jlpt(let level):
                judge(
                    level <= eq.jlptWeakestLevel, "(a) JLPT N\(level)",
                    "JLPT N\(level) is below N\(eq.jlptWeakestLevel)")
            case .instructionMedium(let language):
                met.append(
                    language == "japanese"
                        ? "(b) a qualifying course taught in Japanese" : "(e) a qualifying course taught in English")
            case .schoolJudgment(let language):
                met.append(
                    language == "japanese"
                        ? "(c) the graduate school's judgment (Japanese)"
                        : "(f) the graduate school's judgment (English)")
            case .cefr(let language, let level):
                let ok =
                    language == "english"
                    && (cefrOrder.firstIndex(of: level) ?? 0) >= (cefrOrder.firstIndex(of: eq.cefrMinimum) ?? 3)
                judge(
                    ok, "(d) CEFR \(level) in English",
                    "CEFR \(level) in \(language) is not \(eq.cefrMinimum) or higher in English")
            case .ielts(let score):
                let minimum = Rational(decimal: eq.ieltsMinimum) ?? Rational(11, 2)
                let shown = score.decimalString(places: 1)
                judge(score >= minimum, "(d) IELTS \(shown)", "IELTS \(shown) is below \(eq.ieltsMinimum)")
            case .toeflIBT(let score):
                judge(
                    score >= eq.toeflIbtMinimum, "(d) TOEFL iBT \(score)",
                    "TOEFL iBT \(score) is below \(eq.toeflIbtMinimum)")
            case .toeic(let score):
                judge(score >= eq.toeicMinimum, "(d) TOEIC \(score)", "TOEIC \(score) is below \(eq.toeicMinimum)")
            }
        }
        if !met.isEmpty {
            return ClauseResult(
                id: "eligibility.4", status: .pass, explanation: "Met by \(met.joined(separator: "; ")).",
                facts: met.map { .init("evidence", $0) })
        }
        let why = ctx.application.language.isEmpty ? "no language evidence was given" : notMet.joined(separator: "; ")
        return ClauseResult(
            id: "eligibility.4", status: .fail,
            explanation: "None of (a) to (f) is met: \(why). (Equivalences: \(eq.source).)",
            facts: notMet.map { .init("evidence", $0) })
    }
}
