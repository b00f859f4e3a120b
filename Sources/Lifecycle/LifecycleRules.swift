import Screening

/// An event that cannot apply; it changes nothing.
public struct EventRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The guideline's Content of Support and Items to be noted, applied to events.
public enum LifecycleRules {
    /// `admitted`: "The following support will be provided to international students who have
    /// completed the admission procedures." Only an applicant whose latest decision is
    /// `eligible` can be admitted.
    ///
    /// Payments: "(3) The scholarship money … will be 150,000 yen per month from April 2026 for
    /// two consecutive years for a master's program and three consecutive years for a doctoral
    /// program." and "Scholarship payments begin in the month of enrollment." — the first month is
    /// the enrollment month and the period ends two (three) years later, whatever the admission
    /// date.
    public static func admit(applicantID: String, course: Course, on date: CalendarDate, latestOutcome: Outcome?,
                             program: Program) throws(EventRejection) -> Scholarship {
        guard let latestOutcome else { throw EventRejection("no decision exists for \(applicantID) yet") }
        guard latestOutcome == .eligible else {
            throw EventRejection("\(applicantID) cannot be admitted: the latest decision is \(latestOutcome.rawValue), not eligible")
        }
        let first = program.enrollmentDate.yearMonth
        let months = program.durationMonths[course]
        let last = first.adding(months: months - 1)
        return Scholarship(
            applicantID: applicantID, course: course, status: .active, monthlyYen: program.stipendYenPerMonth,
            admittedOn: date, arrivedOn: nil, firstPaymentMonth: first, scheduledLastMonth: last, lastPaymentMonth: last,
            prescribedEnd: program.enrollmentDate.adding(years: months / 12), terminatedOn: nil, terminationReason: nil,
            endedOn: nil, degreeAwardedOn: nil, returnTicket: nil, flags: [],
            history: ["\(date): admitted; \(months) months of \(program.stipendYenPerMonth) yen from \(first) to \(last)"])
    }

    /// Applies an event after admission to a scholarship.
    public static func apply(_ event: LifecycleEvent, to scholarship: Scholarship, program: Program) throws(EventRejection) -> Scholarship {
        var s = scholarship
        if case .admitted = event { throw EventRejection("\(s.applicantID) was already admitted on \(s.admittedOn)") }
        guard event.date >= s.admittedOn else {
            throw EventRejection("the \(event.typeName) date \(event.date) is before admission on \(s.admittedOn)")
        }
        if case .academicReport = event {} else {
            guard s.status == .active else {
                let since = s.terminatedOn ?? s.endedOn ?? s.degreeAwardedOn
                throw EventRejection("the scholarship of \(s.applicantID) is \(s.status.rawValue)\(since.map { " since \($0)" } ?? ""); a \(event.typeName) event cannot apply")
            }
        }
        switch event {
        case .admitted:
            break
        case .arrived(let date):
            try arrive(&s, on: date, program: program)
        case .termination(let date, let reason, _, let credits, let support):
            terminate(&s, on: date, reason: reason, creditsCompleted: credits, supportKind: support)
        case .degreeAwarded(let date):
            awardDegree(&s, on: date)
        case .academicReport(let date, let term, let gpa):
            report(&s, on: date, term: term, gpa: gpa, program: program)
        }
        return s
    }

    /// `arrived`: "Scholarship payments begin in the month of enrollment. However, if a
    /// student's arrival in Japan is delayed for more than one month due to visa procedures,
    /// etc., scholarship payments will begin in the month of arrival and will not be
    /// retroactively paid for the previous month."
    ///
    /// "More than one month" is counted from the enrollment date: an arrival after the same day
    /// of the next month (after 1 May 2026) moves the first payment to the arrival month; the end
    /// of the period does not move, so the months before arrival are lost, not shifted.
    static func arrive(_ s: inout Scholarship, on date: CalendarDate, program: Program) throws(EventRejection) {
        if let previous = s.arrivedOn { throw EventRejection("arrival was already recorded on \(previous)") }
        s.arrivedOn = date
        let enrollment = program.enrollmentDate
        let oneMonthLater = enrollment.yearMonth.adding(months: 1)
        let limit = CalendarDate(year: oneMonthLater.year, month: oneMonthLater.month,
                                 day: min(enrollment.day, CalendarDate.daysIn(month: oneMonthLater.month, year: oneMonthLater.year)))!
        if date > limit {
            s.firstPaymentMonth = date.yearMonth
            s.history.append("\(date): arrived more than one month after enrollment (\(enrollment)); payments begin in \(date.yearMonth), not retroactively")
        } else {
            s.history.append("\(date): arrived; payments begin in \(s.firstPaymentMonth)")
        }
    }

    /// `termination`: "When an international student falls under any of the following cases,
    /// the support prescribed above shall be, in principle, terminated". The stipend is paid up to
    /// and including the month of the termination date; nothing after it, even a month already
    /// held or due when the termination is recorded (it becomes void).
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
    /// of them provides it either.
    static func terminate(_ s: inout Scholarship, on date: CalendarDate, reason: TerminationReason,
                          creditsCompleted: Bool?, supportKind: SupportKind?) {
        if reason == .otherSupportApplied, let supportKind, supportKind != .scholarship {
            s.history.append("\(date): applied for \(supportKind.rawValue), which does not overlap with this support; not terminated")
            return
        }
        let month = date.yearMonth
        let last = s.lastPaymentMonth.map { min($0, month) }
        s.lastPaymentMonth = (last.map { $0 >= s.firstPaymentMonth } ?? false) ? last : nil
        if reason == .withdrawal && creditsCompleted == true {
            s.status = .completed
            s.endedOn = date
            s.terminationReason = .withdrawal
            s.returnTicket = date < s.prescribedEnd
            s.history.append("\(date): withdrew after acquiring the credits needed to complete the course; not a termination; return ticket \(s.returnTicket! ? "provided" : "not provided (after the prescribed years)")")
            return
        }
        s.status = .terminated
        s.terminatedOn = date
        s.terminationReason = reason
        s.returnTicket = false
        s.history.append("\(date): terminated (\(reason.rawValue)); no payment after \(month); no return ticket")
        // Interface §3: `eligibility.changed` holds payments "until an officer clears the flag or
        // records a termination". The termination is that decision: it ends the flag, and the
        // termination date (not the flag) now says which held months are owed.
        if s.flags.contains(Scholarship.eligibilityChangedFlag) {
            s.flags.removeAll { $0 == Scholarship.eligibilityChangedFlag }
            s.history.append("\(date): flag \(Scholarship.eligibilityChangedFlag) ended by the termination")
        }
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
        s.returnTicket = date < s.prescribedEnd
        s.history.append("\(date): degree awarded \(s.returnTicket! ? "within" : "beyond") the prescribed years (ending \(s.prescribedEnd)); return ticket \(s.returnTicket! ? "provided" : "not provided")")
    }

    /// `academic_report`: "All applicants are expected to maintain a 2.3 GPA or above in the
    /// course they are enrolled in during the scholarship period." A lower GPA raises the flag
    /// (a person decides; it is not a termination); a later report at or above 2.3 clears it.
    static func report(_ s: inout Scholarship, on date: CalendarDate, term: String, gpa: Rational, program: Program) {
        let threshold = Rational(decimal: program.gpaMaintain) ?? Rational(23, 10)
        let shown = gpa.decimalString(places: 2)
        if gpa < threshold {
            if !s.flags.contains(Scholarship.lowGPAFlag) { s.flags.append(Scholarship.lowGPAFlag) }
            s.history.append("\(date): term \(term) GPA \(shown) is below \(program.gpaMaintain); flag \(Scholarship.lowGPAFlag) raised; payments held")
        } else {
            let had = s.flags.contains(Scholarship.lowGPAFlag)
            s.flags.removeAll { $0 == Scholarship.lowGPAFlag }
            s.history.append("\(date): term \(term) GPA \(shown)\(had ? "; flag \(Scholarship.lowGPAFlag) cleared" : "")")
        }
    }
}
