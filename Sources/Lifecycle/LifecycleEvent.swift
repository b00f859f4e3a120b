import Screening

/// One event of a scholarship's life (interface §3).
public enum LifecycleEvent: Sendable, Equatable {
    case admitted(date: CalendarDate)
    case arrived(date: CalendarDate)
    case termination(date: CalendarDate, reason: TerminationReason, detail: String?, creditsCompleted: Bool?, supportKind: SupportKind?)
    case degreeAwarded(date: CalendarDate)
    case academicReport(date: CalendarDate, term: String, gpa: Rational)

    public var date: CalendarDate {
        switch self {
        case .admitted(let d), .arrived(let d), .degreeAwarded(let d): return d
        case .termination(let d, _, _, _, _): return d
        case .academicReport(let d, _, _): return d
        }
    }

    public var typeName: String {
        switch self {
        case .admitted: return "admitted"
        case .arrived: return "arrived"
        case .termination: return "termination"
        case .degreeAwarded: return "degree_awarded"
        case .academicReport: return "academic_report"
        }
    }
}

/// The guideline's termination triggers (Items to be noted).
public enum TerminationReason: String, Sendable, CaseIterable, Codable {
    case falseStatement = "false_statement", pledgeViolation = "pledge_violation"
    case disciplinaryAction = "disciplinary_action", cannotComplete = "cannot_complete"
    case withdrawal, transfer, lostStudentStatus = "lost_student_status"
    case otherSupportApplied = "other_support_applied", health, exclusionFound = "exclusion_found"
}

/// The kind of other support applied for (`other_support_applied`).
public enum SupportKind: String, Sendable, CaseIterable, Codable {
    case scholarship, researchFund = "research_fund", postCompletionScholarship = "post_completion_scholarship"
}

/// A submitted event line: who it is for, its id if any, and the event.
public struct SubmittedEvent: Sendable, Equatable {
    public let applicantID: String
    public let eventID: String?
    public let program: String?
    public let event: LifecycleEvent
}

/// Reads event lines (NDJSON objects) with field paths in errors.
public enum EventDecoder {
    public static func decode(_ value: JSONValue) -> Result<SubmittedEvent, RecordRejection> {
        var errors: [FieldError] = []
        func fail(_ field: String, _ message: String) { errors.append(FieldError(field: field, message: message)) }
        func string(_ key: String, required: Bool = true, max: Int = 200) -> String? {
            switch value[key] {
            case .string(let s)? where !s.isEmpty && s.count <= max: return s
            case .string?: fail(key, "must be 1–\(max) characters"); return nil
            case nil, .null?: if required { fail(key, "is required") }; return nil
            case let other?: fail(key, "must be a string, not \(other.typeName)"); return nil
            }
        }
        guard case .object = value else {
            return .failure(RecordRejection(applicantID: nil, errors: [FieldError(field: "", message: "an event must be a JSON object")]))
        }
        let applicant = string("applicant_id", max: 64)
        let eventID = string("event_id", required: false, max: 128)
        let program = string("program", required: false, max: 64)
        let type = string("type", max: 32)
        var date: CalendarDate?
        if let text = string("date", max: 10) {
            date = CalendarDate(iso: text)
            if date == nil { fail("date", "\"\(text)\" is not a valid YYYY-MM-DD date") }
        }
        var event: LifecycleEvent?
        if let type, let date {
            switch type {
            case "admitted": event = .admitted(date: date)
            case "arrived": event = .arrived(date: date)
            case "degree_awarded": event = .degreeAwarded(date: date)
            case "termination":
                let reasonText = string("reason", max: 32)
                let reason = reasonText.flatMap(TerminationReason.init(rawValue:))
                if let reasonText, reason == nil {
                    fail("reason", "\"\(reasonText)\" is not one of \(TerminationReason.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
                }
                let detail = string("detail", required: false, max: 2000)
                var credits: Bool?
                var support: SupportKind?
                if reason == .withdrawal {
                    if case .bool(let b)? = value["credits_completed"] { credits = b } else { fail("credits_completed", "is required (true or false) for a withdrawal") }
                }
                if reason == .otherSupportApplied {
                    let kindText = string("support_kind", max: 40)
                    support = kindText.flatMap(SupportKind.init(rawValue:))
                    if let kindText, support == nil {
                        fail("support_kind", "\"\(kindText)\" is not one of \(SupportKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
                    }
                }
                if let reason, (reason != .withdrawal || credits != nil), (reason != .otherSupportApplied || support != nil) {
                    event = .termination(date: date, reason: reason, detail: detail, creditsCompleted: credits, supportKind: support)
                }
            case "academic_report":
                let term = string("term", max: 20)
                var gpa: Rational?
                if let text = string("gpa", max: 8) {
                    let parts = text.split(separator: ".")
                    if let g = Rational(decimal: text), g >= .zero, g <= Rational(3), parts.count == 2, parts[1].count == 2 { gpa = g }
                    else { fail("gpa", "\"\(text)\" is not a GPA with two decimals between 0.00 and 3.00") }
                }
                if let term, let gpa { event = .academicReport(date: date, term: term, gpa: gpa) }
            default:
                fail("type", "\"\(type.prefix(40))\" is not one of \"admitted\", \"arrived\", \"termination\", \"degree_awarded\", \"academic_report\"")
            }
        }
        if let applicant, !applicant.utf8.allSatisfy({ b in (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b) || b == 46 || b == 95 || b == 45 }) {
            fail("applicant_id", "must be 1–64 characters of A–Z, a–z, 0–9, '.', '_' or '-'")
        }
        guard errors.isEmpty, let applicant, let event else {
            return .failure(RecordRejection(applicantID: applicant, errors: errors))
        }
        return .success(SubmittedEvent(applicantID: applicant, eventID: eventID, program: program, event: event))
    }
}
