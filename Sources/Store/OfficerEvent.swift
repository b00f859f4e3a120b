import Foundation
import Lifecycle
import Postgres
import Screening

/// One lifecycle event recorded by an officer in the console (issue 24): the line `bursar events
/// submit` would read from a file, read by the same ``EventDecoder`` and stored and queued by the
/// same ``LifecycleStore/submit(_:queue:on:)``, so the lifecycle worker judges it like any other
/// (interface §3: accepted or rejected naming the conflicting event). What differs from a file is
/// the audit: one row, `event.queued`, with the officer's reason.
public enum OfficerEvent {
    /// Decodes `line` (an event object), stores it for `program` and queues its job, in one
    /// transaction on `database` (the officer's role), with one audit row carrying `reason`.
    /// Returns the event as stored. A line the decoder refuses, an event for another
    /// applicant than `applicantID`, or an `event_id` already used throws
    /// ``BursarError/input(_:)`` and stores nothing.
    public static func record(
        _ line: JSONValue, applicantID: String, program: String, reason: String, database: Database
    ) async throws -> SubmittedEvent {
        let event: SubmittedEvent
        switch EventDecoder.decode(line) {
        case .success(let decoded): event = decoded
        case .failure(let rejection): throw BursarError.input("the event was not recorded: \(rejection)")
        }
        guard event.applicantID == applicantID, event.program == nil || event.program == program else {
            throw BursarError.input("the event names another applicant or program than the case: not recorded")
        }
        let body = line.canonicalText
        return try await database.pool.withTransaction { connection in
            let results = try await LifecycleStore.submit(
                [(line: 1, event: event, program: program, body: body)], queue: database.queue, on: connection)
            switch results.first {
            case .queued?:
                try await AuditLog.record(
                    on: connection, action: "event.queued", program: program, applicantID: applicantID,
                    reason: reason, detail: ["type": event.typeName, "event_id": event.eventID ?? ""])
                return event
            case .duplicateEventID?:
                throw BursarError.input(
                    "event_id \"\(event.eventID ?? "")\" was submitted before with the same content: nothing new")
            case .conflictingEventID(let message)?:
                throw BursarError.input(message)
            case nil:
                throw BursarError.input("the event was not recorded")
            }
        }
    }
}
