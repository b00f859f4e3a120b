import Lifecycle
import Postgres
import Screening

/// Raises `eligibility.changed` on a scholarship whose applicant's latest decision stops being
/// `eligible` (interface §3), in the transaction that stores the decision. Guideline (10): "If an
/// applicant is found to fall under these after being accepted, the support provided, such as
/// scholarship, shall not, in principle, be granted" — and a new revision found to hold a false
/// statement, or an officer's partner rejection, can make the admitted applicant ineligible too.
/// The flag holds payments until an officer clears it or records a termination.
public enum EligibilityWatch {
    /// For each decision in `decided` that is not `eligible` while the applicant's previous latest
    /// decision (`previous`) was, raises the flag on the applicant's active scholarship, if any and
    /// if not raised already. Returns the applicants flagged.
    ///
    /// Readings: only a change away from `eligible` raises it (a re-decision that stays not
    /// eligible after an officer cleared the flag does not raise it again); a terminated or
    /// completed scholarship pays nothing more, so it is not flagged.
    ///
    /// The applicant's lifecycle lock (the one the lifecycle worker holds while it applies events)
    /// is taken first: an `admitted` event that read the previous, eligible decision either commits
    /// its scholarship before the lock is granted here — and is flagged — or waits and reads this
    /// decision.
    @discardableResult
    public static func flagLostEligibility(program: String, previous: [String: Outcome], decided: [Decision],
                                           on connection: Connection) async throws -> [String] {
        let lost = decided.filter { $0.outcome != .eligible && previous[$0.applicantID] == .eligible }
            .sorted { $0.applicantID < $1.applicantID }
        var flagged: [String] = []
        for decision in lost {
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext($1))", "lifecycle:\(program):\(decision.applicantID)")
            guard var scholarship = try await LifecycleStore.scholarship(program: program, applicantID: decision.applicantID,
                                                                         on: connection, forUpdate: true),
                  scholarship.status == .active, !scholarship.flags.contains(Scholarship.eligibilityChangedFlag) else { continue }
            let reason = Self.reason(decision)
            scholarship.flags.append(Scholarship.eligibilityChangedFlag)
            scholarship.history.append("flag \(Scholarship.eligibilityChangedFlag) raised: \(reason)")
            try await LifecycleStore.save(scholarship, program: program, on: connection)
            try await connection.query("""
                INSERT INTO flag_actions (program, applicant_id, flag, action, reason) VALUES ($1, $2, $3, 'raised', $4)
                """, program, decision.applicantID, Scholarship.eligibilityChangedFlag, reason)
            flagged.append(decision.applicantID)
        }
        return flagged
    }

    /// Why, naming the clauses and no personal data.
    static func reason(_ decision: Decision) -> String {
        var parts: [String] = []
        if !decision.failed.isEmpty { parts.append("failed \(decision.failed.joined(separator: ", "))") }
        if !decision.review.isEmpty { parts.append("left to review \(decision.review.joined(separator: ", "))") }
        var reason = "the latest decision is \(decision.outcome.rawValue)" + (parts.isEmpty ? "" : " (\(parts.joined(separator: "; ")))")
        if decision.failed.contains(where: { $0.hasPrefix("eligibility.10") }) {
            reason += "; guideline (10): found to fall under these after being accepted, the support shall not, in principle, be granted"
        } else if decision.outcome == .withdrawn {
            reason += "; an officer withdrew the application (duplicates resolve)"
        }
        return reason + "; payments are held until an officer clears the flag or records a termination"
    }
}
