import Screening

/// An event that cannot apply; it changes nothing.
public struct EventRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// An accepted dated event of one applicant, as the fold reads it.
public struct RecordedEvent: Sendable, Equatable {
    /// Submission number: the last tie-breaker of the fold's order.
    public let seq: Int64
    public let eventID: String?
    public let event: LifecycleEvent
    /// For a termination: the month from which it voids unpaid months, fixed when it was accepted
    /// while `eligibility.changed` was open (interface §3); nil otherwise.
    public let voidFrom: YearMonth?

    public init(seq: Int64, eventID: String?, event: LifecycleEvent, voidFrom: YearMonth? = nil) {
        self.seq = seq
        self.eventID = eventID
        self.event = event
        self.voidFrom = voidFrom
    }

    /// How a message names the event: its `event_id` (or submission number), type and date.
    public var label: String {
        "event \(eventID.map { "\"\($0)\"" } ?? "#\(seq)") (\(event.typeName) dated \(event.date))"
    }
}

/// The guideline's Content of Support and Items to be noted, as a pure fold of dated events.
///
/// Interface §3 (v1.2): what a scholarship owes "is a pure function of all its accepted events
/// sorted by `date`, whatever order they were submitted in". A new event is accepted when the
/// whole set with it still holds together; ``fold(applicantID:course:events:program:newest:)``
/// throws otherwise, naming the event it conflicts with.
public enum LifecycleRules {
    /// The termination reasons accepted after the degree, in words.
    static var afterCompletionReasons: String {
        TerminationReason.afterCompletion.map(\.rawValue).sorted().joined(separator: ", ")
    }

    /// `admitted` needs the applicant's latest decision to be `eligible`: "The following support
    /// will be provided to international students who have completed the admission procedures."
    public static func checkAdmission(applicantID: String, latestOutcome: Outcome?) throws(EventRejection) {
        guard let latestOutcome else { throw EventRejection("no decision exists for \(applicantID) yet") }
        guard latestOutcome == .eligible else {
            throw EventRejection(
                "\(applicantID) cannot be admitted: the latest decision is \(latestOutcome.rawValue), not eligible")
        }
    }

    /// The fold's order: date, then the interface's order of types on one date (academic reports
    /// by term), then submission.
    public static func ordered(_ events: [RecordedEvent]) -> [RecordedEvent] {
        events.sorted { a, b in
            if a.event.date != b.event.date { return a.event.date < b.event.date }
            if a.event.orderOnDate != b.event.orderOnDate { return a.event.orderOnDate < b.event.orderOnDate }
            if case .academicReport(_, let ta, _) = a.event, case .academicReport(_, let tb, _) = b.event, ta != tb {
                return ta < tb
            }
            return a.seq < b.seq
        }
    }

    /// The scholarship the events make, or nil while none is `admitted` (an arrival may be
    /// recorded first). `newest` is the submission number of the event being judged: a conflict
    /// names the other event of the pair.
    ///
    /// Payments: "(3) The scholarship money … will be 150,000 yen per month from April 2026 for
    /// two consecutive years for a master's program and three consecutive years for a doctoral
    /// program." and "Scholarship payments begin in the month of enrollment." — the first month is
    /// the enrollment month and the period ends two (three) years later, whatever the admission
    /// date.
    public static func fold(
        applicantID: String, course: Course, events: [RecordedEvent], program: Program,
        newest: Int64? = nil
    ) throws(EventRejection) -> Scholarship? {
        let sorted = ordered(events)
        try checkPairs(sorted, newest: newest)
        guard
            let admission = sorted.first(where: { if case .admitted = $0.event { return true } else { return false } })
        else {
            return nil
        }
        let first = program.enrollmentDate.yearMonth
        let months = program.durationMonths[course]
        let last = first.adding(months: months - 1)
        let prescribedEnd = program.enrollmentDate.adding(years: months / 12)
        var s = Scholarship(
            applicantID: applicantID, course: course, status: .active, monthlyYen: program.stipendYenPerMonth,
            admittedOn: admission.event.date, arrivedOn: nil, firstPaymentMonth: first, scheduledLastMonth: last,
            lastPaymentMonth: last, prescribedEnd: prescribedEnd, terminatedOn: nil, terminationReason: nil,
            endedOn: nil, degreeAwardedOn: nil, returnTicket: nil, flags: [], history: [])
        let latest = EventDateWindow.latest(prescribedEnd: prescribedEnd)
        var ender: RecordedEvent?
        var degree: RecordedEvent?
        var openLeave: RecordedEvent?
        var lastLeaveEnd: RecordedEvent?
        for item in sorted {
            let event = item.event
            if event.date > latest {
                throw EventRejection(
                    "the \(event.typeName) date \(event.date) is more than one year after the prescribed end "
                        + "of the scholarship (\(prescribedEnd))")
            }
            if event.date < admission.event.date, !isArrival(event) {
                throw conflict(
                    item, admission, newest: newest,
                    "a \(event.typeName) dated \(event.date) cannot come before the admission on "
                        + "\(admission.event.date)"
                )
            }
            if let ender, event.date > ender.event.date, !isReport(event) {
                throw conflict(
                    item, ender, newest: newest,
                    "a \(event.typeName) dated \(event.date) comes after the scholarship ended on \(ender.event.date)")
            }
            switch event {
            case .admitted:
                s.history.append(
                    "\(event.date): admitted; \(Wording.count(months, "month")) of "
                        + "\(Wording.yen(program.stipendYenPerMonth)) from \(first) to \(last)"
                )
            case .arrived(let date):
                arrive(&s, on: date, program: program)
            case .leaveStarted(let date):
                if let openLeave {
                    throw conflict(
                        item, openLeave, newest: newest, "a leave is already open since \(openLeave.event.date)")
                }
                openLeave = item
                s.leaves.append(Scholarship.Leave(start: date, end: nil))
                s.history.append("\(date): leave of absence started; months beginning inside it are suspended")
            case .leaveEnded(let date):
                guard openLeave != nil else {
                    if let lastLeaveEnd {
                        throw conflict(item, lastLeaveEnd, newest: newest, "no leave is open on \(date)")
                    }
                    throw EventRejection("no leave is open on \(date): record leave_started first")
                }
                openLeave = nil
                lastLeaveEnd = item
                s.leaves[s.leaves.count - 1].end = date
                s.history.append("\(date): leave of absence ended")
            case .academicReport(let date, let term, let gpa):
                report(&s, seq: item.seq, on: date, term: term, gpa: gpa, program: program)
            case .degreeAwarded(let date):
                degree = item
                awardDegree(&s, on: date)
            case .termination(let date, let reason, _, let credits, let support):
                if let degree, !TerminationReason.afterCompletion.contains(reason) {
                    throw conflict(
                        item, degree, newest: newest,
                        "a \(reason.rawValue) termination cannot follow the degree awarded on \(degree.event.date) "
                            + "(only \(Self.afterCompletionReasons) can)"
                    )
                }
                if terminate(
                    &s, on: date, reason: reason, creditsCompleted: credits, supportKind: support,
                    voidFrom: item.voidFrom)
                {
                    ender = item
                }
            }
        }
        return s
    }

    private static func isArrival(_ event: LifecycleEvent) -> Bool {
        if case .arrived = event { return true }
        return false
    }

    private static func isReport(_ event: LifecycleEvent) -> Bool {
        if case .academicReport = event { return true }
        return false
    }

    /// A rejection naming the event of the pair that is not the one being judged.
    private static func conflict(_ a: RecordedEvent, _ b: RecordedEvent, newest: Int64?, _ why: String)
        -> EventRejection
    {
        let other = a.seq == newest ? b : a
        return EventRejection("\(why) (conflicts with \(other.label))")
    }

    /// "a second `arrived`, `admitted`, `degree_awarded` or termination, or a second event of one
    /// type on one date (two `academic_report`s of different terms aside)". A termination that does
    /// not terminate (other support that does not overlap) is not counted as one.
    private static func checkPairs(_ sorted: [RecordedEvent], newest: Int64?) throws(EventRejection) {
        var once: [String: RecordedEvent] = [:]
        var onDate: [String: RecordedEvent] = [:]
        for item in sorted {
            let event = item.event
            var key = "\(event.typeName) \(event.date)"
            if case .academicReport(_, let term, _) = event { key += " \(term)" }
            if let earlier = onDate[key] {
                throw conflict(item, earlier, newest: newest, "a second \(event.typeName) on \(event.date)")
            }
            onDate[key] = item
            let single: Bool
            switch event {
            case .admitted, .arrived, .degreeAwarded: single = true
            case .termination(_, let reason, _, _, let support):
                single = !(reason == .otherSupportApplied && support != .scholarship)
            case .academicReport, .leaveStarted, .leaveEnded: single = false
            }
            guard single else { continue }
            if let earlier = once[event.typeName] {
                throw conflict(item, earlier, newest: newest, "a second \(event.typeName) (one is recorded already)")
            }
            once[event.typeName] = item
        }
    }

    /// `arrived`: "Scholarship payments begin in the month of enrollment. However, if a
    /// student's arrival in Japan is delayed for more than one month due to visa procedures,
    /// etc., scholarship payments will begin in the month of arrival and will not be
    /// retroactively paid for the previous month."
    ///
    /// "More than one month" is counted from the enrollment date: an arrival after the same day
    /// of the next month (after 1 May 2026) moves the first payment to the arrival month; the end
    /// of the period does not move, so the months before arrival are lost, not shifted. An
    /// arrival dated before the admission (a student already in Japan) is a fact like any other:
    /// the first month follows the arrival and the enrollment date only (v1.2).
    static func arrive(_ s: inout Scholarship, on date: CalendarDate, program: Program) {
        s.arrivedOn = date
        let enrollment = program.enrollmentDate
        let oneMonthLater = enrollment.yearMonth.adding(months: 1)
        let lastDay = CalendarDate.daysIn(month: oneMonthLater.month, year: oneMonthLater.year)
        let limit = CalendarDate(
            year: oneMonthLater.year, month: oneMonthLater.month, day: min(enrollment.day, lastDay))!
        if date > limit {
            s.firstPaymentMonth = date.yearMonth
            s.history.append(
                "\(date): arrived more than one month after enrollment (\(enrollment)); "
                    + "payments begin in \(date.yearMonth), not retroactively")
        } else {
            s.history.append("\(date): arrived; payments begin in \(s.firstPaymentMonth)")
        }
    }

    /// `termination`: "When an international student falls under any of the following cases,
    /// the support prescribed above shall be, in principle, terminated". The stipend is owed up to
    /// and including the month of the termination date; nothing after it (voided). A termination
    /// accepted while `eligibility.changed` was open voids from that flag's month (`voidFrom`).
    /// Returns whether the event ends the scholarship.
    ///
    /// Exceptions, which do not terminate:
    /// - "When the student withdraws from TMU (except for withdrawal after acquiring credits needed
    ///   to complete the course within the prescribed years of study)": a withdrawal with
    ///   `credits_completed` ends the scholarship as completed, and "if students withdraw after
    ///   earning all the required credits within the prescribed duration of a program, the travel
    ///   expenses will be covered".
    /// - "When the student applies for other financial support programs such as scholarships.
    ///   However, this does not apply to applications for funding which do not overlap with the
    ///   support provided by this program, such as research funds, or scholarships that the
    ///   student will begin to receive after completing the course": `research_fund` and
    ///   `post_completion_scholarship` change nothing but the history.
    ///
    /// Return ticket: "a return ticket will not be provided for students who withdraw from TMU";
    /// every other termination ends the studies without the degree the ticket follows, so none
    /// of them provides it either — and the four accepted after the degree (interface §3) withdraw it.
    static func terminate(
        _ s: inout Scholarship, on date: CalendarDate, reason: TerminationReason,
        creditsCompleted: Bool?, supportKind: SupportKind?, voidFrom: YearMonth?
    ) -> Bool {
        if reason == .otherSupportApplied, let supportKind, supportKind != .scholarship {
            s.history.append(
                "\(date): applied for \(supportKind.rawValue), which does not overlap with this support; not terminated"
            )
            return false
        }
        let month = date.yearMonth
        let last = s.lastPaymentMonth.map { min($0, month) }
        s.lastPaymentMonth = (last.map { $0 >= s.firstPaymentMonth } ?? false) ? last : nil
        if reason == .withdrawal && creditsCompleted == true {
            s.status = .completed
            s.endedOn = date
            s.terminationReason = .withdrawal
            let ticket = date < s.prescribedEnd
            s.returnTicket = ticket
            s.history.append(
                "\(date): withdrew after acquiring the credits needed to complete the course; not a termination; "
                    + "return ticket \(ticket ? "provided" : "not provided (after the prescribed years)")")
            return true
        }
        let afterDegree = s.degreeAwardedOn != nil
        s.status = .terminated
        s.terminatedOn = date
        s.terminationReason = reason
        s.returnTicket = false
        s.voidFrom = voidFrom
        let voiding = voidFrom.map { "; unpaid months from \($0) voided (eligibility.changed was open)" } ?? ""
        let ticket = afterDegree ? "the return ticket is withdrawn" : "no return ticket"
        s.history.append("\(date): terminated (\(reason.rawValue)); no payment after \(month)\(voiding); \(ticket)")
        return true
    }

    /// `degree_awarded`: "One-way air tickets for … return to their home country after the
    /// student has acquired the degree." … "a return ticket will not be provided for students who
    /// … earn a degree beyond the prescribed years of study." The stipend ends with the month of
    /// the degree when it comes early.
    static func awardDegree(_ s: inout Scholarship, on date: CalendarDate) {
        s.status = .completed
        s.degreeAwardedOn = date
        s.endedOn = date
        if let last = s.lastPaymentMonth, date.yearMonth < last {
            s.lastPaymentMonth = date.yearMonth >= s.firstPaymentMonth ? date.yearMonth : nil
        }
        let ticket = date < s.prescribedEnd
        s.returnTicket = ticket
        s.history.append(
            "\(date): degree awarded \(ticket ? "within" : "beyond") the prescribed years (ending \(s.prescribedEnd)); "
                + "return ticket \(ticket ? "provided" : "not provided")")
    }

    /// `academic_report`: "All applicants are expected to maintain a 2.3 GPA or above in the
    /// course they are enrolled in during the scholarship period." A lower GPA raises the flag
    /// (a person decides; it is not a termination); a later report at or above 2.3 clears it.
    /// The fold only says which report is the latest below the threshold; the flag is raised and
    /// cleared, with its time, by whoever records the event (officers' clears act when made).
    static func report(
        _ s: inout Scholarship, seq: Int64, on date: CalendarDate, term: String, gpa: Rational, program: Program
    ) {
        let threshold = Rational(decimal: program.gpaMaintain) ?? Rational(23, 10)
        let shown = gpa.decimalString(places: 2)
        if gpa < threshold {
            s.lowReport = seq
            s.history.append(
                "\(date): term \(term) GPA \(shown) is below \(program.gpaMaintain); flag \(Scholarship.lowGPAFlag)")
        } else {
            s.lowReport = nil
            s.history.append("\(date): term \(term) GPA \(shown)")
        }
    }
}

extension TerminationReason {
    /// Interface §3: "`false_statement`, `exclusion_found`, `pledge_violation` and
    /// `disciplinary_action` are accepted after `degree_awarded` too, and withdraw the return ticket".
    public static let afterCompletion: Set<TerminationReason> = [
        .falseStatement, .exclusionFound, .pledgeViolation, .disciplinaryAction,
    ]
}
