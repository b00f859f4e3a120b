import Screening

/// One event of a scholarship's life (interface §3).
public enum LifecycleEvent: Sendable, Equatable {
    case admitted(date: CalendarDate)
    case arrived(date: CalendarDate)
    case termination(
        date: CalendarDate, reason: TerminationReason, detail: String?, creditsCompleted: Bool?,
        supportKind: SupportKind?)
    case degreeAwarded(date: CalendarDate)
    case academicReport(date: CalendarDate, term: String, gpa: Rational)
    case leaveStarted(date: CalendarDate)
    case leaveEnded(date: CalendarDate)

    public var date: CalendarDate {
        switch self {
        case .admitted(let d), .arrived(let d), .degreeAwarded(let d), .leaveStarted(let d), .leaveEnded(let d):
            return d
        case .termination(let d, _, _, _, _): return d
        case .academicReport(let d, _, _): return d
        }
    }

    /// Interface §3: "Events of one date apply in this order: `admitted`, `arrived`,
    /// `leave_ended`, `leave_started`, `academic_report` (by `term`), `degree_awarded`,
    /// `termination`."
    public var orderOnDate: Int {
        switch self {
        case .admitted: return 0
        case .arrived: return 1
        case .leaveEnded: return 2
        case .leaveStarted: return 3
        case .academicReport: return 4
        case .degreeAwarded: return 5
        case .termination: return 6
        }
    }

    public var typeName: String {
        switch self {
        case .admitted: return "admitted"
        case .arrived: return "arrived"
        case .termination: return "termination"
        case .degreeAwarded: return "degree_awarded"
        case .academicReport: return "academic_report"
        case .leaveStarted: return "leave_started"
        case .leaveEnded: return "leave_ended"
        }
    }
}

/// The guideline's termination triggers (Items to be noted).
public enum TerminationReason: String, Sendable, CaseIterable, Codable {
    case falseStatement = "false_statement"
    case pledgeViolation = "pledge_violation"
    case disciplinaryAction = "disciplinary_action"
    case cannotComplete = "cannot_complete"
    case withdrawal, transfer
    case lostStudentStatus = "lost_student_status"
    case otherSupportApplied = "other_support_applied"
    case health
    case exclusionFound = "exclusion_found"
}

/// The kind of other support applied for (`other_support_applied`).
public enum SupportKind: String, Sendable, CaseIterable, Codable {
    case scholarship
    case researchFund = "research_fund"
    case postCompletionScholarship = "post_completion_scholarship"
}

/// A withdrawal of an earlier event recorded by mistake (interface §3 v1.2): not a dated fact.
public struct Retraction: Sendable, Equatable {
    /// The `event_id` of the event withdrawn.
    public let retracts: String
    public let reason: String
}

/// A submitted event line: who it is for, its id if any, and the dated fact or the retraction.
public struct SubmittedEvent: Sendable, Equatable {
    public enum Body: Sendable, Equatable {
        case fact(LifecycleEvent)
        case retraction(Retraction)
    }

    public let applicantID: String
    public let eventID: String?
    public let program: String?
    public let body: Body

    /// The dated fact, nil for a retraction.
    public var event: LifecycleEvent? {
        if case .fact(let e) = body { return e }
        return nil
    }

    /// The `type` of the line.
    public var typeName: String {
        switch body {
        case .fact(let e): return e.typeName
        case .retraction: return "retraction"
        }
    }
}

/// Interface §3: "a date before 2000-01-01 or more than one year after the scholarship's
/// prescribed end" is rejected. The reader refuses the first half at the door; the second needs
/// the scholarship's course and is checked by the fold.
public enum EventDateWindow {
    public static let earliest = CalendarDate(year: 2000, month: 1, day: 1)!

    /// The latest date an event of a scholarship ending (prescribed) on `prescribedEnd` may carry.
    public static func latest(prescribedEnd: CalendarDate) -> CalendarDate {
        prescribedEnd.adding(years: 1)
    }
}

/// Reads event lines (NDJSON objects) with field paths in errors.
public enum EventDecoder {
    public static func decode(_ value: JSONValue) -> Result<SubmittedEvent, RecordRejection> {
        var errors: [FieldError] = []
        func fail(_ field: String, _ message: String) { errors.append(FieldError(field: field, message: message)) }
        func string(_ key: String, required: Bool = true, max: Int = 200) -> String? {
            switch value[key] {
            case .string(let s)? where !s.isEmpty && s.count <= max: return s
            case .string?:
                fail(key, "must be 1–\(max) characters")
                return nil
            case nil, .null?:
                if required { fail(key, "is required") }
                return nil
            case let other?:
                fail(key, "must be a string, not \(other.typeName)")
                return nil
            }
        }
        guard case .object = value else {
            return .failure(
                RecordRejection(
                    applicantID: nil, errors: [FieldError(field: "", message: "an event must be a JSON object")]))
        }
        let applicant = string("applicant_id", max: 64)
        let eventID = string("event_id", required: false, max: 128)
        let program = string("program", required: false, max: 64)
        let type = string("type", max: 32)
        var date: CalendarDate?
        if let text = string("date", required: type != "retraction", max: 10) {
            date = CalendarDate(iso: text)
            if date == nil { fail("date", "\"\(text)\" is not a valid YYYY-MM-DD date") }
        }
        var event: LifecycleEvent?
        var retraction: Retraction?
        if type == "retraction" {
            let retracts = string("retracts", max: 128)
            let reason = string("reason", max: 2000)
            if let retracts, let reason { retraction = Retraction(retracts: retracts, reason: reason) }
        } else if let date, date < EventDateWindow.earliest {
            fail("date", "is before \(EventDateWindow.earliest): no event of a scholarship can be that early")
        } else if let type, let date {
            switch type {
            case "admitted": event = .admitted(date: date)
            case "arrived": event = .arrived(date: date)
            case "degree_awarded": event = .degreeAwarded(date: date)
            case "leave_started": event = .leaveStarted(date: date)
            case "leave_ended": event = .leaveEnded(date: date)
            case "termination":
                let reasonText = string("reason", max: 32)
                let reason = reasonText.flatMap(TerminationReason.init(rawValue:))
                if let reasonText, reason == nil {
                    fail(
                        "reason",
                        "\"\(reasonText)\" is not one of "
                            + "\(TerminationReason.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))"
                    )
                }
                let detail = string("detail", required: false, max: 2000)
                var credits: Bool?
                var support: SupportKind?
                if reason == .withdrawal {
                    if case .bool(let b)? = value["credits_completed"] {
                        credits = b
                    } else {
                        fail("credits_completed", "is required (true or false) for a withdrawal")
                    }
                }
                if reason == .otherSupportApplied {
                    let kindText = string("support_kind", max: 40)
                    support = kindText.flatMap(SupportKind.init(rawValue:))
                    if let kindText, support == nil {
                        fail(
                            "support_kind",
                            "\"\(kindText)\" is not one of "
                                + "\(SupportKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))"
                        )
                    }
                }
                if let reason, reason != .withdrawal || credits != nil, reason != .otherSupportApplied || support != nil
                {
                    event = .termination(
                        date: date, reason: reason, detail: detail, creditsCompleted: credits, supportKind: support)
                }
            case "academic_report":
                let term = string("term", max: 20)
                var gpa: Rational?
                if let text = string("gpa", max: 8) {
                    let parts = text.split(separator: ".")
                    if let g = Rational(decimal: text), g >= .zero, g <= Rational(3), parts.count == 2,
                        parts[1].count == 2
                    {
                        gpa = g
                    } else {
                        fail("gpa", "\"\(text)\" is not a GPA with two decimals between 0.00 and 3.00")
                    }
                }
                if let term, let gpa { event = .academicReport(date: date, term: term, gpa: gpa) }
            default:
                fail(
                    "type",
                    "\"\(type.prefix(40))\" is not one of \"admitted\", \"arrived\", \"termination\", "
                        + "\"degree_awarded\", "
                        + "\"academic_report\", \"leave_started\", \"leave_ended\", \"retraction\"")
            }
        }
        if let applicant,
            !applicant.utf8.allSatisfy({ b in
                (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b) || b == 46 || b == 95
                    || b == 45
            })
        {
            fail("applicant_id", "must be 1–64 characters of A–Z, a–z, 0–9, '.', '_' or '-'")
        }
        guard errors.isEmpty, let applicant else {
            return .failure(RecordRejection(applicantID: applicant, errors: errors))
        }
        if let event {
            return .success(
                SubmittedEvent(applicantID: applicant, eventID: eventID, program: program, body: .fact(event)))
        }
        guard let retraction else { return .failure(RecordRejection(applicantID: applicant, errors: errors)) }
        return .success(
            SubmittedEvent(applicantID: applicant, eventID: eventID, program: program, body: .retraction(retraction)))
    }
}
