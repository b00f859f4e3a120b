import Foundation
import Screening
import Testing

@testable import Lifecycle

/// Which months are owed on the events as they stand, and what a run makes of a month not yet paid.
@Suite("Entitlement")
struct EntitlementTests {
    let program = try! Program.decode(
        Data(contentsOf: LifecycleRulesTests.repository.appendingPathComponent("db/programs/tgp-2026.json")))

    private func d(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }
    private func m(_ text: String) -> YearMonth { YearMonth(iso: text)! }

    private func fold(_ events: [LifecycleEvent], voidFrom: YearMonth? = nil) throws -> Scholarship {
        let all = [LifecycleEvent.admitted(date: d("2026-03-20"))] + events
        let recorded = all.enumerated().map { item -> RecordedEvent in
            if case .termination = item.element {
                return RecordedEvent(seq: Int64(item.offset + 1), eventID: nil, event: item.element, voidFrom: voidFrom)
            }
            return RecordedEvent(seq: Int64(item.offset + 1), eventID: nil, event: item.element)
        }
        return try LifecycleRules.fold(applicantID: "A", course: .master, events: recorded, program: program)!
    }

    private func status(
        _ s: Scholarship, _ month: String, reached: String = "2026-12", paid: [String] = [],
        flags: [String] = [], pending: Bool = false
    ) -> LineStatus {
        var s = s
        s.flags = flags
        let position = PaymentPosition(
            scholarship: s, paid: paid.map { PaidMonth(month: m($0), yen: 150_000, runID: 1) },
            reachedThrough: m(reached), pendingEvents: pending)
        return position.explain(m(month)).status
    }

    /// "Scholarship payments begin in the month of enrollment. However, if a student's arrival in
    /// Japan is delayed for more than one month …, scholarship payments will begin in the month of
    /// arrival and will not be retroactively paid for the previous month."
    @Test("until the arrival is recorded every month of the period is due, none paid")
    func dueUntilArrival() throws {
        let s = try fold([])
        #expect(s.standing(of: m("2026-04")) == .awaitingArrival)
        #expect(status(s, "2026-04") == .due)
        #expect(status(s, "2027-04") == .scheduled, "not reached by a run yet")
        #expect(s.standing(of: m("2026-03")) != .awaitingArrival, "before the enrollment month nothing is owed")
        let late = try fold([.arrived(date: d("2026-06-20"))])
        #expect(late.standing(of: m("2026-05")) != .owed)
        #expect(
            PaymentPosition(scholarship: late, paid: [], reachedThrough: nil, pendingEvents: false).payable(
                through: m("2026-06")) == [m("2026-06")])
        let onTime = try fold([.arrived(date: d("2026-05-01"))])
        #expect(
            PaymentPosition(scholarship: onTime, paid: [], reachedThrough: nil, pendingEvents: true).payable(
                through: m("2026-04")) == [],
            "not on an incomplete record")
        #expect(status(onTime, "2026-04", pending: true) == .due)
        #expect(status(onTime, "2026-04", paid: ["2026-04"]) == .paid)
    }

    /// Interface §3: "A termination for `exclusion_found` or `false_statement`, or any termination
    /// while `eligibility.changed` is open, voids every unpaid month from the month in which the
    /// open `eligibility.changed` was raised"; months already paid stay paid (or become overpaid).
    @Test("a termination while eligibility.changed is open voids the held months; paid months become overpaid")
    func terminationVoidsHeldMonths() throws {
        let s = try fold([.arrived(date: d("2026-03-28"))])
        #expect(status(s, "2026-06", flags: [Scholarship.eligibilityChangedFlag]) == .held)
        let ended = try fold(
            [
                .arrived(date: d("2026-03-28")),
                .termination(
                    date: d("2026-09-20"), reason: .exclusionFound, detail: nil, creditsCompleted: nil, supportKind: nil
                ),
            ],
            voidFrom: m("2026-06"))
        for month in ["2026-06", "2026-07", "2026-08", "2026-09"] {
            #expect(
                status(ended, month, flags: [Scholarship.eligibilityChangedFlag]) == .voided,
                "no yen for months after a (10) finding")
        }
        #expect(
            status(ended, "2026-05", flags: [Scholarship.eligibilityChangedFlag]) == .held,
            "before the flag's month: follows the termination date")
        #expect(status(ended, "2026-05", flags: []) == .due)
        #expect(status(ended, "2026-10", paid: ["2026-10"]) == .overpaid)
        #expect(ended.months == 2 && ended.totalYen == 300_000)
    }
}
