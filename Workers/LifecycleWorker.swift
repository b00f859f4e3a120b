import Foundation
import JobQueue
import Lifecycle
import Postgres
import Screening
import Store

/// Judges an applicant's pending lifecycle events in submission order, each exactly once, in
/// the transaction that completes the job. An event is accepted when the whole set of accepted
/// events with it still holds together (``LifecycleRules/fold(applicantID:course:events:program:newest:)``);
/// otherwise it is recorded as rejected, naming the event it conflicts with, and changes nothing.
/// Any other error (a lost connection, a cancelled wait, the pool shut down) rolls the whole job
/// back and is retried, so no event is rejected for a reason that is not its own.
///
/// The worker writes events, flag actions and the scholarship's cache, never a payment table:
/// what is owed is derived from the events when a run or an officer reads it.
public struct LifecycleWorker: JobHandler {
    public static let kind = JobKinds.lifecycle
    let database: Database
    let inputs: ScreeningInputs

    init(database: Database, inputs: ScreeningInputs) {
        self.database = database
        self.inputs = inputs
    }

    /// The applicant's state while their pending events are judged.
    private struct Judging {
        var events: [RecordedEvent]
        var course: Course?
        var scholarship: Scholarship?
        var openFlags: [(flag: String, month: YearMonth?)]
    }

    public func run(_ job: JobRun<LifecycleJob>) async throws {
        let args = job.arguments
        // Read before the transaction takes its connection: one connection at a time per
        // handler, so handlers never wait for a second one while holding the first.
        let program: Program?
        do { program = try await inputs.program(args.program) } catch BursarError.notFound {
            // An event naming a program that does not exist can never apply: a rule error, not a retry.
            program = nil
        }
        try await database.pool.withTransaction { connection in
            // Under the applicant's lock no submission of theirs is uncommitted: every pending
            // event is visible, in the order it was submitted.
            try await LifecycleStore.lockApplicants([(args.program, args.applicantID)], on: connection)
            let pending = try await LifecycleStore.pendingEvents(
                program: args.program, applicantID: args.applicantID, on: connection)
            let admitted = try await LifecycleStore.admitted(
                program: args.program, applicantID: args.applicantID, forUpdate: true,
                on: connection
            ).first
            var state = Judging(
                events: try await LifecycleStore.recordedEvents(
                    program: args.program, applicantID: args.applicantID,
                    on: connection)[args.applicantID] ?? [],
                course: admitted?.course, scholarship: nil,
                openFlags: try await LifecycleStore.openFlags(
                    program: args.program, applicantID: args.applicantID,
                    on: connection)[args.applicantID] ?? [])
            // The definition in force at the admission (interface §4), also for an admission
            // being judged now: the same version every later fold of the scholarship uses.
            let followed = try await LifecycleStore.definitionsInForce(
                program: args.program, applicantID: args.applicantID, on: connection)[args.applicantID]
            let program = followed ?? program
            if let program, let course = state.course {
                state.scholarship = try? LifecycleRules.fold(
                    applicantID: args.applicantID, course: course, events: state.events,
                    program: program)
            }
            let before = state.scholarship
            for event in pending {
                guard let program else {
                    try await LifecycleStore.markRejected(
                        seq: event.seq, message: "there is no program \"\(args.program)\"", on: connection)
                    continue
                }
                do {
                    try await judge(event, state: &state, args: args, program: program, on: connection)
                } catch let rejection as EventRejection {
                    try await LifecycleStore.markRejected(seq: event.seq, message: rejection.message, on: connection)
                }
            }
            if var scholarship = state.scholarship, scholarship != before {
                scholarship.flags = []
                try await LifecycleStore.save(scholarship, program: args.program, on: connection)
            }
            try await job.complete(on: connection)
        }
    }

    /// Accepts one stored event (recording it and its flag changes) or throws the
    /// ``EventRejection`` that says why not; any other error is the database's.
    private func judge(
        _ stored: (seq: Int64, body: String), state: inout Judging, args: LifecycleJob, program: Program,
        on connection: Connection
    ) async throws {
        let submitted: SubmittedEvent
        let parsed: JSONValue
        do { parsed = try JSONParser.parse(stored.body) } catch {
            throw EventRejection("the event is malformed: \(error)")
        }
        switch EventDecoder.decode(parsed) {
        case .failure(let rejection): throw EventRejection("the event is malformed: \(rejection)")
        case .success(let decoded): submitted = decoded
        }
        switch submitted.body {
        case .retraction(let retraction):
            try await retract(retraction, seq: stored.seq, state: &state, args: args, program: program, on: connection)
        case .fact(let event):
            try await accept(
                event, seq: stored.seq, eventID: submitted.eventID, state: &state, args: args, program: program,
                on: connection)
        }
    }

    /// A dated fact: accepted when the set with it holds together.
    private func accept(
        _ event: LifecycleEvent, seq: Int64, eventID: String?, state: inout Judging, args: LifecycleJob,
        program: Program, on connection: Connection
    ) async throws {
        var decisionID: Int64?
        let isAdmission: Bool
        if case .admitted = event { isAdmission = true } else { isAdmission = false }
        if isAdmission || state.scholarship == nil {
            guard
                let basis = try await LifecycleStore.admissionBasis(
                    program: args.program, applicantID: args.applicantID,
                    on: connection)
            else {
                throw EventRejection("unknown applicant \(args.applicantID) in \(args.program)")
            }
            if isAdmission {
                try LifecycleRules.checkAdmission(applicantID: args.applicantID, latestOutcome: basis.outcome)
                decisionID = basis.decisionID
            } else if case .arrived = event {
                // An arrival is a fact dated any day: recorded before the admission, it waits for it.
            } else {
                throw EventRejection(
                    "\(args.applicantID) has not been admitted; a \(event.typeName) event cannot come before admitted")
            }
            state.course = basis.course
        }
        // Interface §3: a termination recorded while eligibility.changed is open voids every
        // unpaid month from the month in which that flag was raised.
        var voidFrom: YearMonth?
        if case .termination = event,
            let open = state.openFlags.first(where: { $0.flag == Scholarship.eligibilityChangedFlag })
        {
            voidFrom = open.month ?? state.scholarship?.firstPaymentMonth ?? program.enrollmentDate.yearMonth
        }
        let candidate = RecordedEvent(seq: seq, eventID: eventID, event: event, voidFrom: voidFrom)
        let events = state.events + [candidate]
        let next = try LifecycleRules.fold(
            applicantID: args.applicantID, course: state.course ?? .master, events: events,
            program: program, newest: seq)
        let effect = Self.effect(
            from: state.scholarship, to: next, fallback: "\(event.typeName) recorded (no scholarship yet)")
        try await LifecycleStore.markApplied(
            seq: seq, effect: effect, voidFrom: voidFrom, decisionID: decisionID, on: connection)
        try await recordAcademicFlag(
            from: state.scholarship, to: next, args: args, effect: effect, state: &state, on: connection)
        state.events = events
        state.scholarship = next
    }

    /// A retraction: the named event is withdrawn when the rest still holds together.
    private func retract(
        _ retraction: Retraction, seq: Int64, state: inout Judging, args: LifecycleJob, program: Program,
        on connection: Connection
    ) async throws {
        guard
            let target = try await LifecycleStore.event(
                program: args.program, applicantID: args.applicantID,
                eventID: retraction.retracts, on: connection),
            target.seq < seq
        else {
            throw EventRejection(
                "no event \"\(retraction.retracts)\" of \(args.applicantID) is recorded (see `bursar events list`)")
        }
        let name = "event \"\(retraction.retracts)\" (\(target.type))"
        if let by = target.retractedBy { throw EventRejection("\(name) was already retracted by event #\(by)") }
        guard target.status == "applied" else {
            throw EventRejection("\(name) was \(target.status), not recorded: nothing to retract")
        }
        guard target.type != "retraction" else {
            throw EventRejection("\(name) is a retraction; a retraction is final")
        }
        guard target.type != "admitted" else {
            throw EventRejection("\(name) cannot be retracted: record a termination instead")
        }
        let events = state.events.filter { $0.seq != target.seq }
        let next: Scholarship?
        if let course = state.course {
            do throws(EventRejection) {
                next = try LifecycleRules.fold(
                    applicantID: args.applicantID, course: course, events: events, program: program)
            } catch {
                throw EventRejection("without \(name) the other events no longer hold together: \(error.message)")
            }
        } else {
            next = nil
        }
        let effect =
            "retracted \(name): \(retraction.reason)"
            + (next.map { "; " + Self.effect(from: state.scholarship, to: $0, fallback: "") } ?? "")
        try await LifecycleStore.markRetracted(seq: target.seq, by: seq, on: connection)
        try await LifecycleStore.markApplied(seq: seq, effect: effect, on: connection)
        try await AuditLog.record(
            on: connection, action: "event.retracted", program: args.program, applicantID: args.applicantID,
            reason: retraction.reason, detail: ["retracts": retraction.retracts, "event": "\(seq)"])
        try await recordAcademicFlag(
            from: state.scholarship, to: next, args: args, effect: effect, state: &state, on: connection)
        state.events = events
        state.scholarship = next
    }

    /// The academic flag follows the latest report in the fold: raised when a new report below
    /// the threshold becomes the latest, cleared when the latest is no longer below. It is an
    /// action with its time (an officer's clear acts when made and is not undone by the fold).
    private func recordAcademicFlag(
        from old: Scholarship?, to new: Scholarship?, args: LifecycleJob, effect: String,
        state: inout Judging, on connection: Connection
    ) async throws {
        let was = old?.lowReport
        let now = new?.lowReport
        guard was != now else { return }
        let open = state.openFlags.contains { $0.flag == Scholarship.lowGPAFlag }
        if now != nil {
            try await LifecycleStore.recordFlag(
                program: args.program, applicantID: args.applicantID, flag: Scholarship.lowGPAFlag,
                action: "raised", reason: effect, on: connection)
            if !open { state.openFlags.append((Scholarship.lowGPAFlag, nil)) }
        } else if open {
            try await LifecycleStore.recordFlag(
                program: args.program, applicantID: args.applicantID, flag: Scholarship.lowGPAFlag,
                action: "cleared", reason: effect, on: connection)
            state.openFlags.removeAll { $0.flag == Scholarship.lowGPAFlag }
        }
    }

    /// What an event changed, in words: the fold's lines that are new, and those it no longer
    /// holds (a retraction or a late event dated earlier takes lines away: found by trial, a
    /// retraction that made paid months overpaid said "nothing owed changes").
    private static func effect(from old: Scholarship?, to new: Scholarship?, fallback: String) -> String {
        guard let new else { return fallback }
        let before = old?.history ?? []
        let known = Set(before)
        let kept = Set(new.history)
        let added = new.history.filter { !known.contains($0) }
        let removed = before.filter { !kept.contains($0) }.map { "no longer: \($0)" }
        let lines = added + removed
        return lines.isEmpty ? "recorded; nothing owed changes" : lines.joined(separator: "; ")
    }
}
