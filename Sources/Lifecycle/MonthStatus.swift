import Screening

/// Whether a month's stipend is owed on the events as they stand.
public enum MonthStanding: Sendable, Equatable {
    /// Owed: paid by a run unless a flag or hold holds it.
    case owed
    /// Owed only if the arrival, not yet recorded, comes within the allowed month.
    case awaitingArrival
    /// Inside a leave of absence: not owed (the last month does not move).
    case suspended(String)
    /// Not owed because the scholarship was terminated (or voided by an open `eligibility.changed`).
    case voided(String)
    /// Outside the period: before the first payment month or after the last one.
    case outside(String)
}

extension Scholarship {
    /// Whether `month` is owed on the events as they stand.
    ///
    /// "Scholarship payments begin in the month of enrollment. However, if a student's arrival in
    /// Japan is delayed for more than one month …" Until the arrival is recorded nobody knows
    /// whether the enrollment month or a later one is the first: every month of the period is
    /// awaiting the arrival, and none is paid.
    ///
    /// Leave (interface §3): "a month whose first day falls inside it is `suspended` (not owed);
    /// the last month does not move" — the guideline pays "for two consecutive years", so a leave
    /// costs months rather than shifting them; "after a termination, months are `voided`, not
    /// suspended".
    public func standing(of month: YearMonth) -> MonthStanding {
        if month < firstPaymentMonth {
            let arrival = arrivedOn.map { " (arrival on \($0))" } ?? ""
            return .outside("before the first payment month \(firstPaymentMonth)\(arrival)")
        }
        if let voidFrom, month >= voidFrom, let terminatedOn {
            return .voided(
                "voided by the termination on \(terminatedOn), recorded while eligibility.changed was open (from "
                    + "\(voidFrom))"
            )
        }
        guard let last = lastPaymentMonth, month <= last else {
            if let terminatedOn, month <= scheduledLastMonth {
                return .voided("after the termination on \(terminatedOn)")
            }
            if let endedOn { return .outside("after the scholarship ended on \(endedOn)") }
            return .outside("after the last payment month \(scheduledLastMonth)")
        }
        if let leave = leaves.first(where: { $0.covers(month) }) {
            return .suspended("inside the leave of absence from \(leave.start)\(leave.end.map { " to \($0)" } ?? "")")
        }
        return arrivedOn == nil ? .awaitingArrival : .owed
    }
}

/// The status of one month in `payments show` (interface §3).
public enum LineStatus: String, Sendable, Codable, CaseIterable {
    case paid, held, due, scheduled, voided, suspended, overpaid, returned
}

/// One month paid: the ledger's line (append-only; never changed).
public struct PaidMonth: Sendable, Equatable {
    public let month: YearMonth
    public let yen: Int
    /// The run that paid it (nil for rows paid before runs had ids).
    public let runID: Int64?

    public init(month: YearMonth, yen: Int, runID: Int64?) {
        self.month = month
        self.yen = yen
        self.runID = runID
    }
}

/// A month's status and why, for `payments show`, a run's report and `payments explain`.
public struct MonthExplanation: Sendable, Equatable {
    public let month: YearMonth
    public let yen: Int
    public let status: LineStatus
    /// Why, in words: the standing of the month, the flags or holds that hold it, the run that paid it.
    public let reason: String
}

/// Why a scholarship's owed months cannot be paid now. One function, so that a cause (a bank
/// account missing, a returned transfer) is added in one place.
public enum HoldReasons {
    /// The causes, each named, from the open flags and holds; empty when payable.
    ///
    /// Interface §3: until an account is registered (or after the bank returned a transfer to it),
    /// owed months are held with reason `awaiting_account` — a hold reason, not a flag.
    public static func reasons(openFlags: [String], awaitingAccount: Bool = false) -> [String] {
        openFlags.sorted() + (awaitingAccount ? [awaitingAccountReason] : [])
    }

    /// The hold reason of a scholar without a usable bank account.
    public static let awaitingAccountReason = "awaiting_account"
}

/// What a scholarship owes compared with what was paid: the fold, the ledger, the open flags and
/// holds now, and how far the program's runs reached. Everything held, due, voided, suspended or
/// overpaid is derived here; only paid months are stored.
public struct PaymentPosition: Sendable {
    public let scholarship: Scholarship
    public let paid: [YearMonth: PaidMonth]
    /// The latest month a run of the program reached (nil before the first run).
    public let reachedThrough: YearMonth?
    /// Whether submitted events of the applicant wait to be applied (nothing is paid on an
    /// incomplete record).
    public let pendingEvents: Bool

    /// Whether the scholar has no usable bank account (none registered, or one the bank returned
    /// a transfer to): owed months are held `awaiting_account`.
    public let awaitingAccount: Bool
    /// Months paid by a transfer the bank returned and not paid again.
    public let returned: Set<YearMonth>

    public init(
        scholarship: Scholarship, paid: [PaidMonth], reachedThrough: YearMonth?, pendingEvents: Bool,
        awaitingAccount: Bool = false, returned: Set<YearMonth> = []
    ) {
        self.scholarship = scholarship
        self.awaitingAccount = awaitingAccount
        self.returned = returned
        self.paid = Dictionary(paid.map { ($0.month, $0) }, uniquingKeysWith: { a, _ in a })
        self.reachedThrough = reachedThrough
        self.pendingEvents = pendingEvents
    }

    /// The causes that hold owed months now.
    public var holdReasons: [String] {
        HoldReasons.reasons(openFlags: scholarship.flags, awaitingAccount: awaitingAccount)
    }

    /// The months a run for `month` pays: owed, up to `month`, not paid, nothing holding them.
    public func payable(through month: YearMonth) -> [YearMonth] {
        guard !pendingEvents, holdReasons.isEmpty else { return [] }
        return scholarship.owedMonths.filter { $0 <= month && paid[$0] == nil && scholarship.standing(of: $0) == .owed }
    }

    /// One month's status and why, as if runs reached `reachedThrough`.
    public func explain(_ month: YearMonth) -> MonthExplanation {
        let s = scholarship
        let standing = s.standing(of: month)
        if let line = paid[month] {
            let run = line.runID.map { "paid by run \($0)" } ?? "paid"
            switch standing {
            case .owed, .awaitingArrival:
                return MonthExplanation(month: month, yen: line.yen, status: .paid, reason: run)
            case .suspended(let why), .voided(let why), .outside(let why):
                return MonthExplanation(
                    month: month, yen: line.yen, status: .overpaid, reason: "\(run); no longer owed: \(why)")
            }
        }
        let reached = reachedThrough.map { month <= $0 } ?? false
        switch standing {
        case .suspended(let why):
            return MonthExplanation(month: month, yen: s.monthlyYen, status: .suspended, reason: "not owed: \(why)")
        case .voided(let why), .outside(let why):
            return MonthExplanation(month: month, yen: s.monthlyYen, status: .voided, reason: "not owed: \(why)")
        case .awaitingArrival where reached:
            return MonthExplanation(
                month: month, yen: s.monthlyYen, status: .due, reason: "the arrival in Japan is not recorded yet")
        case .awaitingArrival:
            return MonthExplanation(
                month: month, yen: s.monthlyYen, status: .scheduled, reason: "the arrival in Japan is not recorded yet")
        case .owed where !reached:
            return MonthExplanation(
                month: month, yen: s.monthlyYen, status: .scheduled, reason: "owed; paid by the run of \(month)")
        case .owed where pendingEvents:
            return MonthExplanation(
                month: month, yen: s.monthlyYen, status: .due,
                reason: "submitted events are not applied yet (run `bursar drain` or keep bursard running)")
        case .owed where returned.contains(month):
            // Interface §3: every month a returned transfer carried "becomes `returned`"; it is
            // paid again by the first run after a corrected account.
            let causes = holdReasons.joined(separator: ", ")
            let held = holdReasons.isEmpty ? "paid again by the next run" : "held: \(causes)"
            return MonthExplanation(
                month: month, yen: s.monthlyYen, status: .returned, reason: "returned by the bank; \(held)")
        case .owed where !holdReasons.isEmpty:
            // Interface §3: "A held month's `reason` names every cause, comma-separated."
            return MonthExplanation(
                month: month, yen: s.monthlyYen, status: .held, reason: holdReasons.joined(separator: ", "))
        case .owed:
            return MonthExplanation(month: month, yen: s.monthlyYen, status: .due, reason: "owed; paid by the next run")
        }
    }

    /// Every month of the period from the first payment month to the scheduled last one, and any
    /// month paid outside it (money that went out is always shown), in month order.
    public var lines: [MonthExplanation] { lines(through: nil) }

    /// The lines of ``lines`` up to `month` (all when nil), explaining no later month: a month
    /// is `held` or `due` only once a run reached it, so a month's report and the list of held
    /// payments need the months up to ``reachedThrough`` only, not the whole period.
    public func lines(through month: YearMonth?) -> [MonthExplanation] {
        let s = scholarship
        var months = Set(paid.keys)
        if s.firstPaymentMonth <= s.scheduledLastMonth {
            for k in 0...s.firstPaymentMonth.months(until: s.scheduledLastMonth) {
                months.insert(s.firstPaymentMonth.adding(months: k))
            }
        }
        return months.filter { candidate in month.map { candidate <= $0 } ?? true }.sorted().map(explain)
    }

    /// Yen paid for months no longer owed.
    public var overpaidYen: Int { lines.filter { $0.status == .overpaid }.reduce(0) { $0 + $1.yen } }

    /// Yen paid (and not returned).
    public var paidYen: Int { paid.values.reduce(0) { $0 + $1.yen } }
}
