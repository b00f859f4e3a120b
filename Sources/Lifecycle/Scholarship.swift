import Screening

/// A scholarship granted to an admitted applicant, and everything its events decided.
public struct Scholarship: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable { case active, terminated, completed }

    public let applicantID: String
    public let course: Course
    public var status: Status
    public let monthlyYen: Int
    public let admittedOn: CalendarDate
    public var arrivedOn: CalendarDate?
    public var firstPaymentMonth: YearMonth
    /// The last month of the prescribed period (two or three consecutive years).
    public let scheduledLastMonth: YearMonth
    /// The last month paid; nil when no month is due at all.
    public var lastPaymentMonth: YearMonth?
    /// The prescribed years end the day before this date.
    public let prescribedEnd: CalendarDate
    public var terminatedOn: CalendarDate?
    public var terminationReason: TerminationReason?
    public var endedOn: CalendarDate?
    public var degreeAwardedOn: CalendarDate?
    /// Whether the return air ticket is provided; nil while undecided.
    public var returnTicket: Bool?
    /// Open compliance flags, e.g. `academic.gpa_below_2_3`.
    public var flags: [String]
    /// What each event did, in words.
    public var history: [String]

    /// Months of stipend from the first to the last payment month.
    public var months: Int {
        guard let last = lastPaymentMonth, firstPaymentMonth <= last else { return 0 }
        return firstPaymentMonth.months(until: last) + 1
    }

    /// The entitlement as scheduled (integer yen).
    public var totalYen: Int { months * monthlyYen }

    /// Every month of the entitlement with its amount.
    public var schedule: [(month: YearMonth, yen: Int)] {
        (0..<months).map { (firstPaymentMonth.adding(months: $0), monthlyYen) }
    }

    public static let lowGPAFlag = "academic.gpa_below_2_3"
    /// Raised when an admitted applicant's latest decision stops being `eligible` (interface
    /// §3): payments are held until an officer clears it or records a termination.
    public static let eligibilityChangedFlag = "eligibility.changed"
}
