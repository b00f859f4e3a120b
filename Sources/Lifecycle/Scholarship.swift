import Screening

/// A scholarship granted to an admitted applicant, as the fold of its dated events decides it
/// (``LifecycleRules/fold(applicantID:course:events:program:)``), plus the flags and holds open
/// now (filled in by whoever reads the officers' actions; the fold never sets them).
public struct Scholarship: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable { case active, terminated, completed }

    /// A leave of absence: [start, end); an open leave (no end) runs on.
    public struct Leave: Sendable, Codable, Equatable {
        public let start: CalendarDate
        public var end: CalendarDate?

        /// Whether the first day of `month` falls inside the leave.
        public func covers(_ month: YearMonth) -> Bool {
            let first = CalendarDate(year: month.year, month: month.month, day: 1)!
            return first >= start && (end.map { first < $0 } ?? true)
        }
    }

    public let applicantID: String
    public let course: Course
    public var status: Status
    public let monthlyYen: Int
    public let admittedOn: CalendarDate
    public var arrivedOn: CalendarDate?
    public var firstPaymentMonth: YearMonth
    /// The last month of the prescribed period (two or three consecutive years).
    public let scheduledLastMonth: YearMonth
    /// The last month owed; nil when no month is owed at all.
    public var lastPaymentMonth: YearMonth?
    /// The prescribed years end the day before this date.
    public let prescribedEnd: CalendarDate
    public var terminatedOn: CalendarDate?
    public var terminationReason: TerminationReason?
    public var endedOn: CalendarDate?
    public var degreeAwardedOn: CalendarDate?
    /// Whether the return air ticket is provided; nil while undecided.
    public var returnTicket: Bool?
    /// Leaves of absence, by start date.
    public var leaves: [Leave] = []
    /// Set by a termination recorded while `eligibility.changed` was open: every unpaid month
    /// from this one on is voided (interface §3).
    public var voidFrom: YearMonth?
    /// The event (its submission number) of the latest academic report when it is below the
    /// threshold: the academic flag is raised when this changes to a new report and cleared when
    /// it becomes nil.
    public var lowReport: Int64?
    /// Open flags and holds (e.g. `academic.gpa_below_2_3`, `officer.hold`), from the officers'
    /// and workers' time-stamped actions; empty in a bare fold.
    public var flags: [String]
    /// What each event did, in words, in fold order.
    public var history: [String]

    /// Months owed from the first to the last payment month (suspended and voided months not counted).
    public var months: Int { owedMonths.count }

    /// The entitlement as scheduled (integer yen).
    public var totalYen: Int { months * monthlyYen }

    /// Every owed month of the entitlement with its amount (paid or not).
    public var schedule: [(month: YearMonth, yen: Int)] {
        owedMonths.map { ($0, monthlyYen) }
    }

    /// The months from the first to the last payment month that the events owe, or will owe once
    /// the arrival is recorded (neither suspended nor voided).
    public var owedMonths: [YearMonth] {
        guard let last = lastPaymentMonth, firstPaymentMonth <= last else { return [] }
        return (0...firstPaymentMonth.months(until: last)).map { firstPaymentMonth.adding(months: $0) }.filter {
            switch standing(of: $0) {
            case .owed, .awaitingArrival: return true
            case .suspended, .voided, .outside: return false
            }
        }
    }

    public static let lowGPAFlag = "academic.gpa_below_2_3"
    /// Raised when a re-decision of an admitted applicant finds a (10) clause worse, or a new
    /// revision is decided other than eligible (interface §3 v1.2).
    public static let eligibilityChangedFlag = "eligibility.changed"
    /// An officer's hold (`bursar payments hold`).
    public static let officerHoldFlag = "officer.hold"
}
