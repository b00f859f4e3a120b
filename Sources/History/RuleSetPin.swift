import Formats
import Partners
import Screening
import Store

/// Rule-set version discipline (issue 23). A decision names its rule set (`tgp-2026@1`, from the
/// program definition); the code that decides can change without that name moving. The fixed
/// corpus of `Tests/Corpus/history` is decided by the code and its fingerprint pinned per rule-set
/// name in `Tests/Corpus/history/rule-set.pin`: `RuleSetPinTests` fails when the code decides the
/// corpus differently under a pinned name — move the name (the program definition's `rule_set`) and
/// refresh the pin with `scripts/pin-rule-set.sh`. Replay then says which stored decisions the new
/// rules decide differently.
public enum RuleSetPin {
    /// Rule sets that stored decisions may name and that this build no longer runs (their
    /// behaviour was replaced under a new name). Replay says so and compares with the current
    /// rules. When the name moves, the old one is added here.
    public static let retired: Set<String> = [
        // Clause (3) read courses of study as alternatives and look-alike marks both ways (issue 21
        // item 9); partner aliases and bracket rules grew (issue 26 item 8).
        "tgp-2026@1"
    ]

    /// The fingerprint of `records` (application objects, one JSON text each) decided by `rules`
    /// under `program` and `partners`, every required document present and no exclusion or
    /// duplicate: the sha256 of every decision's record and trace.
    public static func fingerprint(
        records: [String], program: Program, partners: [Partner],
        rules: RuleSet = .tokyoGlobalPartner
    ) -> String {
        let maker = DecisionMaker(
            program: program, rules: rules,
            partners: PartnerData(partners: partners, confirmed: [:], rejected: []).matcher(),
            exclusions: [], withdrawn: [:])
        var text = ""
        for record in records {
            let application: Application
            do { application = try DecisionMaker.application(record) } catch {
                // What the decoder refuses is part of the behaviour too.
                text += "rejected: \(error)\n"
                continue
            }
            let documents = application.documents.map { DocumentCheck(type: $0.type, file: $0.file, problem: nil) }
            let decision = maker.decide(application, documents: documents, duplicates: [])
            let summary = DecisionRecord(
                applicantID: decision.applicantID, revision: 1, outcome: decision.outcome, gpa: decision.gpa,
                categories: decision.categories, failed: decision.failed, review: decision.review,
                conditions: decision.conditions, ruleSet: decision.ruleSet)
            text += summary.json + "\n" + DecisionTrace(decision).json + "\n"
        }
        return SHA256.hex(Array(text.utf8))
    }
}
