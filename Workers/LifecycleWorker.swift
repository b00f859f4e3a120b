import Foundation
import JobQueue
import Lifecycle
import Postgres
import Screening
import Store

/// Applies an applicant's pending lifecycle events in submission order, each exactly once, in
/// the transaction that completes the job. An event that cannot apply by the guideline's rules
/// (an ``EventRejection``) is recorded as rejected with its reason and changes nothing; any other
/// error (a lost connection, a cancelled wait, the pool shut down) rolls the whole job back and
/// is retried, so no event is rejected for a reason that is not its own.
public struct LifecycleWorker: JobHandler {
    public static let kind = JobKinds.lifecycle
    let database: Database
    let inputs: ScreeningInputs

    init(database: Database, inputs: ScreeningInputs) {
        self.database = database
        self.inputs = inputs
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
            let pending = try await LifecycleStore.pendingEvents(program: args.program, applicantID: args.applicantID, on: connection)
            let before = try await LifecycleStore.scholarship(program: args.program, applicantID: args.applicantID, on: connection, forUpdate: true)
            var scholarship = before
            for event in pending {
                switch try await outcome(of: event.body, for: scholarship, args: args, program: program, on: connection) {
                case .success(let next):
                    let effect = next.history.dropFirst(scholarship?.history.count ?? 0).joined(separator: "; ")
                    try await recordFlags(from: scholarship, to: next, program: args.program, effect: effect, on: connection)
                    scholarship = next
                    try await LifecycleStore.markApplied(seq: event.seq, effect: effect, on: connection)
                case .failure(let rejection):
                    try await LifecycleStore.markRejected(seq: event.seq, message: rejection.message, on: connection)
                }
            }
            if let scholarship, scholarship != before {
                try await LifecycleStore.save(scholarship, program: args.program, on: connection)
                // Months already reached by a run are settled again on the new record: a
                // termination voids what it ends, a cleared flag releases what is still owed.
                try await PaymentStore.reconcile(scholarship, program: args.program, on: connection)
            }
            try await job.complete(on: connection)
        }
    }

    /// The scholarship after one stored event, or the rule that rejects it. Only
    /// ``EventRejection`` becomes a failure; every other error is thrown.
    private func outcome(of body: String, for scholarship: Scholarship?, args: LifecycleJob, program: Program?,
                         on connection: Connection) async throws -> Result<Scholarship, EventRejection> {
        guard let program else { return .failure(EventRejection("there is no program \"\(args.program)\"")) }
        let submitted: SubmittedEvent
        switch EventDecoder.decode(try JSONParser.parse(body)) {
        case .failure(let rejection): return .failure(EventRejection("the event is malformed: \(rejection)"))
        case .success(let decoded): submitted = decoded
        }
        if let scholarship {
            do throws(EventRejection) {
                return .success(try LifecycleRules.apply(submitted.event, to: scholarship, program: program))
            } catch {
                return .failure(error)
            }
        }
        guard let basis = try await LifecycleStore.admissionBasis(program: args.program, applicantID: args.applicantID, on: connection) else {
            return .failure(EventRejection("unknown applicant \(args.applicantID) in \(args.program)"))
        }
        guard case .admitted(let date) = submitted.event else {
            return .failure(EventRejection("\(args.applicantID) has not been admitted; a \(submitted.event.typeName) event cannot come before admitted"))
        }
        do throws(EventRejection) {
            return .success(try LifecycleRules.admit(applicantID: args.applicantID, course: basis.course, on: date,
                                                     latestOutcome: basis.outcome, program: program))
        } catch {
            return .failure(error)
        }
    }

    /// Records in `flag_actions` each flag an event raised or ended.
    private func recordFlags(from old: Scholarship?, to new: Scholarship, program: String, effect: String, on connection: Connection) async throws {
        let before = Set(old?.flags ?? [])
        let after = Set(new.flags)
        for flag in after.subtracting(before).sorted() {
            try await LifecycleStore.recordFlag(program: program, applicantID: new.applicantID, flag: flag, action: "raised", reason: effect, on: connection)
        }
        for flag in before.subtracting(after).sorted() {
            try await LifecycleStore.recordFlag(program: program, applicantID: new.applicantID, flag: flag, action: "cleared", reason: effect, on: connection)
        }
    }
}
