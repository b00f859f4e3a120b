import Foundation
import Lifecycle
import Screening

/// The case page's "record an event" form read as the event line an events file would hold
/// (interface §3), for ``EventDecoder`` to judge: the form only carries the fields, it checks none.
enum EventForm {
    /// The event types the form offers, in the order of interface §3's table.
    static let types = [
        "admitted", "arrived", "termination", "degree_awarded", "academic_report", "leave_started", "leave_ended",
        "retraction",
    ]

    /// The event object for `applicantID` from the form's fields. Fields that do not belong to the
    /// chosen type are left out and blank ones are absent, so the decoder names what is missing.
    /// A blank `event_id` gets a new one: an event without an id could never be retracted.
    /// The officer's `reason` is a retraction's own `reason`.
    static func line(_ fields: [String: String], applicantID: String, reason: String) -> JSONValue {
        func field(_ name: String) -> String? {
            guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                return nil
            }
            return value
        }
        let type = field("type") ?? ""
        var members: [(String, JSONValue)] = [
            ("applicant_id", .string(applicantID)), ("type", .string(type)),
            ("event_id", .string(field("event_id") ?? "console-" + Forms.secret().prefix(16))),
        ]
        func add(_ key: String, _ name: String) {
            if let value = field(name) { members.append((key, .string(value))) }
        }
        if type == "retraction" {
            add("retracts", "retracts")
            members.append(("reason", .string(reason)))
            return .object(members)
        }
        add("date", "date")
        switch type {
        case "termination":
            add("reason", "termination")
            add("detail", "detail")
            if let credits = field("credits_completed") {
                // Anything but true or false stays a string, for the decoder to refuse by name.
                members.append(
                    (
                        "credits_completed",
                        credits == "true" || credits == "false"
                            ? .bool(credits == "true") : .string(credits)
                    ))
            }
            add("support_kind", "support_kind")
        case "academic_report":
            add("term", "term")
            add("gpa", "gpa")
        default:
            break
        }
        return .object(members)
    }
}
