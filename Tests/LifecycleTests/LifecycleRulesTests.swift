import Foundation
import XCTest

@testable import Lifecycle
@testable import Screening

/// Content of Support and Items to be noted, one test per rule, each quoting its sentence.
final class LifecycleRulesTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let program = try! Program.decode(
        Data(contentsOf: LifecycleRulesTests.repository.appendingPathComponent("db/programs/tgp-2026.json")))

    private func d(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }

    private func admitted(_ course: Course = .master) throws -> Scholarship {
        try LifecycleRules.fold(
            applicantID: "A", course: course,
            events: [RecordedEvent(seq: 1, eventID: nil, event: .admitted(date: d("2026-02-10")))],
            program: program)!
    }

    /// The fold of the admission of `start` and `events`, submitted in this order (v1.2: the
    /// scholarship is a fold of its dated events, not a state events are applied to).
    private func apply(_ events: [LifecycleEvent], to start: Scholarship) throws -> Scholarship {
        let all = [LifecycleEvent.admitted(date: start.admittedOn)] + events
        let recorded = all.enumerated().map {
            RecordedEvent(seq: Int64($0.offset + 1), eventID: nil, event: $0.element)
        }
        return try LifecycleRules.fold(
            applicantID: start.applicantID, course: start.course, events: recorded, program: program)!
    }

    /// "150,000 yen per month from April 2026 for two consecutive years for a master's program and
    /// three consecutive years for a doctoral program."
    func testStipendAmountAndDuration() throws {
        let master = try admitted()
        XCTAssertEqual(master.firstPaymentMonth.description, "2026-04")
        XCTAssertEqual(master.lastPaymentMonth?.description, "2028-03")
        XCTAssertEqual(master.months, 24)
        XCTAssertEqual(master.totalYen, 3_600_000)
        let doctoral = try admitted(.doctoral)
        XCTAssertEqual(doctoral.months, 36)
        XCTAssertEqual(doctoral.lastPaymentMonth?.description, "2029-03")
        XCTAssertEqual(doctoral.totalYen, 5_400_000)
    }

    /// "an eligible applicant completed admission": only an eligible decision can be admitted.
    func testOnlyEligibleIsAdmitted() {
        XCTAssertThrowsError(try LifecycleRules.checkAdmission(applicantID: "A", latestOutcome: .needsReview))
        XCTAssertThrowsError(try LifecycleRules.checkAdmission(applicantID: "A", latestOutcome: nil))
        XCTAssertNoThrow(try LifecycleRules.checkAdmission(applicantID: "A", latestOutcome: .eligible))
    }

    /// "Scholarship payments begin in the month of enrollment. However, if a student's arrival in
    /// Japan is delayed for more than one month due to visa procedures, etc., scholarship payments
    /// will begin in the month of arrival and will not be retroactively paid for the previous month."
    func testArrivalRule() throws {
        let onTime = try apply([.arrived(date: d("2026-03-28"))], to: try admitted())
        XCTAssertEqual(onTime.firstPaymentMonth.description, "2026-04")
        let withinAMonth = try apply([.arrived(date: d("2026-05-01"))], to: try admitted())
        XCTAssertEqual(
            withinAMonth.firstPaymentMonth.description, "2026-04", "exactly one month late is not more than one month")
        let late = try apply([.arrived(date: d("2026-06-20"))], to: try admitted())
        XCTAssertEqual(late.firstPaymentMonth.description, "2026-06")
        XCTAssertEqual(late.lastPaymentMonth?.description, "2028-03", "not retroactive: the end does not move")
        XCTAssertEqual(late.months, 22)
        XCTAssertThrowsError(
            try apply([.arrived(date: d("2026-06-20")), .arrived(date: d("2026-06-21"))], to: try admitted()))
    }

    /// "When the student violates the pledge made to the President." — support terminated, nothing after.
    func testTerminationStopsPaymentsAfterIt() throws {
        let s = try apply(
            [
                .termination(
                    date: d("2026-09-15"), reason: .pledgeViolation, detail: nil, creditsCompleted: nil,
                    supportKind: nil)
            ], to: try admitted())
        XCTAssertEqual(s.status, .terminated)
        XCTAssertEqual(s.lastPaymentMonth?.description, "2026-09")
        XCTAssertEqual(s.months, 6)
        XCTAssertEqual(s.totalYen, 900_000)
        XCTAssertEqual(s.returnTicket, false)
        XCTAssertThrowsError(
            try apply(
                [
                    .termination(
                        date: d("2026-09-15"), reason: .pledgeViolation, detail: nil, creditsCompleted: nil,
                        supportKind: nil),
                    .degreeAwarded(date: d("2027-01-01")),
                ], to: try admitted()), "nothing applies after termination")
    }

    /// "When the student withdraws from TMU (except for withdrawal after acquiring credits needed to
    /// complete the course within the prescribed years of study)" and "a return ticket will not be
    /// provided for students who withdraw from TMU … However, if students withdraw after earning all
    /// the required credits within the prescribed duration of a program, the travel expenses will be covered."
    func testWithdrawalAndItsException() throws {
        let plain = try apply(
            [
                .termination(
                    date: d("2027-01-10"), reason: .withdrawal, detail: nil, creditsCompleted: false, supportKind: nil)
            ], to: try admitted())
        XCTAssertEqual(plain.status, .terminated)
        XCTAssertEqual(plain.returnTicket, false)
        let credits = try apply(
            [
                .termination(
                    date: d("2027-12-20"), reason: .withdrawal, detail: nil, creditsCompleted: true, supportKind: nil)
            ], to: try admitted())
        XCTAssertEqual(credits.status, .completed, "not a termination")
        XCTAssertEqual(credits.returnTicket, true)
        XCTAssertNil(credits.terminatedOn)
    }

    /// "When the student applies for other financial support programs such as scholarships. However,
    /// this does not apply to applications for funding which do not overlap … such as research funds,
    /// or scholarships that the student will begin to receive after completing the course".
    func testOtherSupportAndItsExceptions() throws {
        for kind in [SupportKind.researchFund, .postCompletionScholarship] {
            let s = try apply(
                [
                    .termination(
                        date: d("2026-10-01"), reason: .otherSupportApplied, detail: nil, creditsCompleted: nil,
                        supportKind: kind)
                ], to: try admitted())
            XCTAssertEqual(s.status, .active, "\(kind) does not terminate")
            XCTAssertEqual(s.months, 24)
        }
        let scholarship = try apply(
            [
                .termination(
                    date: d("2026-10-01"), reason: .otherSupportApplied, detail: nil, creditsCompleted: nil,
                    supportKind: .scholarship)
            ], to: try admitted())
        XCTAssertEqual(scholarship.status, .terminated)
    }

    /// "When it is found that the student falls under the items (a) to (e) of (10)" and the other
    /// triggers: each terminates.
    func testEveryOtherTriggerTerminates() throws {
        for reason in [
            TerminationReason.falseStatement, .disciplinaryAction, .cannotComplete, .transfer, .lostStudentStatus,
            .health, .exclusionFound,
        ] {
            let s = try apply(
                [
                    .termination(
                        date: d("2026-11-30"), reason: reason, detail: nil, creditsCompleted: nil, supportKind: nil)
                ], to: try admitted())
            XCTAssertEqual(s.status, .terminated, reason.rawValue)
            XCTAssertEqual(s.lastPaymentMonth?.description, "2026-11")
        }
    }

    /// "One-way air tickets for … return to their home country after the student has acquired the
    /// degree." … "a return ticket will not be provided for students who … earn a degree beyond the
    /// prescribed years of study."
    func testReturnTicketOnDegree() throws {
        let inTime = try apply([.degreeAwarded(date: d("2028-03-20"))], to: try admitted())
        XCTAssertEqual(inTime.returnTicket, true)
        XCTAssertEqual(inTime.status, .completed)
        let late = try apply([.degreeAwarded(date: d("2028-09-20"))], to: try admitted())
        XCTAssertEqual(late.returnTicket, false)
        let early = try apply([.degreeAwarded(date: d("2027-09-20"))], to: try admitted())
        XCTAssertEqual(early.lastPaymentMonth?.description, "2027-09", "no stipend after the degree")
    }

    /// "All applicants are expected to maintain a 2.3 GPA or above … during the scholarship period."
    func testAcademicReportFlag() throws {
        let low = try apply(
            [.academicReport(date: d("2026-09-30"), term: "2026-1", gpa: Rational(229, 100))], to: try admitted())
        XCTAssertEqual(low.lowReport, 2, "the latest report is below 2.3: the flag is raised")
        XCTAssertEqual(low.status, .active, "a person decides; it is not a termination")
        let cleared = try apply(
            [
                .academicReport(date: d("2026-09-30"), term: "2026-1", gpa: Rational(229, 100)),
                .academicReport(date: d("2027-03-10"), term: "2026-2", gpa: Rational(23, 10)),
            ], to: try admitted())
        XCTAssertNil(cleared.lowReport)
    }

    /// Interface §3 (v1.2): "an event other than `arrived` dated before `admitted`" is rejected;
    /// an arrival may be dated any day, before the admission too.
    func testEventBeforeAdmissionIsRejected() throws {
        XCTAssertNoThrow(try apply([.arrived(date: d("2026-01-01"))], to: try admitted()))
        XCTAssertThrowsError(try apply([.degreeAwarded(date: d("2026-01-01"))], to: try admitted()))
    }
}
