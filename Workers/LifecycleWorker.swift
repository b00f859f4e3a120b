import Foundation
import JobQueue
import Lifecycle
import Postgres
import Screening
import Store

/// Applies an applicant's pending lifecycle events in submission order, each exactly once, in
/// the transaction that completes the job. An event that cannot apply is recorded as rejected
/// with its reason and changes nothing.
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
        try await database.pool.withTransaction { connection in
            // One applicant's events are applied by one job at a time, in order.
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext($1))", "lifecycle:\(args.program):\(args.applicantID)")
            let pending = try await connection.query("""
                SELECT seq, body::text AS body FROM lifecycle_events
                WHERE program = $1 AND applicant_id = $2 AND status = 'pending' ORDER BY seq FOR UPDATE
                """, args.program, args.applicantID)
            var scholarship = try await LifecycleStore.scholarship(program: args.program, applicantID: args.applicantID, on: connection, forUpdate: true)
            let before = scholarship
            for row in pending {
                let seq = try row.int64("seq")
                let outcome: Result<Scholarship, EventRejection>
                switch EventDecoder.decode(try JSONParser.parse(try row.string("body"))) {
                case .failure(let rejection):
                    outcome = .failure(EventRejection("the event is malformed: \(rejection)"))
                case .success(let submitted):
                    outcome = await apply(submitted.event, to: scholarship, args: args, on: connection)
                }
                switch outcome {
                case .success(let next):
                    if let flagged = scholarship?.flags, !flagged.isEmpty, next.flags.isEmpty {
                        _ = try await PaymentStore.releaseHeld(program: args.program, applicantID: args.applicantID, on: connection)
                    }
                    scholarship = next
                    try await connection.query("UPDATE lifecycle_events SET status = 'applied', processed_at = now() WHERE seq = $1", seq)
                case .failure(let rejection):
                    try await connection.query("UPDATE lifecycle_events SET status = 'rejected', message = $2, processed_at = now() WHERE seq = $1",
                                               seq, rejection.message)
                }
            }
            if let scholarship, scholarship != before {
                try await LifecycleStore.save(scholarship, program: args.program, on: connection)
            }
            try await job.complete(on: connection)
        }
    }

    private func apply(_ event: LifecycleEvent, to scholarship: Scholarship?, args: LifecycleJob, on connection: Connection) async -> Result<Scholarship, EventRejection> {
        do {
            let program = try await inputs.program(args.program)
            if let scholarship {
                return .success(try LifecycleRules.apply(event, to: scholarship, program: program))
            }
            let known = try await connection.query("SELECT latest_revision FROM applicants WHERE program = $1 AND applicant_id = $2", args.program, args.applicantID).first
            guard known != nil else { return .failure(EventRejection("unknown applicant \(args.applicantID) in \(args.program)")) }
            guard case .admitted(let date) = event else {
                return .failure(EventRejection("\(args.applicantID) has not been admitted; a \(event.typeName) event cannot come before admitted"))
            }
            let decision = try await DecisionStore(database: database).current(program: args.program, applicantID: args.applicantID).0
            let course = try await connection.query("""
                SELECT a.content::jsonb ->> 'course' AS course FROM applications a JOIN applicants h USING (program, applicant_id)
                WHERE a.program = $1 AND a.applicant_id = $2 AND a.revision = h.latest_revision
                """, args.program, args.applicantID).first.flatMap { try $0.optionalString("course") }.flatMap(Course.init(rawValue:)) ?? .master
            return .success(try LifecycleRules.admit(applicantID: args.applicantID, course: course, on: date,
                                                     latestOutcome: decision.outcome == .pending ? nil : decision.outcome, program: program))
        } catch let rejection as EventRejection {
            return .failure(rejection)
        } catch {
            return .failure(EventRejection("could not apply: \(error)"))
        }
    }
}
