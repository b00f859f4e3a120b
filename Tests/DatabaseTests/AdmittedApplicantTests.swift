import Foundation
import Postgres
import Store
import Testing

/// Issue 11: after admission a decision that stops being `eligible` flags the scholarship
/// (`eligibility.changed`, interface §3); a withdrawn application cannot be admitted; documents can
/// be checked again.
@Suite("Admitted applicants, withdrawals and document rechecks", .serialized, .enabled(if: databaseAvailable))
struct AdmittedApplicantTests {
    private func raised(_ s: SampleScenario) async throws -> [String: String] {
        var reasons: [String: String] = [:]
        for row in try await s.database.pool.withConnection({
            try await $0.query(
                "SELECT applicant_id, reason FROM flag_actions WHERE flag = 'eligibility.changed' AND action = 'raised'"
            )
        }) {
            reasons[try row.string("applicant_id")] = try row.string("reason")
        }
        return reasons
    }

    /// Guideline (10): "If an applicant is found to fall under these after being accepted, the
    /// support provided, such as scholarship, shall not, in principle, be granted." An exclusion
    /// list naming an admitted scholar flags the scholarship in the transaction of the new decision.
    @Test("an exclusion list naming an admitted scholar raises eligibility.changed")
    func exclusionAfterAdmission() async throws {
        let s = try await SampleScenario.make()
        try s.events([
            #"{"event_id": "a1", "type": "admitted", "applicant_id": "S-01-base", "date": "2026-02-01"}"#,
            #"{"event_id": "a2", "type": "admitted", "applicant_id": "S-08-sister-city", "date": "2026-02-01"}"#,
        ])
        #expect(try s.scholarshipFlags() == ["S-01-base": [], "S-08-sister-city": []])
        try s.run([
            "exclusions", "import",
            try SampleScenario.exclusions(["reg,Jaidee,Kritsada Siriporn,2000-03-26,TH,eligibility.10d,R-1"]),
            "--program", "tgp-2026",
        ])
        try s.run(["drain"])
        #expect(try s.outcome("S-01-base") == "ineligible")
        #expect(try s.scholarshipFlags() == ["S-01-base": ["eligibility.changed"], "S-08-sister-city": []])
        let reason = try #require(try await raised(s)["S-01-base"])
        #expect(reason.contains("eligibility.10d"), "the reason names the clause: \(reason)")
        #expect(!reason.contains("Jaidee") && !reason.contains("2000-03-26"), "no personal data: \(reason)")
        // Deciding it again while it stays ineligible raises nothing more.
        try s.run([
            "exclusions", "import",
            try SampleScenario.exclusions([
                "reg,Jaidee,Kritsada Siriporn,2000-03-26,TH,eligibility.10d,R-1",
                "reg,Jaidee,Kritsada Siriporn,2000-03-26,TH,eligibility.10e,R-9",
            ]), "--program", "tgp-2026",
        ])
        try s.run(["drain"])
        let count = try await s.database.pool.withConnection {
            try await $0.query("SELECT count(*)::int AS n FROM flag_actions WHERE applicant_id = 'S-01-base'").first!
                .int("n")
        }
        #expect(count == 1)
        await s.database.close()
    }

    /// Termination trigger "When the application documents are found to have a false statement":
    /// a new revision that makes an admitted applicant ineligible flags the scholarship.
    @Test("a new revision making an admitted applicant ineligible raises eligibility.changed")
    func revisionAfterAdmission() async throws {
        let s = try await SampleScenario.make()
        try s.events([
            #"{"event_id": "a1", "type": "admitted", "applicant_id": "S-08-sister-city", "date": "2026-02-01"}"#
        ])
        try s.submitRevision(of: "S-08-sister-city") {
            $0.replacingOccurrences(of: "\"active_military\": false", with: "\"active_military\": true")
        }
        #expect(try s.outcome("S-08-sister-city") == "ineligible")
        #expect(try s.scholarshipFlags()["S-08-sister-city"] == ["eligibility.changed"])
        #expect(try await raised(s)["S-08-sister-city"]?.contains("eligibility.10b") == true)
        // Found by trial: `review list` said "nothing is held" of a scholar whose payments the
        // open flag holds.
        let review = try s.run(["review", "list", "--program", "tgp-2026"])
        let line = review.split(separator: "\n").first { $0.contains("S-08-sister-city: admitted") } ?? ""
        #expect(line.contains("payments held: eligibility.changed is open"), "\(review)")
        #expect(!line.contains("nothing is held"), "\(review)")
        await s.database.close()
    }

    /// Interface §3 v1.2 (it corrects v1.1, which flagged this): "A change of program data
    /// (partner list, officers' partner decisions, …) that changes an admitted applicant's outcome
    /// on other clauses holds nothing: the new decision is recorded and `review list` shows the
    /// scholarship as admitted but not eligible today, with the clauses."
    @Test("an officer's partner rejection of an admitted scholar's institution holds nothing; review list shows it")
    func partnerRejectionAfterAdmission() async throws {
        let s = try await SampleScenario.make()
        try s.submitRevision(of: "S-07-partner-only") {
            $0.replacingOccurrences(
                of: "\"institution\": \"University of Bayreuth\", \"kind\"",
                with: "\"institution\": \"Bayreuth\", \"kind\"")
        }
        try s.run(["partners", "confirm", "Bayreuth", "--partner", "University of Bayreuth", "--program", "tgp-2026"])
        try s.run(["drain"])
        try s.events([
            #"{"event_id": "a1", "type": "admitted", "applicant_id": "S-07-partner-only", "date": "2026-02-01"}"#
        ])
        #expect(try s.scholarshipFlags()["S-07-partner-only"] == [])
        try s.run(["partners", "reject", "Bayreuth", "--program", "tgp-2026"])
        try s.run(["drain"])
        #expect(
            try s.scholarshipFlags()["S-07-partner-only"] == [],
            "after acceptance only (10) and terminations stop support")
        #expect(try await raised(s)["S-07-partner-only"] == nil)
        let review = try s.run(["review", "list", "--program", "tgp-2026"])
        #expect(
            review.contains("S-07-partner-only: admitted; would not be eligible today: clauses eligibility.2"),
            "\(review)")
        await s.database.close()
    }

    /// Interface §2/§4: `withdrawn` — "an officer withdrew the application, e.g. with bursar
    /// duplicates resolve; it can no longer be admitted". Only a flagged pair can be resolved.
    @Test("duplicates resolve accepts only a flagged pair; the withdrawn one is withdrawn and cannot be admitted")
    func withdrawnCannotBeAdmitted() async throws {
        let s = try await SampleScenario.make()
        let refused = try s.run(
            ["duplicates", "resolve", "S-01-base", "--keep", "S-07-partner-only", "--program", "tgp-2026"], status: 1)
        #expect(refused.contains("not flagged as the same person"), "\(refused)")
        #expect(
            try await s.database.pool.withConnection {
                try await $0.query("SELECT count(*)::int AS n FROM duplicate_resolutions").first!.int("n")
            } == 0)

        let resolved = try s.run([
            "duplicates", "resolve", "S-16-same-person-b", "--keep", "S-15-same-person-a", "--program", "tgp-2026",
        ])
        #expect(resolved.contains("2 applications queued"), "\(resolved)")
        try s.run(["drain"])
        let d = try s.decisions()
        #expect(d["S-16-same-person-b"]?["outcome"] as? String == "withdrawn")
        #expect(d["S-15-same-person-a"]?["outcome"] as? String == "eligible")
        #expect((d["S-15-same-person-a"]?["review"] as? [String])?.contains("identity.duplicate") == false)
        #expect(
            try s.run(["show", "S-16-same-person-b"]).contains(
                "withdrew this application as a duplicate of S-15-same-person-a"))
        let again = try s.run([
            "duplicates", "resolve", "S-16-same-person-b", "--keep", "S-15-same-person-a", "--program", "tgp-2026",
        ])
        #expect(again.contains("already withdrawn"), "\(again)")

        try s.events([
            #"{"event_id": "w1", "type": "admitted", "applicant_id": "S-16-same-person-b", "date": "2026-02-01"}"#,
            #"{"event_id": "w2", "type": "admitted", "applicant_id": "S-15-same-person-a", "date": "2026-02-01"}"#,
        ])
        let events = try s.run(["events", "list"])
        #expect(events.contains("S-16-same-person-b\tadmitted\trejected"), "\(events)")
        #expect(events.contains("withdrawn"), "\(events)")
        #expect(events.contains("S-15-same-person-a\tadmitted\tapplied"), "\(events)")
        #expect(Set(try s.scholarshipFlags().keys) == ["S-15-same-person-a"])
        await s.database.close()
    }

    /// Interface §1: a document "missing, unreadable, or does not match its checksum" makes the
    /// application incomplete; `documents recheck` reads the documents again (from the recorded
    /// batch folder or another) and decides again.
    @Test("a batch folder moved after submit and put back is complete after documents recheck")
    func recheckAfterTheFolderIsBack() async throws {
        let database = try await TestDatabase.migrated(poolSize: 4)
        let s = SampleScenario(database: database)
        let folder = try SampleScenario.batchFolder([try SampleScenario.line(of: "S-01-base")])
        defer { try? FileManager.default.removeItem(at: folder) }
        let docs = folder.appendingPathComponent("docs")
        let away = folder.deletingLastPathComponent().appendingPathComponent(folder.lastPathComponent + "-moved")
        try s.run(["submit", folder.appendingPathComponent("batch.ndjson").path])
        try FileManager.default.moveItem(at: docs, to: away)
        try s.run(["drain"])
        #expect(try s.outcome("S-01-base") == "incomplete")
        #expect(try s.run(["show", "S-01-base"]).contains("does not exist"))

        try FileManager.default.moveItem(at: away, to: docs)
        #expect(
            try s.run(["documents", "recheck", "S-01-base", "--program", "tgp-2026"]).contains("1 application queued"))
        try s.run(["drain"])
        #expect(try s.outcome("S-01-base") == "eligible")

        // Elsewhere: moved away again, checked from a copy with --from.
        try FileManager.default.moveItem(at: docs, to: away)
        defer { try? FileManager.default.removeItem(at: away) }
        let copy = try SampleScenario.batchFolder([])
        defer { try? FileManager.default.removeItem(at: copy) }
        try s.run(["documents", "recheck", "--program", "tgp-2026"])
        try s.run(["drain"])
        #expect(try s.outcome("S-01-base") == "incomplete")
        try s.run(["documents", "recheck", "--program", "tgp-2026", "--from", copy.path])
        try s.run(["drain"])
        #expect(try s.outcome("S-01-base") == "eligible")
        #expect(
            try s.run(["documents", "recheck", "NOBODY", "--program", "tgp-2026"], status: 1).contains("no application")
        )
        await database.close()
    }
}
