import Foundation
import Postgres
import Screening
import Testing

@testable import Store

/// Issue 11, stale decisions: "A decision always reflects the program data in force: when a
/// partner list, an officer's partner confirmation or rejection, an exclusion list or a duplicate
/// resolution changes, every application it affects is decided again" (interface §2), and each
/// decision records the versions of the program data it read (interface §7).
@Suite("Program data changes re-decide exactly what they affect", .serialized, .enabled(if: databaseAvailable))
struct ProgramDataChangeTests {
    static let partnerClause =
        "(b) Those who are enrolled in any of the universities listed in the International Partner "
            + "Universities/Institutions shown in Attachment 5"

    /// Guideline (2)(b), quoted in `partnerClause`: a spelling an officer confirmed as a partner and
    /// then rejected no longer makes the applicant a partner's student.
    @Test("partners reject right after confirm decides again the applications the confirmation made partners")
    func rejectRightAfterConfirm() async throws {
        let s = try await SampleScenario.make()
        try s.submitRevision(of: "S-07-partner-only") {
            $0.replacingOccurrences(
                of: "\"institution\": \"University of Bayreuth\", \"kind\"",
                with: "\"institution\": \"Bayreuth\", \"kind\"")
        }
        #expect(try s.outcome("S-07-partner-only") == "needs_review")
        let confirmed = try s.run([
            "partners", "confirm", "Bayreuth", "--partner", "University of Bayreuth", "--program", "tgp-2026",
        ])
        #expect(confirmed.contains("1 application queued"), "\(confirmed)")
        try s.run(["drain"])
        #expect(try s.outcome("S-07-partner-only") == "eligible")
        let rejected = try s.run([
            "partners", "reject", "Bayreuth", "--reason", "not the university", "--program", "tgp-2026",
        ])
        #expect(rejected.contains("1 application queued"), "the confirmed application is affected: \(rejected)")
        try s.run(["drain"])
        let d = try #require(try s.decisions()["S-07-partner-only"])
        #expect(d["outcome"] as? String == "ineligible", "only (2)(b) held, on the withdrawn confirmation")
        #expect((d["failed"] as? [String])?.contains("eligibility.2") == true)
        await s.database.close()
    }

    /// Guideline (2)(b): a list without an institution makes its students no longer partners'
    /// students; `--dry-run` shows it first and changes nothing. S-08 (Technische Universität
    /// Berlin, not a partner) is decided again too: its explanation named the removed institution
    /// as the closest listed name. Nobody else is.
    @Test(
        "partners import of a list without an institution decides again exactly the applications whose match it changes"
    )
    func importDroppingAnInstitution() async throws {
        let s = try await SampleScenario.make()
        let list = try String(
            contentsOf: TestDatabase.repository.appendingPathComponent("db/partners/tgp-2026.csv"), encoding: .utf8)
        let without = try SampleScenario.file(
            list.split(separator: "\n").filter { !$0.hasPrefix("University of Bayreuth,") }.joined(separator: "\n")
                + "\n",
            suffix: ".csv")
        let before = try await s.decisionCounts()
        #expect(try s.run(["show", "S-08-sister-city"]).contains("closest listed name \"University of Bayreuth\""))

        let dry = try s.run(["partners", "import", without, "--program", "tgp-2026", "--dry-run"])
        #expect(dry.contains("0 added, 1 removed, 0 renamed, 0 changed"), "\(dry)")
        #expect(dry.contains("removed: University of Bayreuth (DE)"), "\(dry)")
        #expect(dry.contains("2 applications would be decided again"), "\(dry)")
        #expect(
            try s.run(["partners", "match", "University of Bayreuth", "--country", "DE", "--program", "tgp-2026"])
                .hasPrefix("matched"),
            "a dry run changes nothing")
        #expect(try await s.decisionCounts() == before)

        let imported = try s.run(["partners", "import", without, "--program", "tgp-2026"])
        #expect(imported.contains("removed: University of Bayreuth (DE)"), "\(imported)")
        #expect(imported.contains("2 applications queued"), "\(imported)")
        try s.run(["drain"])
        #expect(try s.outcome("S-07-partner-only") == "ineligible")
        #expect(try s.outcome("S-08-sister-city") == "eligible")
        #expect(
            !(try s.run(["show", "S-08-sister-city"]).contains("Bayreuth")),
            "the explanation reflects the list in force")
        let after = try await s.decisionCounts()
        let redecided = Set(after.filter { $0.value != before[$0.key] }.keys)
        #expect(redecided == ["S-07-partner-only", "S-08-sister-city"])
        #expect(after["S-07-partner-only"] == before["S-07-partner-only"]! + 1)
        await s.database.close()
    }

    /// A renamed institution (same Japanese name, the old English name kept as an alias) is shown
    /// as renamed; the applications matched to it are decided again under its new name, and so is
    /// S-08, whose explanation names it as the closest listed name.
    @Test("partners import shows a renamed institution and decides again the applications whose match names it")
    func importRenamingAnInstitution() async throws {
        let s = try await SampleScenario.make()
        let list = try String(
            contentsOf: TestDatabase.repository.appendingPathComponent("db/partners/tgp-2026.csv"), encoding: .utf8)
        let renamed = list.replacingOccurrences(
            of: "University of Bayreuth,バイロイト大学,DE,全学,,,Universität Bayreuth",
            with: "Universität Bayreuth,バイロイト大学,DE,全学,,,University of Bayreuth")
        #expect(renamed != list)
        let before = try await s.decisionCounts()
        let output = try s.run([
            "partners", "import", try SampleScenario.file(renamed, suffix: ".csv"), "--program", "tgp-2026",
        ])
        #expect(output.contains("0 added, 0 removed, 1 renamed, 0 changed"), "\(output)")
        #expect(output.contains("renamed: University of Bayreuth (DE) → Universität Bayreuth"), "\(output)")
        #expect(output.contains("2 applications queued"), "\(output)")
        try s.run(["drain"])
        #expect(try s.outcome("S-07-partner-only") == "eligible")
        #expect(try s.run(["show", "S-07-partner-only"]).contains("Universität Bayreuth is a partner institution"))
        #expect(try s.run(["show", "S-08-sister-city"]).contains("closest listed name \"Universität Bayreuth\""))
        let after = try await s.decisionCounts()
        #expect(Set(after.filter { $0.value != before[$0.key] }.keys) == ["S-07-partner-only", "S-08-sister-city"])
        await s.database.close()
    }

    /// Guideline (10)(d): "Those who have previously been enrolled in a master's program … as a
    /// Japanese Government Scholarship international student". An import decides again only the
    /// applications whose hits on the list change — not everyone born on a day it names — and each
    /// decision records the exclusion-list version it read; earlier versions stay as they were.
    @Test("exclusions import decides again exactly the applications it names; decisions record the versions they read")
    func exclusionImportAndVersions() async throws {
        let s = try await SampleScenario.make()
        let first = try s.run([
            "exclusions", "import",
            try SampleScenario.exclusions([
                "reg,Jaidee,Kritsada Siriporn,2000-03-26,TH,eligibility.10d,R-1",
                // S-02 is born on this day too, under another name: not affected.
                "reg,Someone,Else,2004-09-15,TH,eligibility.10d,R-2",
            ]), "--program", "tgp-2026",
        ])
        #expect(first.contains("1 application queued"), "\(first)")
        try s.run(["drain"])
        #expect(try s.outcome("S-01-base") == "ineligible")

        let second = try s.run([
            "exclusions", "import",
            try SampleScenario.exclusions([
                "reg,Someone,Else,2004-09-15,TH,eligibility.10d,R-2"
            ]), "--program", "tgp-2026",
        ])
        #expect(second.contains("1 application queued"), "removing R-1 affects S-01 only: \(second)")
        try s.run(["drain"])
        #expect(try s.outcome("S-01-base") == "eligible")

        let rows = try await s.database.pool.withConnection { c in
            try await c.query(
                """
                SELECT definition_version, partners_version, exclusions_version, duplicates_version FROM decisions
                WHERE applicant_id = 'S-01-base' ORDER BY id
                """)
        }
        #expect(try rows.map { try $0.int("exclusions_version") } == [0, 1, 2])
        #expect(try rows.map { try $0.int("definition_version") } == [1, 1, 1])
        #expect(try rows.map { try $0.int("partners_version") } == [1, 1, 1])
        #expect(try rows.map { try $0.int("duplicates_version") } == [0, 0, 0])
        let (v1, v2) = try await s.database.pool.withConnection { c in
            (
                try await ProgramData.snapshot(.exclusions, program: "tgp-2026", version: 1, on: c),
                try await ProgramData.snapshot(.exclusions, program: "tgp-2026", version: 2, on: c)
            )
        }
        #expect(v1?.contains("\"R-1\"") == true, "version 1 still holds what the decision read")
        #expect(v2?.contains("\"R-1\"") == false)
        await s.database.close()
    }

    /// A changed program definition is a new version, and every application of the program is
    /// decided again under it.
    @Test("a changed program definition decides every application again")
    func definitionChange() async throws {
        let s = try await SampleScenario.make()
        var program = try await ProgramStore(database: s.database).program("tgp-2026")
        program.ruleSet = "tgp-2026@3"
        let change = try await ProgramStore(database: s.database).store(
            program, json: String(decoding: try program.encoded(), as: UTF8.self))
        #expect(change?.contains("16 applications queued") == true, "\(change ?? "nil")")
        try s.run(["drain"])
        let decisions = try s.decisions()
        #expect(decisions.count == 16)
        #expect(decisions.values.allSatisfy { $0["rule_set"] as? String == "tgp-2026@3" })
        let versions = try await s.database.pool.withConnection { c in
            try await c.query(
                """
                SELECT DISTINCT d.definition_version FROM applicants h
                JOIN LATERAL (SELECT definition_version FROM decisions x
                              WHERE x.applicant_id = h.applicant_id ORDER BY id DESC LIMIT 1) d ON true
                """
            ).map { try $0.int("definition_version") }
        }
        #expect(versions == [2])
        await s.database.close()
    }
}
