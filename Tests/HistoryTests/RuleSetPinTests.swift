import Foundation
import History
import Partners
import Screening
import Testing

/// Issue 23, rule-set version discipline: "pinned by a test that fails when a rule's behaviour
/// changes on a fixed corpus without the version moving — so replay catches a silent change".
@Suite("The rule set's behaviour is pinned per version on a fixed corpus")
struct RuleSetPinTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let pinFile = repository.appendingPathComponent("Tests/Corpus/history/rule-set.pin")

    static func lines(_ url: URL) throws -> [String] {
        // Lossy: the intake corpus holds lines that are not UTF-8 on purpose.
        String(decoding: try Data(contentsOf: url), as: UTF8.self).split(separator: "\n").map(String.init).filter {
            !$0.isEmpty
        }
    }

    /// The fixed corpus: the public sample, the held-out variants, the intake corpus's records.
    static func corpus() throws -> [String] {
        let sample = repository.deletingLastPathComponent().appendingPathComponent(
            "shared/examples/tgp-2026-sample/batch.ndjson")
        return try lines(sample) + lines(repository.appendingPathComponent("Tests/Corpus/history/held-out.ndjson"))
            + lines(repository.appendingPathComponent("Tests/Corpus/intake/mixed.ndjson"))
    }

    static let program = try! Program.decode(
        Data(contentsOf: repository.appendingPathComponent("db/programs/tgp-2026.json")))
    static let partners = try! PartnerListCSV.parse(
        String(
            contentsOf: repository.appendingPathComponent("db/partners/tgp-2026.csv"),
            encoding: .utf8))

    /// Rule set → fingerprint, as pinned.
    static func pins() throws -> [String: String] {
        guard FileManager.default.fileExists(atPath: pinFile.path) else { return [:] }
        var pins: [String: String] = [:]
        for line in try lines(pinFile) where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { pins[String(parts[0])] = String(parts[1]) }
        }
        return pins
    }

    @Test("the shipped rule set decides the fixed corpus as pinned under its version")
    func pinned() throws {
        let fingerprint = RuleSetPin.fingerprint(
            records: try Self.corpus(), program: Self.program, partners: Self.partners)
        var pins = try Self.pins()
        if ProcessInfo.processInfo.environment["BURSAR_PIN_WRITE"] == "1" {
            pins[Self.program.ruleSet] = fingerprint
            let text =
                "# rule set → sha256 of the fixed corpus's decisions (scripts/pin-rule-set.sh writes it)\n"
                + pins.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "\n") + "\n"
            try text.write(to: Self.pinFile, atomically: true, encoding: .utf8)
        }
        #expect(
            pins[Self.program.ruleSet] == fingerprint,
            """
            The code decides the fixed corpus differently under rule set \(Self.program.ruleSet) than pinned: \
            a rule's behaviour changed without its version moving. Move rule_set in db/programs/tgp-2026.json, \
            add the old name to \
            RuleSetPin.retired, and run scripts/pin-rule-set.sh.
            """)
    }

    @Test("a rule changed without moving its version no longer matches the pin")
    func silentChangeIsCaught() throws {
        let changed = RuleSet(
            clauses: RuleSet.tokyoGlobalPartner.clauses.map { clause in
                clause.id == "eligibility.3" ? Self.lenientGPA(clause) : clause
            })
        let fingerprint = RuleSetPin.fingerprint(
            records: try Self.corpus(), program: Self.program, partners: Self.partners,
            rules: changed)
        #expect(try Self.pins()[Self.program.ruleSet] != fingerprint)
    }

    /// Clause (3) with its threshold silently lowered: every GPA failure passes instead.
    static func lenientGPA(_ clause: Clause) -> Clause {
        Clause(id: clause.id, text: clause.text) { context in
            clause.evaluate(context).map {
                $0.status == .fail
                    ? ClauseResult(id: $0.id, status: .pass, explanation: $0.explanation, facts: $0.facts) : $0
            }
        }
    }
}
