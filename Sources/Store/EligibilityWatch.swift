import Lifecycle
import Postgres
import Screening

/// Raises `eligibility.changed` on an admitted applicant's scholarship, in the transaction that
/// stores a re-decision (interface §3 v1.2). Guideline (10): "If an applicant is found to fall
/// under these after being accepted, the support provided, such as scholarship, shall not, in
/// principle, be granted." After acceptance the guideline stops support for (10) findings and
/// the termination cases only, so:
/// - a re-decision that leaves a (10) clause worse (pass → review → fail) than in the baseline
///   raises it — the baseline is the decision in force at admission or, after an officer cleared
///   the flag, at that clear, so it is raised again after a clear;
/// - a decision of a revision newer than the baseline's that is not `eligible` raises it (a
///   possible false statement, for an officer to judge);
/// - a change of program data that changes other clauses holds nothing (`review list` shows it).
/// Terminated and completed scholarships are flagged too: a (10) finding after the degree can
/// still withdraw the return ticket through a termination.
public enum EligibilityWatch {
    /// One new decision with the revision it decided.
    public typealias Decided = (decision: Decision, revision: Int)

    /// Raises the flag where the rules above say so. Returns the applicants flagged.
    ///
    /// The applicants' lifecycle locks (the one the lifecycle worker holds while it judges events)
    /// are taken first, then the scholarships' rows: an `admitted` event that read the previous
    /// decision either commits before and is flagged, or waits and reads this decision.
    @discardableResult
    public static func flagLostEligibility(program: String, decided: [Decided], on connection: Connection) async throws
        -> [String]
    {
        guard !decided.isEmpty else { return [] }
        // Two statements for the whole job, not two per decision (they had been 2 of a screening
        // job's ~5 round trips per application): every lock at once in key order, as `events
        // submit` takes them, then the scholarships among the decided, locked for update.
        let ids = decided.map(\.decision.applicantID)
        try await LifecycleStore.lockApplicants(ids.map { (program: program, applicantID: $0) }, on: connection)
        let admitted = Set(try await LifecycleStore.admitted(program: program, among: ids, on: connection))
        var flagged: [String] = []
        for item in decided.sorted(by: { $0.decision.applicantID < $1.decision.applicantID }) {
            let id = item.decision.applicantID
            guard admitted.contains(id) else { continue }
            let open = try await LifecycleStore.openFlags(program: program, applicantID: id, on: connection)[id] ?? []
            guard !open.contains(where: { $0.flag == Scholarship.eligibilityChangedFlag }) else { continue }
            guard let baseline = try await baseline(program: program, applicantID: id, on: connection) else { continue }
            guard let reason = reason(item, against: baseline) else { continue }
            let month = try await flagMonth(program: program, applicantID: id, on: connection)
            try await LifecycleStore.recordFlag(
                program: program, applicantID: id, flag: Scholarship.eligibilityChangedFlag,
                action: "raised", reason: reason, month: month, on: connection)
            flagged.append(id)
        }
        return flagged
    }

    /// "The month in which the open `eligibility.changed` was raised" (interface §3), in payment
    /// time (docs/interpretations.md): the month of the program's latest run when that month is
    /// not paid to this scholar (held, awaiting an account or the arrival: the flag is found
    /// while it is still unpaid), else the month after it; nil before any run (from the start).
    /// Found by trial: the month after the latest run alone let a month held at the finding be
    /// paid after the flag's clear although a `false_statement` termination followed.
    public static func flagMonth(program: String, applicantID: String, on connection: Connection) async throws
        -> YearMonth?
    {
        guard let latest = try await PaymentStore.reachedThrough(program: program, on: connection) else { return nil }
        let paid =
            try await connection.query(
                """
                SELECT EXISTS (SELECT 1 FROM payments WHERE program = $1 AND applicant_id = $2 AND month = $3
                               AND status = 'paid') AS paid
                """, program, applicantID, latest.description
            ).first?.bool("paid") ?? false
        return paid ? latest.adding(months: 1) : latest
    }

    /// The (10) clauses' standing and the revision of a decision.
    struct Baseline {
        let failed: Set<String>
        let review: Set<String>
        let revision: Int
    }

    /// The decision in force at the last clear of `eligibility.changed`, else at admission (for
    /// an admission recorded before that was kept, the latest eligible decision).
    static func baseline(program: String, applicantID: String, on connection: Connection) async throws -> Baseline? {
        let row = try await connection.query(
            """
            SELECT d.failed, d.review, d.revision FROM decisions d
            WHERE d.id = coalesce(
                (SELECT decision_id FROM flag_actions WHERE program = $1 AND applicant_id = $2 AND flag = $3 AND
                action = 'cleared'
                   AND decision_id IS NOT NULL ORDER BY id DESC LIMIT 1),
                (SELECT decision_id FROM lifecycle_events WHERE program = $1 AND applicant_id = $2 AND type = 'admitted'
                   AND status = 'applied' AND decision_id IS NOT NULL ORDER BY seq LIMIT 1),
                (SELECT id FROM decisions WHERE program = $1 AND applicant_id = $2 AND outcome = 'eligible' ORDER
                BY id DESC LIMIT 1))
            """, program, applicantID, Scholarship.eligibilityChangedFlag
        ).first
        guard let row else { return nil }
        return Baseline(
            failed: Set(try row.strings("failed")), review: Set(try row.strings("review")),
            revision: try row.int("revision"))
    }

    /// Why the flag is raised, naming clauses and no personal data; nil when it is not.
    static func reason(_ item: Decided, against baseline: Baseline) -> String? {
        let decision = item.decision
        func rank(_ clause: String, failed: Set<String>, review: Set<String>) -> Int {
            failed.contains(clause) ? 2 : review.contains(clause) ? 1 : 0
        }
        let clauses = Set(decision.failed + decision.review + Array(baseline.failed) + Array(baseline.review))
            .filter { $0.hasPrefix("eligibility.10") }
        let worse = clauses.filter {
            rank($0, failed: Set(decision.failed), review: Set(decision.review))
                > rank($0, failed: baseline.failed, review: baseline.review)
        }.sorted()
        let held = "; payments are held until an officer clears the flag or records a termination"
        if !worse.isEmpty {
            return "(10) found after acceptance: \(worse.joined(separator: ", ")) now "
                + worse.map { Set(decision.failed).contains($0) ? "failed" : "left to review" }.joined(separator: ", ")
                + "; guideline (10): found to fall under these after being accepted, the support shall not, in "
                + "principle, be granted"
                + held
        }
        if item.revision > baseline.revision, decision.outcome != .eligible {
            var parts: [String] = []
            if !decision.failed.isEmpty { parts.append("failed \(decision.failed.joined(separator: ", "))") }
            if !decision.review.isEmpty { parts.append("left to review \(decision.review.joined(separator: ", "))") }
            return "revision \(item.revision) of the admitted application is decided \(decision.outcome.rawValue)"
                + (parts.isEmpty ? "" : " (\(parts.joined(separator: "; ")))")
                + ": a possible false statement, for an officer to judge"
                + held
        }
        return nil
    }
}
