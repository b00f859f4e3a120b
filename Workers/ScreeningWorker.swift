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

    init(database: Database, inputs: ScreeningInputs) {
        self.database = database
        self.inputs = inputs
    }

    public func run(_ job: JobRun<ApplicationsJob>) async throws {
        try await database.pool.withTransaction { connection in
            try await decide(job.arguments, on: connection)
            try await job.complete(on: connection)
        }
    }

    /// Decides the job's applications inside the caller's transaction on `connection`: under the
    /// program's data lock, with the program data versions in force, which each decision records.
    func decide(_ args: ApplicationsJob, on connection: Connection) async throws {
        // Held shared until commit: a change of program data waits for this decision, and the
        // re-decision it enqueues comes after it (ProgramData).
        let versions = try await ProgramData.lockForDeciding(program: args.program, on: connection)
        let program = try await inputs.program(args.program, versions: versions, on: connection)
        let matcher = try await inputs.matcher(args.program, versions: versions, on: connection)
        let screener = Screener(program: program, partners: matcher)
        // A revision superseded by a newer one is left to the newer one's jobs.
        let current = try await ApplicationStore.load(program: args.program, items: args.items, on: connection)
            .filter { $0.latestRevision == $0.revision }
        let apps = current.map(\.application)
        let ids = apps.map(\.applicantID)
        let exclusions = try await PersonScreening.exclusionHits(for: apps, program: args.program, on: connection)
        let duplicates = try await PersonScreening.duplicates(for: apps, program: args.program, on: connection)
        let formerPartners = try await PersonScreening.currentDuplicatePartners(
            of: ids, program: args.program, on: connection)
        let withdrawn = try await Withdrawals.kept(for: ids, program: args.program, on: connection)
        let decisions = current.map { stored -> DecisionStore.NewDecision in
            let app = stored.application
            var decision = screener.decide(
                app, documents: stored.documentChecks ?? [],
                exclusions: exclusions[app.applicantID] ?? [], duplicates: duplicates[app.applicantID] ?? [])
            if let kept = withdrawn[app.applicantID] { decision = decision.withdrawn(inFavourOf: kept) }
            return .init(
                decision: decision, revision: stored.revision, versions: versions,
                institution: app.affiliation.institution, institutionCountry: app.affiliation.country,
                documentsVersion: stored.documentsVersion ?? 0,
                duplicateHits: (duplicates[app.applicantID] ?? []).map(\.otherApplicantID))
        }
        try await DecisionStore.save(decisions, program: args.program, on: connection)
        try await EligibilityWatch.flagLostEligibility(
            program: args.program, decided: decisions.map { ($0.decision, $0.revision) },
            on: connection)
        let others = Set(duplicates.values.flatMap { $0.map(\.otherApplicantID) }).subtracting(ids)
        try await DuplicateRescreening.enqueue(
            Array(others), after: .pairFound, program: args.program, on: connection, queue: database.queue)
        // Interface §4: "both get identity.duplicate in review" — and so both lose it when the
        // pair no longer holds (a new revision changed a name, a birth date or a citizenship):
        // the other side's decision still says duplicate, so it is screened again.
        var dissolved = Set<String>()
        for (applicant, partners) in formerPartners {
            let still = Set(duplicates[applicant]?.map(\.otherApplicantID) ?? [])
            dissolved.formUnion(partners.filter { !still.contains($0) })
        }
        try await DuplicateRescreening.enqueue(
            Array(dissolved.subtracting(ids)), after: .pairDissolved, program: args.program, on: connection,
            queue: database.queue)
    }
}
