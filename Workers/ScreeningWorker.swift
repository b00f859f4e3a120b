import Foundation
import JobQueue
import Partners
import Postgres
import Screening
import Store

/// Screens an application revision and stores the decision with its trace and rule-set
/// version, in the transaction that completes the job.
public struct ScreeningWorker: JobHandler {
    public static let kind = JobKinds.screen
    let database: Database
    let inputs: ScreeningInputs

    public init(database: Database) {
        self.database = database
        self.inputs = ScreeningInputs(database: database)
    }

    public func run(_ job: JobRun<ApplicationJob>) async throws {
        let args = job.arguments
        let program = try await inputs.program(args.program)
        let matcher = try await inputs.matcher(args.program)
        try await database.pool.withTransaction { connection in
            guard let stored = try await ApplicationStore.load(program: args.program, applicantID: args.applicantID, revision: args.revision, on: connection) else {
                throw JobCancel(reason: "application revision \(args.revision) does not exist")
            }
            guard stored.latestRevision == args.revision else {
                // A newer revision was submitted; its own jobs decide it.
                try await job.complete(on: connection)
                return
            }
            let app = stored.application
            let checks = try await connection.query(
                "SELECT checks::text AS checks FROM document_checks WHERE program = $1 AND applicant_id = $2 AND revision = $3",
                args.program, args.applicantID, args.revision).first
            let documents = try checks.map { try JSONDecoder().decode([DocumentCheck].self, from: Data(try $0.string("checks").utf8)) } ?? []
            let exclusions = try await PersonScreening.exclusionHits(for: app, on: connection)
            let duplicates = try await PersonScreening.duplicates(for: app, on: connection)
            let decision = Screener(program: program, partners: matcher).decide(app, documents: documents, exclusions: exclusions, duplicates: duplicates)
            let uncertain = matcher.match(institution: app.affiliation.institution, country: app.affiliation.country).result == .uncertain
            try await DecisionStore.save(decision, program: args.program, revision: args.revision,
                                         partnerKey: uncertain ? PartnerMatcher.decisionKey(app.affiliation.institution) : nil, on: connection)
            try await rescreenOthers(duplicates, of: app, on: connection)
            try await job.complete(on: connection)
        }
    }

    /// The other application of a duplicate pair gets `identity.duplicate` too: screen it again
    /// when its current decision does not say so yet.
    private func rescreenOthers(_ duplicates: [DuplicateHit], of app: Application, on connection: Connection) async throws {
        guard !duplicates.isEmpty else { return }
        let rows = try await connection.query("""
            SELECT h.applicant_id, h.latest_revision FROM applicants h
            WHERE h.program = $1 AND h.applicant_id = ANY($2::text[])
              AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.program = h.program AND d.applicant_id = h.applicant_id
                              AND d.revision = h.latest_revision AND 'identity.duplicate' = ANY(d.review)
                              AND d.id = (SELECT max(id) FROM decisions x WHERE x.program = h.program AND x.applicant_id = h.applicant_id))
              AND EXISTS (SELECT 1 FROM decisions d WHERE d.program = h.program AND d.applicant_id = h.applicant_id AND d.revision = h.latest_revision)
            """, app.program, TextArray(duplicates.map(\.otherApplicantID)))
        let targets = try rows.map { (try $0.string("applicant_id"), try $0.int("latest_revision")) }
        try await Rescreening.enqueue(program: app.program, applicants: targets, reason: "duplicate found", on: connection, queue: database.queue)
    }
}
