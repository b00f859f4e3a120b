import Foundation
import JobQueue
import Postgres
import Store
import Testing

/// Issue 14: "Every officer action above leaves one audit row with its reason; `bursar audit
/// --json` reads them" — and submissions, decisions, events and payment runs are in the trail.
@Suite("Audit rows of every action", .enabled(if: databaseAvailable, "needs scripts/test.sh"))
struct OfficerAuditTests {
    typealias Events = PaymentSettlementTests

    /// Rows of `action` and their reasons.
    func rows(_ action: String, _ s: LifecycleScenario) async throws -> [(
        reason: String?, applicant: String?, detail: String
    )] {
        try await s.database.pool.withConnection { connection in
            try await connection.query(
                """
                SELECT reason, applicant_id, detail::text AS detail FROM audit_log WHERE action = $1 ORDER BY id
                """, action
            ).map { (try $0.optionalString("reason"), try $0.optionalString("applicant_id"), try $0.string("detail")) }
        }
    }

    /// Inserts `job` and returns its id.
    func insert(_ job: JobInsert, _ s: LifecycleScenario) async throws -> Int64 {
        guard case .inserted(let id) = try await s.database.queue.enqueue(job) else {
            throw ScenarioError("\(job.kind) was not inserted")
        }
        return id
    }

    /// Runs `bursar ARGS`, expects exit 0, then exactly one new row of `action` with `reason`.
    func expectOneRow(
        _ action: String, reason: String, after arguments: [String], _ s: LifecycleScenario,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let before = try await rows(action, s).count
        let run = try s.cli(arguments)
        #expect(run.status == 0, "\(arguments): \(run.error)", sourceLocation: sourceLocation)
        let after = try await rows(action, s)
        #expect(after.count == before + 1, "\(action): \(after.count - before) rows", sourceLocation: sourceLocation)
        #expect(after.last?.reason == reason, sourceLocation: sourceLocation)
    }

    @Test("each officer action leaves one row with its reason; submissions, decisions, events and runs are recorded")
    func everyActionIsRecorded() async throws {
        let s = try await LifecycleScenario.start()

        // The submission: one row with the file and its counts, no applicant data.
        let submitted = try await rows("applications.submit", s)
        #expect(submitted.count == 1)
        #expect(submitted.first?.detail.contains(#""file": "batch.ndjson""#) == true, "\(submitted)")
        #expect(submitted.first?.detail.contains(#""accepted": "16""#) == true, "\(submitted)")

        // Decisions: one row per decision, naming its id, outcome and rule set.
        let unmatched = try await s.count(
            """
            SELECT count(*)::int AS n FROM decisions d WHERE NOT EXISTS (
                SELECT 1 FROM audit_log a WHERE a.action = 'decision' AND a.applicant_id = d.applicant_id
                  AND (a.detail->>'decision_id')::bigint = d.id AND a.detail->>'outcome' = d.outcome
                  AND a.detail->>'rule_set' = d.rule_set)
            """)
        #expect(unmatched == 0)
        let decisions = try await s.count("SELECT count(*)::int AS n FROM decisions")
        #expect(try await rows("decision", s).count == decisions)

        // Events: one row for the file, one per event queued.
        try await s.events(
            Events.admitted("S-07-partner-only"), Events.arrived("S-07-partner-only", on: "2026-03-30"),
            Events.report("S-07-partner-only", on: "2026-04-10", term: "2025-2", gpa: "2.10"))
        #expect(try await rows("events.submit", s).count == 1)
        let queued = try await rows("event.queued", s)
        #expect(queued.count == 3 && queued.allSatisfy { $0.applicant == "S-07-partner-only" })

        // A payment run: month, counts and the bank file's name.
        _ = try s.run("2026-04")
        let run = try #require(try await rows("payments.run", s).first)
        #expect(run.detail.contains(#""month": "2026-04""#) && run.detail.contains(#""file": "#), "\(run.detail)")

        try await expectOneRow(
            "flags.clear", reason: "tutor's report accepted",
            after: [
                "flags", "clear", "S-07-partner-only", "academic.gpa_below_2_3", "--reason", "tutor's report accepted",
            ], s)
        try await expectOneRow(
            "partners.reject", reason: "not a university",
            after: [
                "partners", "reject", "Bayreuth Evening School", "--reason", "not a university", "--program",
                "tgp-2026",
            ], s)
        let exclusions = TestDatabase.repository.appendingPathComponent("examples/tgp-2026-sample/exclusions.csv").path
        try await expectOneRow(
            "exclusions.import", reason: "registry of 2026-03",
            after: ["exclusions", "import", exclusions, "--program", "tgp-2026", "--reason", "registry of 2026-03"], s)
        try await expectOneRow(
            "duplicates.resolve", reason: "same passport",
            after: [
                "duplicates", "resolve", "S-16-same-person-b", "--keep", "S-15-same-person-a",
                "--program", "tgp-2026", "--reason", "same passport",
            ], s)
        try await expectOneRow(
            "documents.recheck", reason: "a clearer scan arrived",
            after: [
                "documents", "recheck", "S-01-base", "--program", "tgp-2026", "--reason", "a clearer scan arrived",
            ], s)
        try await expectOneRow(
            "queues.pause", reason: "checking events",
            after: ["queues", "pause", "lifecycle", "--reason", "checking events"], s)
        try await expectOneRow(
            "queues.resume", reason: "checked",
            after: ["queues", "resume", "lifecycle", "--reason", "checked"], s)

        // Jobs: a waiting job is cancelled, retried and discarded, one row each; an action that
        // does not apply exits 1 and leaves no row.
        let job = try await insert(JobInsert(kind: "audit_probe", queue: "parked"), s)
        try await expectOneRow(
            "jobs.cancel", reason: "sent twice", after: ["jobs", "cancel", String(job), "--reason", "sent twice"], s)
        try await expectOneRow(
            "jobs.retry", reason: "was not a duplicate",
            after: ["jobs", "retry", String(job), "--reason", "was not a duplicate"], s)
        try await expectOneRow(
            "jobs.discard", reason: "no longer needed",
            after: ["jobs", "discard", String(job), "--reason", "no longer needed"], s)
        #expect(try s.cli(["jobs", "discard", String(job), "--reason", "again"]).status == 1)
        #expect(try s.cli(["jobs", "cancel", String(job), "--reason", "again"]).status == 1)
        #expect(try await rows("jobs.discard", s).count == 1)
        #expect(try await rows("jobs.cancel", s).count == 1)

        // `bursar audit --json` reads them all back; --applicant keeps to one applicant.
        let audit = try s.cli(["audit", "--json"])
        #expect(audit.status == 0, "\(audit.error)")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(audit.output.utf8)) as? [[String: Any]])
        let actions = Set(entries.compactMap { $0["action"] as? String })
        for action in [
            "applications.submit", "decision", "events.submit", "event.queued", "payments.run", "flags.clear",
            "partners.reject",
            "exclusions.import", "duplicates.resolve", "documents.recheck", "queues.pause", "queues.resume",
            "jobs.cancel", "jobs.retry", "jobs.discard",
        ] {
            #expect(actions.contains(action), "\(action) is missing from bursar audit --json")
        }
        let discard = try #require(entries.first { $0["action"] as? String == "jobs.discard" })
        #expect(discard["reason"] as? String == "no longer needed")
        #expect((discard["detail"] as? [String: Any])?["job"] as? String == String(job))
        let one = try s.cli(["audit", "--applicant", "S-07-partner-only", "--json"])
        let mine = try #require(try JSONSerialization.jsonObject(with: Data(one.output.utf8)) as? [[String: Any]])
        #expect(!mine.isEmpty && mine.allSatisfy { $0["applicant_id"] as? String == "S-07-partner-only" })
        #expect(
            Set(mine.compactMap { $0["action"] as? String }).isSuperset(of: ["decision", "event.queued", "flags.clear"])
        )
        await s.finish()
    }

    @Test("jobs list filters by state, kind and queue, newest first; jobs show prints the arguments")
    func jobsListAndShow() async throws {
        let s = try await LifecycleScenario.start()
        let first = try await insert(JobInsert(kind: "probe_a", queue: "parked", args: #"{"n": 1}"#), s)
        let second = try await insert(JobInsert(kind: "probe_b", queue: "parked"), s)
        let listed = try s.cli(["jobs", "list", "--queue", "parked", "--json"])
        #expect(listed.status == 0, "\(listed.error)")
        let jobs = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
        #expect(jobs.compactMap { ($0["id"] as? NSNumber)?.int64Value } == [second, first])
        #expect(jobs.allSatisfy { $0["args"] == nil }, "the list carries no arguments")
        let kind = try s.cli(["jobs", "list", "--kind", "probe_a", "--state", "available", "--json"])
        let ofKind = try #require(try JSONSerialization.jsonObject(with: Data(kind.output.utf8)) as? [[String: Any]])
        #expect(ofKind.compactMap { ($0["id"] as? NSNumber)?.int64Value } == [first])
        let completed = try s.cli(["jobs", "list", "--state", "completed", "--limit", "2", "--json"])
        let done = try #require(try JSONSerialization.jsonObject(with: Data(completed.output.utf8)) as? [[String: Any]])
        #expect(done.count == 2 && done.allSatisfy { $0["state"] as? String == "completed" })
        #expect(try s.cli(["jobs", "list", "--state", "finished"]).status != 0, "an unknown state is a usage error")
        let text = try s.cli(["jobs", "list", "--queue", "parked"])
        #expect(text.output.hasPrefix("ID\tSTATE\tKIND"), "\(text.output)")
        let shown = try s.cli(["jobs", "show", String(first), "--json"])
        let job = try #require(try JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as? [String: Any])
        #expect((job["args"] as? [String: Any])?["n"] as? Int == 1)
        #expect(job["errors"] as? [Any] != nil)
        #expect(try s.cli(["jobs", "discard", "987654"]).status == 1)
        await s.finish()
    }
}
