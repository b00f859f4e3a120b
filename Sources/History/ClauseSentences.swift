import Screening

/// The guideline sentence each clause implements, in the guideline's own language(s). The seed
/// (`004_07e4d7324d65d9ab.txt`) states Eligibility (1)–(10) in English only; its Attachment 5, the
/// partner list, is bilingual (title and every institution's name in Japanese and English). So a
/// clause's sentence is the English the rule quotes (``Clause/text``), and in Japanese the partner
/// list's own Japanese; Bursar's words around them come from ``MessageCatalogue``.
public enum ClauseSentences {
    public struct Sentence: Sendable, Equatable {
        public let english: String
        /// The guideline's Japanese, where it has one.
        public let japanese: String?
    }

    /// The sentence clause `id` implements (`documents.<type>` → the documents clause).
    public static func sentence(_ id: String, rules: RuleSet = .tokyoGlobalPartner) -> Sentence {
        let ruleID = id.hasPrefix("documents.") ? "documents" : id
        let english = rules.clauses.first { $0.id == ruleID }?.text ?? id
        return Sentence(english: english, japanese: nil)
    }

    /// Attachment 5's title, as the guideline writes it in each language.
    public static func partnerListTitle(_ language: Language) -> String {
        language == .ja
            ? "東京都立大学国際交流協定校一覧（2025.3.31時点）"
            : "List of the International Partner Universities (As of Mar.31,2025)"
    }

    /// The catalogue key of a clause's summary.
    public static func summaryKey(_ id: String) -> Message {
        if id.hasPrefix("documents.") { return .clauseDocuments }
        let keys: [String: Message] = [
            "eligibility.1": .clause1, "eligibility.2": .clause2, "eligibility.3": .clause3, "eligibility.4": .clause4,
            "eligibility.5": .clause5, "eligibility.6": .clause6, "eligibility.7": .clause7, "eligibility.8": .clause8,
            "eligibility.9": .clause9, "eligibility.10a": .clause10a, "eligibility.10b": .clause10b,
            "eligibility.10c": .clause10c,
            "eligibility.10d": .clause10d, "eligibility.10e": .clause10e, "identity.duplicate": .clauseDuplicate,
        ]
        return keys[id] ?? .clauseOther
    }
}
