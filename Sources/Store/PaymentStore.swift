import Foundation
import Lifecycle
import Postgres
import Screening

/// Stipend payments: one row per scholarship and month a run reached, settled on what is
/// recorded (paid, held, due or void); a paid month is never touched again.
public enum PaymentStore {
    /// One recorded month.
    public struct Payment: Sendable, Equatable {
        public let month: YearMonth
        public let yen: Int
        public let status: PaymentStatus
        public let reason: String?
        public let runID: Int64?
    }

    /// One month in a run's report.
    public struct SettledMonth: Sendable, Equatable {
        public let applicantID: String
        public let month: YearMonth
        public let yen: Int
        public let status: PaymentStatus
        public let reason: String?
    }

    /// What a run recorded: its id, the months it paid and voided, and what stays held or due.
    public struct RunRecord: Sendable {
        public let id: Int64
        public let program: String
        public let month: YearMonth
        /// Where the run's bank-transfer file is written.
        public let bankFile: URL
        public let paid: [SettledMonth]
        public let held: [SettledMonth]
        public let due: [SettledMonth]
        public let voided: [SettledMonth]
    }

    /// One line of a bank-transfer file, from committed rows.
    public struct BankLine: Sendable, Equatable {
        public let applicantID: String
        public let familyName: String
        public let givenName: String
        public let month: String
        public let yen: Int
    }

    /// The recorded months of one scholarship, in month order.
    public static func payments(program: String, applicantID: String, on connection: Connection) async throws -> [Payment] {
        try await connection.query("""
            SELECT month, amount_yen, status, reason, run_id FROM payments WHERE program = $1 AND applicant_id = $2 ORDER BY month
            """, program, applicantID).map { row in
            Payment(month: try month(row.string("month")), yen: try row.int("amount_yen"), status: try status(row.string("status")),
                    reason: try row.optionalString("reason"), runID: try row.isNull("run_id") ? nil : try row.int64("run_id"))
        }
    }

    /// Runs the payments of `month` on `connection`, inside the caller's transaction (the caller
    /// holds ``PaymentRunner``'s per-program lock).
    ///
    /// Every month up to `month` that a scholarship's schedule or a recorded row names and that
    /// is not paid yet is settled on what is recorded now (``Scholarship/settlement(of:paying:pendingEvents:)``):
    /// an owed month without open flags is paid in this run; earlier months not paid before
    /// (held months released, due months an arrival made owed, months of a scholarship admitted
    /// after their run) are paid with it. A paid row is never updated, so no month is paid twice.
    ///
    /// The run records where its bank-transfer file goes (`folder`, under the run's own name)
    /// before the file exists, so a run whose process stops after the commit is known, file and all.
    public static func run(program: String, month: YearMonth, folder: URL, on connection: Connection) async throws -> RunRecord {
        let runID = try await connection.query("""
            INSERT INTO payment_runs (program, month, paid, held, total_yen) VALUES ($1, $2, 0, 0, 0) RETURNING id
            """, program, month.description).first!.int64("id")
        let bankFile = folder.appendingPathComponent(BankTransferFile.name(program: program, month: month.description, runID: runID)).path
        try await connection.query("UPDATE payment_runs SET bank_file = $2 WHERE id = $1", runID, bankFile)
        // The row locks make a concurrent event, flag or officer wait for the run (and the run
        // for them): each scholarship is settled on one committed state.
        let scholarships = try await connection.query("""
            SELECT state::text AS state FROM scholarships WHERE program = $1 ORDER BY applicant_id FOR UPDATE
            """, program).map { try LifecycleStore.decodeState(try $0.string("state")) }
        let pending = Set(try await connection.query("""
            SELECT DISTINCT applicant_id FROM lifecycle_events WHERE program = $1 AND status = 'pending'
            """, program).map { try $0.string("applicant_id") })
        var recorded: [String: [YearMonth: PaymentStatus]] = [:]
        for row in try await connection.query("""
            SELECT applicant_id, month, status FROM payments WHERE program = $1 AND month <= $2
            """, program, month.description) {
            recorded[try row.string("applicant_id"), default: [:]][try Self.month(row.string("month"))] = try status(row.string("status"))
        }
        var changes: [SettledMonth] = []
        for s in scholarships {
            let rows = recorded[s.applicantID] ?? [:]
            var months = Set(rows.keys)
            if let last = s.lastPaymentMonth, s.firstPaymentMonth <= month {
                var m = s.firstPaymentMonth
                while m <= min(last, month) {
                    months.insert(m)
                    m = m.adding(months: 1)
                }
            }
            for m in months.sorted() where rows[m] != .paid {
                let settled = s.settlement(of: m, paying: true, pendingEvents: pending.contains(s.applicantID))
                // A month no row names and nobody owes needs no row.
                if rows[m] == nil && settled.status == .void { continue }
                changes.append(SettledMonth(applicantID: s.applicantID, month: m, yen: s.monthlyYen, status: settled.status, reason: settled.reason))
            }
        }
        changes = try await BankAccountStore.holdAwaitingAccount(changes, program: program, on: connection)  // issue 25
        let written = try await write(changes, program: program, run: (runID, month), on: connection)
        let paid = written.filter { $0.status == .paid }
        let voided = written.filter { $0.status == .void }
        let open = try await connection.query("""
            SELECT applicant_id, month, amount_yen, status, reason FROM payments
            WHERE program = $1 AND month <= $2 AND status IN ('held', 'due') ORDER BY applicant_id, month
            """, program, month.description).map(settledMonth)
        let held = open.filter { $0.status == .held }
        let due = open.filter { $0.status == .due }
        try await connection.query("""
            UPDATE payment_runs SET paid = $2, held = $3, due = $4, voided = $5, total_yen = $6 WHERE id = $1
            """, runID, paid.count, held.count, due.count, voided.count, paid.reduce(0) { $0 + $1.yen })
        try await AuditLog.record(on: connection, action: "payments.run", program: program,
                                  detail: ["month": month.description, "run": "\(runID)", "file": URL(fileURLWithPath: bankFile).lastPathComponent,
                                           "paid": "\(paid.count)", "held": "\(held.count)",
                                           "due": "\(due.count)", "voided": "\(voided.count)"])
        return RunRecord(id: runID, program: program, month: month, bankFile: URL(fileURLWithPath: bankFile),
                         paid: paid, held: held, due: due, voided: voided)
    }

    /// Upserts settled months; a paid row is never changed (the `WHERE` of the conflict arm).
    /// Returns the rows actually written.
    private static func write(_ changes: [SettledMonth], program: String, run: (id: Int64, month: YearMonth),
                              on connection: Connection) async throws -> [SettledMonth] {
        guard !changes.isEmpty else { return [] }
        return try await connection.query("""
            INSERT INTO payments AS p (program, applicant_id, month, amount_yen, status, reason, run_month, run_id, paid_at)
            SELECT $1, a, m, y, s, r, $7, CASE WHEN s = 'paid' THEN $8::bigint END, CASE WHEN s = 'paid' THEN now() END
            FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[]) AS t(a, m, y, s, r)
            ON CONFLICT (program, applicant_id, month) DO UPDATE
                SET status = excluded.status, reason = excluded.reason, run_id = excluded.run_id, paid_at = excluded.paid_at,
                    run_month = excluded.run_month
                WHERE p.status <> 'paid' AND (p.status, coalesce(p.reason, '')) IS DISTINCT FROM (excluded.status, coalesce(excluded.reason, ''))
            RETURNING applicant_id, month, amount_yen, status, reason
            """, program, TextArray(changes.map(\.applicantID)), TextArray(changes.map(\.month.description)),
            TextArray(changes.map { String($0.yen) }), TextArray(changes.map(\.status.rawValue)), TextArray(changes.map(\.reason)),
            run.month.description, run.id).map(settledMonth)
    }

    /// Settles a scholarship's recorded, unpaid months again after an event or an officer changed
    /// it (inside that transaction): held months whose flags are gone become due for the next
    /// run, months no longer owed become void. Nothing is paid here: only a run pays. Returns how
    /// many held months were released.
    @discardableResult
    public static func reconcile(_ scholarship: Scholarship, program: String, on connection: Connection) async throws -> Int {
        let rows = try await payments(program: program, applicantID: scholarship.applicantID, on: connection)
        var changes: [SettledMonth] = []
        var released = 0
        for row in rows where row.status != .paid {
            let settled = scholarship.settlement(of: row.month, paying: false, pendingEvents: false)
            guard settled.status != row.status || settled.reason != row.reason else { continue }
            if row.status == .held && settled.status == .due { released += 1 }
            changes.append(SettledMonth(applicantID: scholarship.applicantID, month: row.month, yen: row.yen, status: settled.status, reason: settled.reason))
        }
        _ = try await writeSettlements(changes, program: program, on: connection)
        return released
    }

    /// Updates existing unpaid rows (between runs: no run id, no payment).
    private static func writeSettlements(_ changes: [SettledMonth], program: String, on connection: Connection) async throws -> Int {
        guard !changes.isEmpty else { return 0 }
        return try await connection.query("""
            UPDATE payments AS p SET status = t.s, reason = t.r
            FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t(a, m, s, r)
            WHERE p.program = $1 AND p.applicant_id = t.a AND p.month = t.m AND p.status <> 'paid' AND t.s <> 'paid'
            """, program, TextArray(changes.map(\.applicantID)), TextArray(changes.map(\.month.description)),
            TextArray(changes.map(\.status.rawValue)), TextArray(changes.map(\.reason))).affectedRows
    }

    /// The lines of a run's bank-transfer file, from its committed payments (names from the
    /// latest revision), in applicant and month order.
    public static func bankLines(runID: Int64, on connection: Connection) async throws -> [BankLine] {
        try await connection.query("""
            SELECT p.applicant_id, coalesce(a.family_name, '') AS family_name, coalesce(a.given_name, '') AS given_name, p.month, p.amount_yen
            FROM payments p
            -- Outer joins: a paid month is always a line of the file, names or not.
            LEFT JOIN applicants h ON h.program = p.program AND h.applicant_id = p.applicant_id
            LEFT JOIN applications a ON a.program = h.program AND a.applicant_id = h.applicant_id AND a.revision = h.latest_revision
            WHERE p.run_id = $1 AND p.status = 'paid'
            ORDER BY p.applicant_id, p.month
            """, runID).map {
            BankLine(applicantID: try $0.string("applicant_id"), familyName: try $0.string("family_name"), givenName: try $0.string("given_name"),
                     month: try $0.string("month"), yen: try $0.int("amount_yen"))
        }
    }

    /// Records that a run's bank-transfer file is written.
    public static func recordBankFileWritten(runID: Int64, on connection: Connection) async throws {
        try await connection.query("UPDATE payment_runs SET written_at = now() WHERE id = $1", runID)
    }

    /// Runs of `program` that committed but whose file was not recorded as written (the process
    /// that ran them stopped in between), oldest first. The path a run stored is not read: its
    /// file is written again under its own name in the folder of the run that finds it.
    public static func unwrittenRuns(program: String,
                                     on connection: Connection) async throws -> [(id: Int64, month: YearMonth)] {
        try await connection.query("""
            SELECT id, month FROM payment_runs WHERE program = $1 AND written_at IS NULL
              AND EXISTS (SELECT 1 FROM payments p WHERE p.run_id = payment_runs.id) ORDER BY id
            """, program).map { (try $0.int64("id"), try month($0.string("month"))) }
    }

    /// An officer clears a flag (`bursar flags clear`), with a reason, inside the caller's
    /// transaction. Held months still owed are released for the next run; the rest stay held
    /// (another flag) or become void (a termination recorded since). Returns how many were released.
    public static func clearFlag(program: String, applicantID: String, flag: String, reason: String, on connection: Connection) async throws -> Int {
        guard var s = try await LifecycleStore.scholarship(program: program, applicantID: applicantID, on: connection, forUpdate: true) else {
            throw BursarError.notFound("\(applicantID) has no scholarship in \(program)")
        }
        guard s.flags.contains(flag) else {
            throw BursarError.input("\(applicantID) has no open flag \(flag); open flags: \(s.flags.isEmpty ? "none" : s.flags.joined(separator: ", "))")
        }
        s.flags.removeAll { $0 == flag }
        s.history.append("flag \(flag) cleared by an officer: \(reason)")
        try await LifecycleStore.save(s, program: program, on: connection)
        try await connection.query("INSERT INTO flag_actions (program, applicant_id, flag, action, reason) VALUES ($1, $2, $3, 'cleared', $4)",
                                   program, applicantID, flag, reason)
        let released = try await reconcile(s, program: program, on: connection)
        try await AuditLog.record(on: connection, action: "flags.clear", program: program, applicantID: applicantID, reason: reason,
                                  detail: ["flag": flag, "released": "\(released)"])
        return released
    }

    private static func settledMonth(_ row: PostgresRow) throws -> SettledMonth {
        SettledMonth(applicantID: try row.string("applicant_id"), month: try month(row.string("month")), yen: try row.int("amount_yen"),
                     status: try status(row.string("status")), reason: try row.optionalString("reason"))
    }

    private static func month(_ text: String) throws -> YearMonth {
        guard let m = YearMonth(iso: text) else { throw BursarError.setup("a stored payment month \"\(text)\" is not YYYY-MM") }
        return m
    }

    private static func status(_ text: String) throws -> PaymentStatus {
        guard let s = PaymentStatus(rawValue: text) else { throw BursarError.setup("a stored payment status \"\(text)\" is unknown") }
        return s
    }
}
