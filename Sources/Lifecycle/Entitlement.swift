import Screening

/// What is recorded of one month of a scholarship's stipend.
public enum PaymentStatus: String, Sendable, Codable, CaseIterable {
    /// Transferred: the month is in a run's bank-transfer file.
    case paid
    /// Owed on what is recorded, but an open flag holds it.
    case held
    /// Reached by a run but not payable yet (the arrival is not recorded, events are not yet
    /// applied) or released and waiting for the next run.
    case due
    /// Reached by a run but not owed on what is recorded now (before the first payment month
    /// an arrival fixed, after a termination).
    case void
    /// Paid by a Zengin transfer that the bank returned (`bursar payments returned`): not paid;
    /// the next run pays it again once a corrected account is registered.
    case returned
}

/// Whether a month's stipend is owed on what is recorded.
public enum MonthStanding: Sendable, Equatable {
    /// Owed: paid by a run unless a flag holds it.
    case owed
    /// Owed only if the arrival, not yet recorded, comes within the allowed month.
    case awaitingArrival
    /// Not owed; why, in words.
    case notOwed(String)
}

/// What a run, or a change to the scholarship, makes of one month not yet paid.
public struct MonthSettlement: Sendable, Equatable {
    public let status: PaymentStatus
    /// Why the month is held, due or void (nil when paid).
    public let reason: String?
}

extension Scholarship {
    /// Whether `month` is owed on what is recorded now.
    ///
    /// "Scholarship payments begin in the month of enrollment. However, if a student's arrival in
    /// Japan is delayed for more than one month due to visa procedures, etc., scholarship
    /// payments will begin in the month of arrival and will not be retroactively paid for the
    /// previous month." Until the arrival is recorded nobody knows whether the enrollment month
    /// or a later one is the first: every month of the period is awaiting the arrival, and none
    /// is paid. The arrival then fixes `firstPaymentMonth`; a termination or an early degree
    /// fixes `lastPaymentMonth`.
    public func standing(of month: YearMonth) -> MonthStanding {
        if month < firstPaymentMonth {
            let arrival = arrivedOn.map { " (arrival on \($0))" } ?? ""
            return .notOwed("before the first payment month \(firstPaymentMonth)\(arrival)")
        }
        guard let last = lastPaymentMonth, month <= last else {
            if let terminatedOn { return .notOwed("after the termination on \(terminatedOn)") }
            if let endedOn { return .notOwed("after the scholarship ended on \(endedOn)") }
            return .notOwed("after the last payment month \(scheduledLastMonth)")
        }
        return arrivedOn == nil ? .awaitingArrival : .owed
    }

    /// What becomes of `month`, not yet paid, on what is recorded now. `paying` is true in a
    /// payment run (an owed month without flags is paid) and false when an event or an officer
    /// changes the scholarship between runs (it becomes due, for the next run).
    /// `pendingEvents` is true while submitted events of the applicant wait to be applied: the
    /// record is not complete, so nothing is paid or voided on it.
    public func settlement(of month: YearMonth, paying: Bool, pendingEvents: Bool) -> MonthSettlement {
        if pendingEvents {
            return MonthSettlement(status: .due, reason: "submitted events are not applied yet (run `bursar drain` or keep bursard running)")
        }
        switch standing(of: month) {
        case .notOwed(let why):
            return MonthSettlement(status: .void, reason: "not owed: \(why)")
        case .awaitingArrival:
            return MonthSettlement(status: .due, reason: "the arrival in Japan is not recorded yet")
        case .owed where !flags.isEmpty:
            return MonthSettlement(status: .held, reason: "open flag\(flags.count == 1 ? "" : "s"): \(flags.joined(separator: ", "))")
        case .owed:
            return paying ? MonthSettlement(status: .paid, reason: nil) : MonthSettlement(status: .due, reason: "owed; paid by the next run")
        }
    }
}
