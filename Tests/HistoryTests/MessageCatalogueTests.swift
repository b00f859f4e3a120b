import History
import Testing

/// Issue 23: the words of `payments explain` are "in a message catalogue with one key per message,
/// tested for completeness".
@Suite("The explain catalogue is complete in both languages")
struct MessageCatalogueTests {
    static func placeholders(_ text: String) -> Set<String> {
        Set((0..<10).map { "{\($0)}" }.filter(text.contains))
    }

    @Test("every key has an English and a Japanese message with the same placeholders")
    func complete() {
        for key in Message.allCases {
            let english = MessageCatalogue.english[key]
            let japanese = MessageCatalogue.japanese[key]
            #expect(english?.isEmpty == false, "no English for \(key)")
            #expect(japanese?.isEmpty == false, "no Japanese for \(key)")
            #expect(
                Self.placeholders(english ?? "") == Self.placeholders(japanese ?? ""), "placeholders differ for \(key)")
        }
        #expect(MessageCatalogue.english.count == Message.allCases.count)
        #expect(MessageCatalogue.japanese.count == Message.allCases.count)
    }

    @Test("every clause of the rule set has its own summary and its guideline sentence")
    func clauses() {
        for id in [
            "eligibility.1", "eligibility.2", "eligibility.3", "eligibility.4", "eligibility.5", "eligibility.6",
            "eligibility.7", "eligibility.8", "eligibility.9", "eligibility.10a", "eligibility.10b", "eligibility.10c",
            "eligibility.10d", "eligibility.10e", "documents.passport", "identity.duplicate",
        ] {
            #expect(ClauseSentences.summaryKey(id) != .clauseOther, "\(id)")
            #expect(ClauseSentences.sentence(id).english != id, "\(id) quotes its guideline sentence")
        }
    }
}
