extension Clause {
    /// `documents.<type>`: every document of the program's checklist for the course, plus
    /// `language_certificate` whenever the language evidence includes a test score.
    ///
    /// Interface §1: "A document counts only if its file exists inside the batch folder, is a
    /// PDF, PNG or JPEG by its first bytes, is at most 20 MiB, and matches its sha256."
    /// Guideline, Content of Support (5): "All applicants must submit the housing referral form
    /// whether they wish for the service or not."
    public static let documents = Clause(
        id: "documents",
        text:
            "All applicants must submit the housing referral form whether they wish for the service or not. (Content "
                + "of Support (5)); the program's document checklist (interface §1)."
    ) { ctx in
        requiredDocuments(for: ctx.application, program: ctx.program).map { type in
            let id = "documents.\(type.rawValue)"
            let submitted = ctx.application.documents.filter { $0.type == type }
            if submitted.isEmpty {
                return ClauseResult(
                    id: id, status: .fail, explanation: "The \(type.displayName) is required but was not submitted.")
            }
            let checks = ctx.documents.filter { $0.type == type }
            if let good = checks.first(where: { $0.problem == nil }) {
                return ClauseResult(
                    id: id, status: .pass, explanation: "Submitted and verified (\(good.file)).",
                    facts: [.init("file", good.file)])
            }
            let problems = checks.compactMap { $0.problem }
            let why = problems.isEmpty ? "it has not been checked" : problems.joined(separator: "; ")
            return ClauseResult(id: id, status: .fail, explanation: "The \(type.displayName) cannot be used: \(why).")
        }
    }

    /// The document types the program requires of this application.
    public static func requiredDocuments(for app: Application, program: Program) -> [DocumentType] {
        var types = program.requiredDocuments[app.course]
        if program.languageCertificateForTestScores, app.language.contains(where: \.isTestScore),
            !types.contains(.languageCertificate)
        {
            types.append(.languageCertificate)
        }
        return types
    }

    /// `identity.duplicate`: another application of the program names the same person.
    public static let duplicate = Clause(
        id: "identity.duplicate",
        text:
            "Two applications of one program under different applicant_ids that are the same person … both get "
                + "identity.duplicate in review (interface §4)."
    ) { ctx in
        if ctx.duplicates.isEmpty {
            return ClauseResult(
                id: "identity.duplicate", status: .pass,
                explanation: "No other application of the program names the same person.")
        }
        let others = ctx.duplicates.map(\.otherApplicantID).sorted().joined(separator: ", ")
        return ClauseResult(
            id: "identity.duplicate", status: .review,
            explanation:
                "The same person (name, birth date, citizenship) also applied as \(others); an officer must resolve "
                    + "which application stands.",
            facts: ctx.duplicates.map { .init("other application", $0.otherApplicantID) })
    }
}
