import Foundation
@testable import Lifecycle
import Screening
import Testing

/// Which months are owed on what is recorded, and what a run makes of a month not yet paid.
@Suite("Entitlement")
struct EntitlementTests {
    let program = try! Program.decode(Data(contentsOf: LifecycleRulesTests.repository.appendingPathComponent("db/programs/tgp-2026.json")))

    private func d(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }
    private func m(_ text: String) -> YearMonth { YearMonth(iso: text)! }

    private func admitted() throws -> Scholarship {
        try LifecycleRules.admit(applicantID: "A", course: .master, on: d("2026-03-20"), latestOutcome: .eligible, program: program)
    }

    /// "Scholarship payments begin in the month of enrollment. However, if a student's arrival in
    /// Japan is delayed for more than one month …, scholarship payments will begin in the month of
    /// arrival and will not be retroactively paid for the previous month."
    @Test("until the arrival is recorded every month of the period is due, none paid")
    func dueUntilArrival() throws {
        let s = try admitted()
        #expect(s.standing(of: m("2026-04")) == .awaitingArrival)
        #expect(s.settlement(of: m("2026-04"), paying: true, pendingEvents: false).status == .due)
        #expect(s.standing(of: m("2026-03")) != .awaitingArrival, "before the enrollment month nothing is owed")
        let late = try LifecycleRules.apply(.arrived(date: d("2026-06-20")), to: s, program: program)
        #expect(late.settlement(of: m("2026-05"), paying: true, pendingEvents: false).status == .void)
        #expect(late.settlement(of: m("2026-06"), paying: true, pendingEvents: false).status == .paid)
        let onTime = try LifecycleRules.apply(.arrived(date: d("2026-05-01")), to: s, program: program)
        #expect(onTime.settlement(of: m("2026-04"), paying: true, pendingEvents: false).status == .paid)
        #expect(onTime.settlement(of: m("2026-04"), paying: false, pendingEvents: false).status == .due, "only a run pays")
        #expect(onTime.settlement(of: m("2026-04"), paying: true, pendingEvents: true).status == .due, "not on an incomplete record")
    }

    /// Interface §3: `eligibility.changed` holds payments "until an officer clears the flag or
    /// records a termination"; after a termination, nothing after its month is owed.
    @Test("a termination ends eligibility.changed and voids the months after it")
    func terminationEndsEligibilityChanged() throws {
        var s = try LifecycleRules.apply(.arrived(date: d("2026-03-28")), to: try admitted(), program: program)
        s.flags = [Scholarship.eligibilityChangedFlag, Scholarship.lowGPAFlag]
        #expect(s.settlement(of: m("2026-05"), paying: true, pendingEvents: false).status == .held)
        let ended = try LifecycleRules.apply(.termination(date: d("2026-05-20"), reason: .exclusionFound, detail: nil, creditsCompleted: nil, supportKind: nil),
                                             to: s, program: program)
        #expect(ended.flags == [Scholarship.lowGPAFlag], "only eligibility.changed ends with the termination")
        #expect(ended.settlement(of: m("2026-06"), paying: true, pendingEvents: false) == MonthSettlement(status: .void, reason: "not owed: after the termination on 2026-05-20"))
        #expect(ended.settlement(of: m("2026-05"), paying: true, pendingEvents: false).status == .held, "still held by the other flag")
    }
}
