import Foundation
import Lifecycle
import Screening
import Testing

@testable import Store

/// Issue 11: a stipend is paid only when it is owed on what is recorded by then, exactly once.
/// Each test goes through the CLI an officer uses (events submit, payments run/show, flags clear).
@Suite("Payments settle on what is recorded", .enabled(if: databaseAvailable))
struct PaymentSettlementTests {
    static func admitted(_ id: String, on date: String = "2026-03-20", eventID: String? = nil) -> String {
        #"{"event_id": "\#(eventID ?? "adm-\(id)")", "type": "admitted", "applicant_id": "\#(id)", "date": "\#(date)"}"#
    }
    static func arrived(_ id: String, on date: String) -> String {
        #"{"event_id": "arr-\#(id)", "type": "arrived", "applicant_id": "\#(id)", "date": "\#(date)"}"#
    }
    static func terminated(_ id: String, on date: String, reason: String = "health") -> String {
        #"{"event_id": "term-\#(id)", "type": "termination", "applicant_id": "\#(id)", "date": "\#(date)", "#
            + #""reason": "\#(reason)"}"#
    }
    static func report(_ id: String, on date: String, term: String, gpa: String) -> String {
        #"{"event_id": "rep-\#(id)-\#(term)", "type": "academic_report", "applicant_id": "\#(id)", "#
            + #""date": "\#(date)", "term": "\#(term)", "gpa": "\#(gpa)"}"#
    }

    /// "Scholarship payments begin in the month of enrollment. However, if a student's arrival in
    /// Japan is delayed for more than one month due to visa procedures, etc., scholarship payments
    /// will begin in the month of arrival and will not be retroactively paid for the previous month."
    /// Until the arrival is recorded nobody knows which: the months are due, not paid; an arrival
    /// within the month releases them into the next run.
    @Test("months before the arrival is recorded are due; an arrival within a month releases them")
    func arrivalWithinTheMonthReleasesDueMonths() async throws {
        let s = try await LifecycleScenario.start()
        try await s.events(Self.admitted("S-01-base"))
        let april = try s.run("2026-04")
        let may = try s.run("2026-05")
        #expect(april.paid.isEmpty && may.paid.isEmpty, "nothing is paid before the arrival is recorded")
        #expect(may.due.filter { $0.applicant_id == "S-01-base" }.map(\.month) == ["2026-04", "2026-05"])
        #expect(try s.show("S-01-base")["2026-04"] == "due")
        try await s.events(Self.arrived("S-01-base", on: "2026-05-01"))  // exactly one month: not "more than one month"
        let june = try s.run("2026-06")
        #expect(june.paidMonths("S-01-base") == ["2026-04", "2026-05", "2026-06"])
        #expect(
            try s.transferred() == ["S-01-base 2026-04 150000", "S-01-base 2026-05 150000", "S-01-base 2026-06 150000"])
        await s.finish()
    }

    /// The issue's reproduction: admitted 2026-03-20, runs for April and May, arrival 2026-06-20.
    /// "payments will begin in the month of arrival and will not be retroactively paid for the
    /// previous month": April and May were never owed, and nothing of them is paid.
    @Test("a later arrival voids the due months; the first payment is the arrival month")
    func lateArrivalVoidsDueMonths() async throws {
        let s = try await LifecycleScenario.start()
        try await s.events(Self.admitted("S-01-base"))
        _ = try s.run("2026-04")
        _ = try s.run("2026-05")
        try await s.events(Self.arrived("S-01-base", on: "2026-06-20"))
        let june = try s.run("2026-06")
        #expect(june.paidMonths("S-01-base") == ["2026-06"])
        #expect(try s.transferred() == ["S-01-base 2026-06 150000"])
        let shown = try s.show("S-01-base")
        #expect(shown["2026-04"] == nil && shown["2026-05"] == nil, "months never owed are not lines of the schedule")
        #expect(shown["2026-06"] == "paid" && shown["2026-07"] == "scheduled")
        #expect(
            try await s.count("SELECT count(*)::int AS n FROM payments WHERE applicant_id = $1", "S-01-base") == 1,
            "the ledger holds paid months only; what is not owed is derived")
        await s.finish()
    }

    /// "When the student finds it difficult to continue studying abroad due to health reasons" the
    /// support is terminated: months held by a flag are released when it clears only if still
    /// owed — never a month after a termination recorded later with an earlier date.
    @Test("held months after a termination recorded later are void, not released by the clear")
    func terminationRecordedLaterVoidsHeldMonths() async throws {
        let s = try await LifecycleScenario.start()
        try await s.events(
            Self.admitted("S-07-partner-only"), Self.arrived("S-07-partner-only", on: "2026-03-30"),
            Self.report("S-07-partner-only", on: "2026-04-10", term: "2025-2", gpa: "2.10"))
        for month in ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08"] {
            let run = try s.run(month)
            #expect(
                run.held.contains {
                    $0.applicant_id == "S-07-partner-only" && $0.month == month
                        && $0.reason.contains(Scholarship.lowGPAFlag)
                })
        }
        try await s.events(Self.terminated("S-07-partner-only", on: "2026-06-15"))
        let cleared = try s.cli([
            "flags", "clear", "S-07-partner-only", Scholarship.lowGPAFlag, "--reason", "tutor's report accepted",
        ])
        #expect(cleared.status == 0, "\(cleared.error)")
        #expect(cleared.output.contains("3 held payments released"), "\(cleared.output)")
        let september = try s.run("2026-09")
        #expect(september.paidMonths("S-07-partner-only") == ["2026-04", "2026-05", "2026-06"])
        // Running the month again, and the months before, pays nothing more.
        _ = try s.run("2026-09")
        _ = try s.run("2026-07")
        #expect(
            try s.transferred() == [
                "S-07-partner-only 2026-04 150000", "S-07-partner-only 2026-05 150000",
                "S-07-partner-only 2026-06 150000",
            ])
        await s.finish()
    }

    /// "(10) … If an applicant is found to fall under these after being accepted, the support
    /// provided, such as scholarship, shall not, in principle, be granted." The decisions side
    /// raises `eligibility.changed`; payments are held until an officer clears it (then what is
    /// owed is paid). v1.2: a termination while it is open voids every unpaid month from the
    /// month it was raised (v1.1 paid the held months up to the termination).
    @Test("eligibility.changed holds payments until an officer clears it; a termination while open voids them")
    func eligibilityChangedHoldsUntilClearedOrTerminated() async throws {
        let s = try await LifecycleScenario.start()
        try await s.events(
            Self.admitted("S-08-sister-city"), Self.arrived("S-08-sister-city", on: "2026-03-28"),
            Self.admitted("S-12-pattern6-subjects"), Self.arrived("S-12-pattern6-subjects", on: "2026-03-28"))
        #expect(try s.run("2026-04").paid.count == 2)
        try await s.raiseEligibilityChanged("S-08-sister-city")
        try await s.raiseEligibilityChanged("S-12-pattern6-subjects")
        let may = try s.run("2026-05")
        #expect(may.paid.isEmpty)
        #expect(may.held.map(\.applicant_id).sorted() == ["S-08-sister-city", "S-12-pattern6-subjects"])
        #expect(may.held.allSatisfy { $0.reason.contains(Scholarship.eligibilityChangedFlag) })

        let cleared = try s.cli([
            "flags", "clear", "S-08-sister-city", Scholarship.eligibilityChangedFlag, "--reason",
            "the registry entry is a namesake",
        ])
        #expect(cleared.output.contains("1 held payment released"), "\(cleared.output)")
        try await s.events(Self.terminated("S-12-pattern6-subjects", on: "2026-05-20", reason: "exclusion_found"))
        let june = try s.run("2026-06")
        #expect(june.paidMonths("S-08-sister-city") == ["2026-05", "2026-06"])
        #expect(june.paidMonths("S-12-pattern6-subjects") == [], "no yen for the months held by the (10) finding")
        #expect(try s.show("S-12-pattern6-subjects")["2026-05"] == "voided")
        #expect(
            try await s.count(
                "SELECT count(*)::int AS n FROM flag_actions WHERE flag = $1 AND action = 'cleared'",
                Scholarship.eligibilityChangedFlag) == 1)
        await s.finish()
    }

    /// Found by trial: a month held when the (10) finding came (here by an officer's hold) was
    /// paid after the flag's clear although a `false_statement` termination followed, because
    /// the flag's month was taken as the month after the program's latest run. Interface §3: the
    /// termination "voids every unpaid month from the month in which the open
    /// `eligibility.changed` was raised" — May was unpaid when it was raised.
    @Test("a month held when eligibility.changed is raised is voided by a termination while the flag is open")
    func heldMonthAtTheFindingIsVoided() async throws {
        let s = try await LifecycleScenario.start()
        let id = "S-08-sister-city"
        try await s.events(Self.admitted(id), Self.arrived(id, on: "2026-03-28"))
        #expect(try s.run("2026-04").paidMonths(id) == ["2026-04"])
        #expect(try s.cli(["payments", "hold", id, "--reason", "address being checked"]).status == 0)
        #expect(try s.run("2026-05").held.map(\.month) == ["2026-05"])
        try await s.raiseEligibilityChanged(id)
        try await s.events(Self.terminated(id, on: "2026-05-20", reason: "false_statement"))
        #expect(try s.cli(["payments", "release", id, "--reason", "address confirmed"]).status == 0)
        let june = try s.run("2026-06")
        #expect(june.paidMonths(id) == [], "no yen for the month held when the finding came")
        #expect(try s.show(id)["2026-05"] == "voided")
        await s.finish()
    }

    /// Interface §3's bank-transfer file: from committed rows after commit, one per run, 0600,
    /// with formula prefixes neutralised; its path printed as `bank-transfer file: PATH`.
    @Test("each run writes its own 0600 file; re-running a month pays nothing twice and writes no file")
    func bankTransferFilePerRun() async throws {
        let s = try await LifecycleScenario.start()
        try await s.events(Self.admitted("S-01-base"), Self.arrived("S-01-base", on: "2026-03-28"))
        let first = try s.cli(["payments", "run", "--month", "2026-04", "--folder", s.folder.path])
        let second = try s.cli(["payments", "run", "--month", "2026-04", "--folder", s.folder.path])
        func path(_ output: String) -> String? {
            output.split(separator: "\n").first { $0.hasPrefix("bank-transfer file: ") }.map {
                String($0.dropFirst("bank-transfer file: ".count))
            }
        }
        let one = try #require(path(first.output))
        #expect(path(second.output) == nil, "a run with nothing new to pay writes no file (issue 26)")
        #expect(second.output.contains("nothing new to pay"), "\(second.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.folder.path).count == 1)
        #expect(
            try String(contentsOfFile: one, encoding: .utf8)
                == "\(BankTransferFile.header)\nS-01-base,Jaidee,Kritsada Siriporn,2026-04,150000\n")
        let mode = try FileManager.default.attributesOfItem(atPath: one)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        await s.finish()
    }

    /// A process that stops between the run's commit and its file: the next run writes that
    /// file (under the run's own name in its folder) from the committed rows, and pays nothing twice.
    @Test("a committed run without its file gets it at the next run")
    func stoppedRunGetsItsFileNext() async throws {
        let s = try await LifecycleScenario.start()
        try await s.events(Self.admitted("S-01-base"), Self.arrived("S-01-base", on: "2026-03-28"))
        let stopped = try await s.database.pool.withTransaction {
            try await PaymentStore.run(program: "tgp-2026", month: YearMonth(iso: "2026-04")!, folder: s.folder, on: $0)
        }
        #expect(!FileManager.default.fileExists(atPath: stopped.bankFile.path))
        let next = try s.cli(["payments", "run", "--month", "2026-05", "--folder", s.folder.path])
        #expect(
            next.output.contains("earlier run whose process stopped before recording it: \(stopped.bankFile.path)"),
            "\(next.output)")
        #expect(try s.transferred() == ["S-01-base 2026-04 150000", "S-01-base 2026-05 150000"])
        _ = try s.cli(["payments", "run", "--month", "2026-05", "--folder", s.folder.path])
        #expect(try s.transferred().count == 2, "written once")
        await s.finish()
    }

    @Test("cells a spreadsheet would read as formulas reach it as text")
    func formulaPrefixesAreNeutralised() {
        let text = BankTransferFile.text([
            PaymentStore.BankLine(
                applicantID: "-1", familyName: "=HYPERLINK(\"x\")", givenName: "@SUM(A1)", month: "2026-04",
                yen: 150_000),
            PaymentStore.BankLine(
                applicantID: "A", familyName: "+81", givenName: "\tTab", month: "2026-04", yen: 150_000),
        ])
        #expect(
            text == """
                \(BankTransferFile.header)
                '-1,"'=HYPERLINK(""x"")",'@SUM(A1),2026-04,150000
                A,'+81,'\tTab,2026-04,150000

                """)
    }
}
