extension Clause {
    /// Eligibility (10)(a): Japanese citizens, special permanent residents, permanent residents.
    public static let japaneseResident = exclusion(
        id: "eligibility.10a",
        text:
            "(10) An applicant should not fall under any of the following categories: (a) to (e). … (a) Those with "
                + "Japanese citizenship, special permanent resident status, or who are allowed to reside in Japan "
                + "permanently"
    ) { app in
        if app.citizenships.contains("JP") { return "holds Japanese citizenship" }
        if app.japanStatus == .specialPermanentResident { return "has special permanent resident status" }
        if app.japanStatus == .permanentResident {
            return "is allowed to reside in Japan permanently (permanent resident)"
        }
        return nil
    }

    /// Eligibility (10)(b): active military personnel or army civilian employees.
    public static let military = exclusion(
        id: "eligibility.10b",
        text: "(b) Those who are military personnel on active duty or army civilian employees"
    ) { app in app.declarations.activeMilitary ? "declares active military duty or army civilian employment" : nil }

    /// Eligibility (10)(c): other scholarship or research fund at the time of enrollment.
    ///
    /// Any declared support counts: the clause names "a scholarship, research fund, and the like".
    /// (The narrower exception for research funds belongs to the termination rules, after admission.)
    public static let otherSupport = exclusion(
        id: "eligibility.10c",
        text:
            "(c) Those who will receive a scholarship, research fund, and the like from other institutions at the time "
                + "of enrollment"
    ) { app in
        let support = app.declarations.supportAtEnrollment
        return support.isEmpty ? nil : "will receive \(support.map(\.rawValue).joined(separator: ", ")) at enrollment"
    }

    /// Eligibility (10)(d): former MEXT scholarship master's students, when applying for a master's.
    public static let formerMEXTMaster = formerMEXT(
        id: "eligibility.10d", level: .master,
        text:
            "(d) Those who have previously been enrolled in a master's program of TMU or another university in Japan "
                + "as a Japanese Government Scholarship international student (if you apply for a master's program)"
    )

    /// Eligibility (10)(e): former MEXT scholarship doctoral students, when applying for a doctoral.
    public static let formerMEXTDoctoral = formerMEXT(
        id: "eligibility.10e", level: .doctoral,
        text:
            "(e) Those who have previously been enrolled in a doctoral program of TMU or another university in Japan "
                + "as a Japanese Government Scholarship international student (if you apply for a doctoral program)"
    )

    /// A clause of (10): fails on the application's own data or on an exact match in an
    /// exclusion list enforcing it; a close list match goes to review.
    static func exclusion(
        id: String, text: String, applies: @escaping @Sendable (Application) -> Bool = { _ in true },
        notApplicable: String = "",
        declared: @escaping @Sendable (Application) -> String?
    ) -> Clause {
        Clause(id: id, text: text) { ctx in
            let app = ctx.application
            guard applies(app) else {
                return ClauseResult(id: id, status: .notApplicable, explanation: notApplicable)
            }
            let hits = ctx.exclusions.filter { $0.clause == id }
            let sure = hits.filter { $0.strength == .same }
            let close = hits.filter { $0.strength == .close }
            var reasons: [String] = []
            if let finding = declared(app) { reasons.append("The application \(finding).") }
            for hit in sure { reasons.append("The applicant is on the list \"\(hit.list)\" (entry \(hit.reference)).") }
            var facts = hits.map {
                ClauseResult.Fact(
                    "list \($0.list)", "\($0.reference) (\($0.strength == .same ? "match" : "close name"))")
            }
            if !reasons.isEmpty {
                return ClauseResult(id: id, status: .fail, explanation: reasons.joined(separator: " "), facts: facts)
            }
            if !close.isEmpty {
                let refs = close.map { "\"\($0.list)\" entry \($0.reference)" }.joined(separator: ", ")
                return ClauseResult(
                    id: id, status: .review,
                    explanation:
                        "Same birth date and citizenship as \(refs), with a close but not equal name: a person must "
                            + "check whether it is the same person.",
                    facts: facts)
            }
            facts.append(.init("checked", "declarations and exclusion lists"))
            return ClauseResult(
                id: id, status: .pass,
                explanation: "Not excluded: nothing in the application or the exclusion lists falls under it.",
                facts: facts)
        }
    }

    static func formerMEXT(id: String, level: Course, text: String) -> Clause {
        exclusion(
            id: id, text: text, applies: { $0.course == level },
            notApplicable: "Applies only to applicants for the \(level.courseWords)."
        ) { app in
            app.declarations.priorMEXT.contains(level)
                ? "declares previous enrolment in a \(level.programWords) as a Japanese Government (MEXT) Scholarship "
                    + "student"
                : nil
        }
    }
}
