import Foundation
import Lifecycle
import Postgres
import Store
import Testing

/// Issue #21: money that stays right when facts arrive late, change or turn out false
/// (interface §3 v1.2). Each scenario runs the `bursar` executable as an officer would.
@Suite("Late, corrected and false facts")
struct LateFactsTests {
    typealias E = PaymentSettlementTests

    static func event(_ json: String) -> String { json }

    /// #21.1 and #21.2. Guideline (10): "If an applicant is found to fall under these after being
    /// accepted, the support provided, such as scholarship, shall not, in principle, be granted."
    /// A (10) finding after an officer cleared the flag raises it again; a termination recorded
    /// while it is open voids the held months: no yen for months after the finding.
    @Test("a (10) finding after a clear holds again, and exclusion_found voids the held months")
    func tenAfterClearAndVoiding() async throws {
        let s = try await LifecycleScenario.start()
        try await s.events(E.admitted("S-01-base"), E.arrived("S-01-base", on: "2026-03-28"))
        _ = try s.run("2026-04")
        _ = try s.run("2026-05")
        let first = try SampleScenario.exclusions(["reg,Jaidee,Kritsada Siriporn,2000-03-26,TH,eligibility.10d,R-1"])
        #expect(try s.cli(["exclusions", "import", first, "--program", "tgp-2026"]).status == 0)
        try await s.drain()
        #expect(try s.run("2026-06").held.map(\.month) == ["2026-06"])
        let cleared = try s.cli([
            "flags", "clear", "S-01-base", Scholarship.eligibilityChangedFlag, "--reason", "namesake",
        ])
        #expect(cleared.status == 0, "\(cleared.error)")
        #expect(try s.run("2026-07").paidMonths("S-01-base") == ["2026-06", "2026-07"])
        let second = try SampleScenario.exclusions([
            "reg,Jaidee,Kritsada Siriporn,2000-03-26,TH,eligibility.10d,R-1",
            "mext,Jaidee,Kritsada Siriporn,2000-03-26,TH,eligibility.10b,M-7",
        ])
        #expect(try s.cli(["exclusions", "import", second, "--program", "tgp-2026"]).status == 0)
        try await s.drain()
        let august = try s.run("2026-08")
        #expect(august.paidMonths("S-01-base").isEmpty, "raised again after the clear")
        #expect(
            august.held.contains {
                $0.applicant_id == "S-01-base" && $0.reason.contains(Scholarship.eligibilityChangedFlag)
            })
        #expect(try s.run("2026-09").paidMonths("S-01-base").isEmpty)
        try await s.events(E.terminated("S-01-base", on: "2026-09-20", reason: "exclusion_found"))
        let october = try s.run("2026-10")
        #expect(october.paidMonths("S-01-base").isEmpty, "the termination voids the months the flag held")
        let shown = try s.show("S-01-base")
        #expect(shown["2026-08"] == "voided" && shown["2026-09"] == "voided" && shown["2026-10"] == "voided")
        #expect(
            try s.transferred().filter { $0.hasPrefix("S-01-base") }.count == 4,
            "April to July, 600,000 yen, and nothing after")
        await s.finish()
    }

    /// #21.3: an `arrived` dated before a termination but submitted after it is a fact: the
    /// stranded April–June become owed and are paid once.
    @Test("a late arrival dated before the termination pays the stranded months once")
    func lateArrivalAfterTermination() async throws {
        let s = try await LifecycleScenario.start()
        try await s.events(E.admitted("S-01-base"))
        for month in ["2026-04", "2026-05", "2026-06"] { _ = try s.run(month) }
        try await s.events(E.terminated("S-01-base", on: "2026-06-30"))
        let arrival = try await s.events(E.arrived("S-01-base", on: "2026-03-28"))
        #expect(arrival.status == 0)
        let july = try s.run("2026-07")
        #expect(july.paidMonths("S-01-base") == ["2026-04", "2026-05", "2026-06"])
        _ = try s.run("2026-07")
        _ = try s.run("2026-08")
        #expect(
            try s.transferred() == ["S-01-base 2026-04 150000", "S-01-base 2026-05 150000", "S-01-base 2026-06 150000"])
        await s.finish()
    }

    /// #21.3 corrections: a retraction withdraws a mistyped arrival; the first month moves, the
    /// months newly owed are paid, and a month paid that is no longer owed is overpaid.
    @Test("a retraction of a wrong arrival moves the first month; paid months no longer owed are overpaid")
    func retractionMovesTheFirstMonth() async throws {
        let s = try await LifecycleScenario.start()
        try await s.events(
            E.admitted("S-01-base"),
            #"{"event_id": "arr-1", "type": "arrived", "applicant_id": "S-01-base", "date": "2026-06-20"}"#)
        #expect(try s.run("2026-06").paidMonths("S-01-base") == ["2026-06"])
        try await s.events(
            #"{"type": "retraction", "applicant_id": "S-01-base", "retracts": "arr-1", "#
                + #""reason": "typed June for March"}"#,
            #"{"event_id": "arr-2", "type": "arrived", "applicant_id": "S-01-base", "date": "2026-03-28"}"#)
        #expect(try s.run("2026-07").paidMonths("S-01-base") == ["2026-04", "2026-05", "2026-07"])
        // The other way: a wrong early arrival paid April; the correction makes it overpaid.
        try await s.events(
            E.admitted("S-08-sister-city"),
            #"{"event_id": "x-1", "type": "arrived", "applicant_id": "S-08-sister-city", "date": "2026-03-28"}"#)
        #expect(try s.run("2026-07").paidMonths("S-08-sister-city").count == 4)
        try await s.events(
            #"{"type": "retraction", "applicant_id": "S-08-sister-city", "retracts": "x-1", "#
                + #""reason": "wrong student"}"#,
            #"{"event_id": "x-2", "type": "arrived", "applicant_id": "S-08-sister-city", "date": "2026-06-02"}"#)
        let overpaid = try s.cli(["payments", "overpaid", "--json"])
        #expect(
            overpaid.output.contains(#""month":"2026-04""#) && overpaid.output.contains(#""month":"2026-05""#),
            "\(overpaid.output)")
        let exported = try s.cli(["export", "scholarships"]).output
        #expect(
            exported.contains(#""applicant_id":"S-08-sister-city""#) && exported.contains(#""overpaid_yen":300000"#),
            "\(exported)")
        // Found by trial: the retraction's effect said "nothing owed changes" while it made two
        // paid months overpaid. It names what the retracted event had done instead.
        let effects = try s.cli(["events", "list", "--applicant", "S-08-sister-city"]).output
        let retraction = effects.split(separator: "\n").first { $0.contains("wrong student") } ?? ""
        #expect(!retraction.contains("nothing owed changes"), "\(effects)")
        #expect(retraction.contains("no longer:"), "\(effects)")
        // A retraction of a retraction, of an unknown event, of the admission: rejected.
        try await s.events(
            #"{"type": "retraction", "applicant_id": "S-01-base", "retracts": "adm-S-01-base", "reason": "x"}"#,
            #"{"type": "retraction", "applicant_id": "S-01-base", "retracts": "nope", "reason": "x"}"#,
            #"{"type": "retraction", "applicant_id": "S-01-base", "retracts": "arr-1", "reason": "again"}"#)
        let listed = try s.cli(["events", "list", "--applicant", "S-01-base"]).output
        #expect(
            listed.contains("record a termination instead") && listed.contains("no event \"nope\"")
                && listed.contains("already retracted"),
            "\(listed)")
        await s.finish()
    }

    /// #21.4: "A month after the current month (Asia/Tokyo) is refused with exit 2 and nothing is paid."
    @Test("a run for a future month exits 2 and pays nothing")
    func futureMonthRefused() async throws {
        let s = try await LifecycleScenario.start()
        try await s.events(E.admitted("S-01-base"), E.arrived("S-01-base", on: "2026-03-28"))
        let future = try s.cli([
            "payments", "run", "--month", "2028-03", "--folder", s.folder.path, "--today", "2026-12-04",
        ])
        #expect(future.status == 2)
        #expect(future.error.contains("after the current month 2026-12"), "\(future.error)")
        #expect(try await s.count("SELECT count(*)::int AS n FROM payments") == 0)
        #expect(try await s.count("SELECT count(*)::int AS n FROM payment_runs") == 0)
        let help = try s.cli(["payments", "run", "--help"]).output
        #expect(!help.contains("--today"), "the injected date is hidden from help")
        await s.finish()
    }

    /// #21.5: "`false_statement`, `exclusion_found`, `pledge_violation` and `disciplinary_action`
    /// are accepted after `degree_awarded` too, and withdraw the return ticket"; others are not.
    @Test("a completed scholarship can be terminated for the four reasons, withdrawing the ticket")
    func terminationAfterCompletion() async throws {
        let s = try await LifecycleScenario.start()
        try await s.events(
            E.admitted("S-01-base"), E.arrived("S-01-base", on: "2026-03-28"),
            #"{"event_id": "deg", "type": "degree_awarded", "applicant_id": "S-01-base", "date": "2027-09-20"}"#,
            #"{"event_id": "t-h", "type": "termination", "applicant_id": "S-01-base", "date": "2027-10-01", "#
                + #""reason": "health"}"#
        )
        var listed = try s.cli(["events", "list", "--applicant", "S-01-base"]).output
        #expect(
            listed.contains("t-h\tS-01-base\ttermination\trejected") && listed.contains("conflicts with event \"deg\""),
            "\(listed)")
        try await s.events(
            #"{"event_id": "t-f", "type": "termination", "applicant_id": "S-01-base", "date": "2027-10-01", "#
                + #""reason": "false_statement"}"#
        )
        listed = try s.cli(["events", "list", "--applicant", "S-01-base"]).output
        #expect(listed.contains("t-f\tS-01-base\ttermination\tapplied"), "\(listed)")
        let exported = try s.cli(["export", "scholarships"]).output
        let line = try #require(exported.split(separator: "\n").first { $0.contains(#""S-01-base""#) })
        #expect(line.contains(#""return_ticket":false"#) && line.contains(#""status":"terminated""#), "\(line)")
        await s.finish()
    }

    /// #21.6: an officer's hold and a leave of absence. "a month whose first day falls inside it is
    /// `suspended` (not owed); the last month does not move".
    @Test("officer holds hold and release; a leave suspends the months whose first day it covers")
    func holdsAndLeave() async throws {
        let s = try await LifecycleScenario.start()
        try await s.events(E.admitted("S-01-base"), E.arrived("S-01-base", on: "2026-03-28"))
        #expect(try s.cli(["payments", "hold", "S-01-base", "--reason", "case under investigation"]).status == 0)
        #expect(
            try s.cli(["payments", "hold", "S-01-base", "--reason", "twice"]).status == 1, "does not apply: exit 1")
        let april = try s.run("2026-04")
        #expect(
            april.held.contains { $0.applicant_id == "S-01-base" && $0.reason.contains(Scholarship.officerHoldFlag) })
        let listed = try s.cli(["payments", "list", "--month", "2026-04", "--json"]).output
        #expect(
            listed.contains(#""applicant_id":"S-01-base","month":"2026-04","reason":"officer.hold""#)
                && listed.contains(#""bank_files":["#), "\(listed)")
        // Found by trial: a run that paid nothing writes no file, and the list named one anyway.
        #expect(listed.contains(#""bank_files":[]"#), "April paid nothing: no bank file. \(listed)")
        #expect(try s.cli(["payments", "release", "S-01-base", "--reason", "closed"]).status == 0)
        #expect(try s.cli(["payments", "release", "S-01-base", "--reason", "closed"]).status == 1)
        #expect(try s.run("2026-05").paidMonths("S-01-base") == ["2026-04", "2026-05"])
        try await s.events(
            #"{"event_id": "l1", "type": "leave_started", "applicant_id": "S-01-base", "date": "2026-06-10"}"#,
            #"{"event_id": "l2", "type": "leave_ended", "applicant_id": "S-01-base", "date": "2026-09-05"}"#)
        #expect(try s.run("2026-10").paidMonths("S-01-base") == ["2026-06", "2026-10"])
        let shown = try s.show("S-01-base")
        #expect(shown["2026-07"] == "suspended" && shown["2026-08"] == "suspended" && shown["2026-09"] == "suspended")
        #expect(shown["2028-03"] == "scheduled", "the last month does not move")
        await s.finish()
    }

    /// #21.8: an arrival dated before the admission is a fact; the first month follows the arrival
    /// and the enrollment date only.
    @Test("an arrival dated before the admission is accepted; April is owed")
    func arrivalBeforeAdmission() async throws {
        let s = try await LifecycleScenario.start()
        try await s.events(E.admitted("S-01-base", on: "2026-05-10"), E.arrived("S-01-base", on: "2024-04-05"))
        #expect(try s.run("2026-05").paidMonths("S-01-base") == ["2026-04", "2026-05"])
        await s.finish()
    }

    /// Interface §3: rejected events name the event they conflict with, whatever the order of submission.
    @Test("a second arrival and an event after the termination are rejected naming the conflicting event")
    func conflictsNamed() async throws {
        let s = try await LifecycleScenario.start()
        try await s.events(
            E.admitted("S-01-base"), E.arrived("S-01-base", on: "2026-03-28"),
            #"{"event_id": "arr-b", "type": "arrived", "applicant_id": "S-01-base", "date": "2026-04-02"}"#,
            E.terminated("S-01-base", on: "2026-06-30"),
            #"{"event_id": "late", "type": "degree_awarded", "applicant_id": "S-01-base", "date": "2027-03-20"}"#,
            #"{"event_id": "far", "type": "academic_report", "applicant_id": "S-01-base", "#
                + #""date": "2199-01-01", "term": "x", "gpa": "2.50"}"#
        )
        let listed = try s.cli(["events", "list", "--applicant", "S-01-base"]).output
        #expect(
            listed.contains("arr-b\tS-01-base\tarrived\trejected")
                && listed.contains("conflicts with event \"arr-S-01-base\""), "\(listed)")
        #expect(
            listed.contains("late\tS-01-base\tdegree_awarded\trejected")
                && listed.contains("conflicts with event \"term-S-01-base\""))
        #expect(
            listed.contains("far\tS-01-base\tacademic_report\trejected")
                && listed.contains("more than one year after the prescribed end"))
        await s.finish()
    }
}

/// Issue #26 item 4: events read with the batch reader's rules.
@Suite("Events reader rules")
struct EventsReaderTests {
    @Test("BOM and CRLF tolerated; a repeated key, a non-UTF-8 line and a date before 2000 rejected by line")
    func readerRules() async throws {
        let s = try await LifecycleScenario.start()
        var bytes = Data([0xEF, 0xBB, 0xBF])
        bytes.append(Data((PaymentSettlementTests.admitted("S-01-base") + "\r\n").utf8))
        let repeatedKey =
            #"{"event_id": "g2", "type": "academic_report", "applicant_id": "S-01-base", "#
            + #""date": "2026-09-30", "term": "a", "gpa": "2.10", "gpa": "2.90"}"#
        bytes.append(Data(repeatedKey.utf8))
        bytes.append(Data("\r\n".utf8))
        bytes.append(Data([0x7B, 0xFF, 0xFE, 0x7D, 0x0D, 0x0A]))
        bytes.append(
            Data(#"{"event_id": "old", "type": "arrived", "applicant_id": "S-01-base", "date": "1999-12-31"}"#.utf8))
        bytes.append(Data("\r\n".utf8))
        bytes.append(Data((PaymentSettlementTests.arrived("S-01-base", on: "2026-03-28") + "\r\n").utf8))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString).ndjson")
        try bytes.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try s.cli(["events", "submit", file.path, "--json"])
        #expect(result.status == 3, "\(result.output) \(result.error)")
        #expect(result.output.contains(#""queued":2"#), "\(result.output)")
        #expect(
            result.output.contains("`gpa` is given twice") && result.output.contains("not UTF-8")
                && result.output.contains("before 2000-01-01"),
            "\(result.output)")
        try await s.drain()
        #expect(try s.run("2026-04").paidMonths("S-01-base") == ["2026-04"])
        await s.finish()
    }
}
