import Foundation
import Lifecycle
import Postgres
import Screening

/// Stipend payments. `payments` is the ledger of months paid (append-only: a paid row is never
/// updated or deleted); whether a month is held, due, voided, suspended or overpaid is derived
/// when read, from the fold of the scholarship's events, the ledger and the flags and holds
/// open then (``PaymentPosition``).
public enum PaymentStore {
    /// One month in a run's report.
    public struct SettledMonth: Sendable, Equatable {
        public let applicantID: String
        public let month: YearMonth
        public let yen: Int
        public let status: LineStatus
        public let reason: String?
    }

    /// What a run recorded: its id, the months it paid, and what stays held, due or voided.
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

    /// The months paid of `program`'s scholarships (one applicant when given), by applicant.
    public static func ledger(program: String, applicantID: String? = nil, on connection: Connection) async throws
        -> [String: [PaidMonth]]
    {
        var paid: [String: [PaidMonth]] = [:]
        for row in try await connection.query(
            """
            SELECT applicant_id, month, amount_yen, run_id FROM payments
            WHERE program = $1 AND ($2::text IS NULL OR applicant_id = $2) AND status = 'paid' ORDER BY
            applicant_id, month
            """, program, applicantID)
        {
            paid[try row.string("applicant_id"), default: []].append(
                PaidMonth(
                    month: try month(row.string("month")), yen: try row.int("amount_yen"),
                    runID: try row.isNull("run_id") ? nil : try row.int64("run_id")))
        }
        return paid
    }

    /// Months whose transfer the bank returned and that no later run paid again, by applicant
    /// (interface §3, `bursar payments returned`).
    static func returnedMonths(program: String, applicantID: String?, on connection: Connection) async throws
        -> [String: Set<YearMonth>]
    {
        var months: [String: Set<YearMonth>] = [:]
        for row in try await connection.query(
            """
            SELECT r.applicant_id, r.month FROM payments r
            WHERE r.program = $1 AND ($2::text IS NULL OR r.applicant_id = $2) AND r.status = 'returned'
              AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.program = r.program
                              AND p.applicant_id = r.applicant_id AND p.month = r.month AND p.status = 'paid')
            """, program, applicantID)
        {
            months[try row.string("applicant_id"), default: []].insert(try month(row.string("month")))
        }
        return months
    }

    /// The latest month a run of `program` reached (nil before the first run).
    public static func reachedThrough(program: String, on connection: Connection) async throws -> YearMonth? {
        try await connection.query("SELECT max(month) AS m FROM payment_runs WHERE program = $1", program).first?
            .optionalString("m").flatMap(YearMonth.init(iso:))
    }

    /// What each scholarship of `program` (one applicant when given) owes compared with what was
    /// paid, as things stand on `connection`. `reachedThrough` overrides how far runs reached
    /// (a run in progress reaches its own month).
    public static func positions(
        program: String, applicantID: String? = nil, reachedThrough: YearMonth? = nil, forUpdate: Bool = false,
        on connection: Connection
    ) async throws -> [PaymentPosition] {
        let scholarships = try await LifecycleStore.folded(
            program: program, applicantID: applicantID, forUpdate: forUpdate, on: connection)
        let ledger = try await ledger(program: program, applicantID: applicantID, on: connection)
        let stored = try await Self.reachedThrough(program: program, on: connection)
        let reached = [stored, reachedThrough].compactMap { $0 }.max()
        let pending = Set(
            try await connection.query(
                """
                SELECT DISTINCT applicant_id FROM lifecycle_events WHERE program = $1 AND ($2::text IS NULL OR
                applicant_id = $2) AND status = 'pending'
                """, program, applicantID
            ).map { try $0.string("applicant_id") })
        let accounts = try await BankAccountStore.standings(program: program, on: connection)
        let returned = try await returnedMonths(program: program, applicantID: applicantID, on: connection)
        return scholarships.map {
            PaymentPosition(
                scholarship: $0, paid: ledger[$0.applicantID] ?? [], reachedThrough: reached,
                pendingEvents: pending.contains($0.applicantID),
                awaitingAccount: !(accounts[$0.applicantID] ?? .none).payable,
                returned: returned[$0.applicantID] ?? [])
        }
    }

    /// Runs the payments of `month` on `connection`, inside the caller's transaction (the caller
    /// holds ``PaymentRunner``'s per-program lock).
    ///
    /// Interface §3: "A payment run for month M pays each month up to M that is owed by the events
    /// as they stand at the run and not yet paid, for scholarships without open flags or holds".
    /// The paid months are inserted into the ledger (a month already there is skipped by the
    /// primary key, so nothing is paid twice even by two runs at once); nothing else is written.
    ///
    /// The run records where its bank-transfer file goes (`folder`, under the run's own name)
    /// before the file exists, so a run whose process stops after the commit is known, file and all.
    public static func run(program: String, month: YearMonth, folder: URL, on connection: Connection) async throws
        -> RunRecord
    {
        let runID = try await connection.query(
            """
            INSERT INTO payment_runs (program, month, paid, held, total_yen) VALUES ($1, $2, 0, 0, 0) RETURNING id
            """, program, month.description
        ).first!.int64("id")
        let bankFile = folder.appendingPathComponent(
            BankTransferFile.name(program: program, month: month.description, runID: runID)
        ).path
        try await connection.query("UPDATE payment_runs SET bank_file = $2 WHERE id = $1", runID, bankFile)
        // The scholarships' row locks make a concurrent event, flag or officer wait for the run
        // (and the run for them): each scholarship is settled on one committed state.
        let positions = try await positions(program: program, reachedThrough: month, forUpdate: true, on: connection)
        let payable = positions.flatMap { p in
            p.payable(through: month).map { (p.scholarship.applicantID, $0, p.scholarship.monthlyYen) }
        }
        let paid = try await connection.query(
            """
            INSERT INTO payments (program, applicant_id, month, amount_yen, status, run_month, run_id, paid_at)
            SELECT $1, a, m, y, 'paid', $5, $6, now() FROM unnest($2::text[], $3::text[], $4::int[]) AS t(a, m, y)
            ON CONFLICT (program, applicant_id, month) WHERE status = 'paid' DO NOTHING
            RETURNING applicant_id, month, amount_yen
            """, program, TextArray(payable.map(\.0)), TextArray(payable.map { $0.1.description }),
            TextArray(payable.map { String($0.2) }), month.description, runID
        ).map {
            SettledMonth(
                applicantID: try $0.string("applicant_id"), month: try Self.month($0.string("month")),
                yen: try $0.int("amount_yen"), status: .paid, reason: nil)
        }.sorted { ($0.applicantID, $0.month) < ($1.applicantID, $1.month) }
        let paidNow = Set(paid.map { "\($0.applicantID) \($0.month)" })
        var held: [SettledMonth] = []
        var due: [SettledMonth] = []
        var voided: [SettledMonth] = []
        for p in positions {
            for line in p.lines
            where line.month <= month && !paidNow.contains("\(p.scholarship.applicantID) \(line.month)") {
                let settled = SettledMonth(
                    applicantID: p.scholarship.applicantID, month: line.month, yen: line.yen,
                    status: line.status, reason: line.reason)
                switch line.status {
                case .held: held.append(settled)
                case .returned where !p.holdReasons.isEmpty:
                    // A returned month the run reaches while its account still needs correction.
                    held.append(
                        SettledMonth(
                            applicantID: settled.applicantID, month: line.month, yen: line.yen, status: .held,
                            reason: p.holdReasons.joined(separator: ", ")))
                case .due: due.append(settled)
                case .voided: voided.append(settled)
                default: break
                }
            }
        }
        try await connection.query(
            """
            UPDATE payment_runs SET paid = $2, held = $3, due = $4, voided = $5, total_yen = $6 WHERE id = $1
            """, runID, paid.count, held.count, due.count, voided.count, paid.reduce(0) { $0 + $1.yen })
        try await AuditLog.record(
            on: connection, action: "payments.run", program: program,
            detail: [
                "month": month.description, "run": "\(runID)", "file": URL(fileURLWithPath: bankFile).lastPathComponent,
                "paid": "\(paid.count)", "held": "\(held.count)",
                "due": "\(due.count)", "voided": "\(voided.count)",
            ])
        return RunRecord(
            id: runID, program: program, month: month, bankFile: URL(fileURLWithPath: bankFile),
            paid: paid, held: held, due: due, voided: voided)
    }

    /// One line of a bank-transfer file, from committed rows.
    public struct BankLine: Sendable, Equatable {
        public let applicantID: String
        public let familyName: String
        public let givenName: String
        public let month: String
        public let yen: Int
    }

    /// The lines of a run's bank-transfer file, from its committed payments (names from the
    /// latest revision), in applicant and month order.
    public static func bankLines(runID: Int64, on connection: Connection) async throws -> [BankLine] {
        try await connection.query(
            """
            SELECT p.applicant_id, coalesce(a.family_name, '') AS family_name, coalesce(a.given_name, '') AS given_name,
                p.month, p.amount_yen
            FROM payments p
            -- Outer joins: a paid month is always a line of the file, names or not.
            LEFT JOIN applicants h ON h.program = p.program AND h.applicant_id = p.applicant_id
            LEFT JOIN applications a ON a.program = h.program AND a.applicant_id = h.applicant_id
                AND a.revision = h.latest_revision
            WHERE p.run_id = $1 AND p.status = 'paid'
            ORDER BY p.applicant_id, p.month
            """, runID
        ).map {
            BankLine(
                applicantID: try $0.string("applicant_id"), familyName: try $0.string("family_name"),
                givenName: try $0.string("given_name"),
                month: try $0.string("month"), yen: try $0.int("amount_yen"))
        }
    }

    /// Records that a run's bank-transfer file is written.
    public static func recordBankFileWritten(runID: Int64, on connection: Connection) async throws {
        try await connection.query("UPDATE payment_runs SET written_at = now() WHERE id = $1", runID)
    }

    /// Runs of `program` that committed but whose file was not recorded as written (the process
    /// that ran them stopped in between), oldest first, with the file each names.
    public static func unwrittenRuns(program: String, on connection: Connection) async throws -> [(
        id: Int64, month: YearMonth, bankFile: URL
    )] {
        try await connection.query(
            """
            SELECT id, month,
                bank_file FROM payment_runs WHERE program = $1 AND written_at IS NULL AND bank_file IS NOT NULL
              AND EXISTS (SELECT 1 FROM payments p WHERE p.run_id = payment_runs.id) ORDER BY id
            """, program
        ).map { (try $0.int64("id"), try month($0.string("month")), URL(fileURLWithPath: try $0.string("bank_file"))) }
    }

    /// An officer clears a flag (`bursar flags clear`), with a reason, inside the caller's
    /// transaction: the clear acts now. Held months still owed are paid by the next run when no
    /// other flag or hold is open. Returns how many held months were released.
    public static func clearFlag(
        program: String, applicantID: String, flag: String, reason: String, on connection: Connection
    ) async throws -> Int {
        let before = try await position(program: program, applicantID: applicantID, on: connection)
        guard before.scholarship.flags.contains(flag) else {
            let open = before.scholarship.flags
            throw BursarError.input(
                "\(applicantID) has no open flag \(flag); open flags: "
                    + "\(open.isEmpty ? "none" : open.joined(separator: ", "))"
            )
        }
        // The decision in force at the clear: the next re-decision is compared with it (interface §3).
        let decisionID = try await LifecycleStore.admissionBasis(
            program: program, applicantID: applicantID, on: connection)?.decisionID
        try await LifecycleStore.recordFlag(
            program: program, applicantID: applicantID, flag: flag, action: "cleared", reason: reason,
            decisionID: flag == Scholarship.eligibilityChangedFlag ? decisionID : nil, on: connection)
        let released = try await releasedCount(before: before, program: program, on: connection)
        try await AuditLog.record(
            on: connection, action: "flags.clear", program: program, applicantID: applicantID, reason: reason,
            detail: ["flag": flag, "released": "\(released)"])
        return released
    }

    /// `bursar payments hold|release`: an officer's hold (`officer.hold`) placed or lifted now,
    /// with a reason. Throws ``BursarError/input(_:)`` when it does not apply (already held, not
    /// held). Returns how many held months a release releases.
    public static func officerHold(
        program: String, applicantID: String, hold: Bool, reason: String,
        on connection: Connection
    ) async throws -> Int {
        let before = try await position(program: program, applicantID: applicantID, on: connection)
        let open = before.scholarship.flags.contains(Scholarship.officerHoldFlag)
        guard open != hold else {
            throw BursarError.input(
                hold ? "\(applicantID) is already held by an officer" : "\(applicantID) has no officer hold to release")
        }
        try await LifecycleStore.recordFlag(
            program: program, applicantID: applicantID, flag: Scholarship.officerHoldFlag,
            action: hold ? "raised" : "cleared", reason: reason, on: connection)
        let released = hold ? 0 : try await releasedCount(before: before, program: program, on: connection)
        try await AuditLog.record(
            on: connection, action: hold ? "payments.hold" : "payments.release", program: program,
            applicantID: applicantID, reason: reason, detail: ["released": "\(released)"])
        return released
    }

    /// One scholarship's position, its row locked (the officer's action and a run do not interleave).
    public static func position(program: String, applicantID: String, on connection: Connection) async throws
        -> PaymentPosition
    {
        guard
            let p = try await positions(program: program, applicantID: applicantID, forUpdate: true, on: connection)
                .first
        else {
            throw BursarError.notFound("\(applicantID) has no scholarship in \(program)")
        }
        return p
    }

    /// How many months held before are no longer held now.
    private static func releasedCount(before: PaymentPosition, program: String, on connection: Connection) async throws
        -> Int
    {
        let after = try await position(program: program, applicantID: before.scholarship.applicantID, on: connection)
        let heldAfter = Set(after.lines.filter { $0.status == .held }.map(\.month))
        return before.lines.filter { $0.status == .held && !heldAfter.contains($0.month) }.count
    }

    /// A month's payments for `bursar payments list`: what the runs of `month` paid, what stays
    /// held or due up to it now, and the bank files its runs wrote.
    public struct MonthReport: Sendable {
        public let paid: [SettledMonth]
        public let held: [SettledMonth]
        public let due: [SettledMonth]
        public let bankFiles: [String]
    }

    /// The report of `month` for `program`, as things stand now.
    public static func monthReport(program: String, month: YearMonth, on connection: Connection) async throws
        -> MonthReport
    {
        let paid = try await connection.query(
            """
            SELECT applicant_id, month, amount_yen FROM payments
            WHERE program = $1 AND run_month = $2 AND status = 'paid' ORDER BY applicant_id, month
            """, program, month.description
        ).map {
            SettledMonth(
                applicantID: try $0.string("applicant_id"), month: try Self.month($0.string("month")),
                yen: try $0.int("amount_yen"), status: .paid, reason: nil)
        }
        // Only runs that paid something have a file (a run with nothing new to pay writes none).
        let files = try await ConsoleFacts.bankFiles(program: program, month: month.description, on: connection)
            .map(\.file)
        var held: [SettledMonth] = []
        var due: [SettledMonth] = []
        for p in try await positions(program: program, on: connection) {
            // Held and due months are months a run reached: no later month is explained.
            guard let reached = p.reachedThrough else { continue }
            for line in p.lines(through: min(month, reached)) where line.status == .held || line.status == .due {
                let settled = SettledMonth(
                    applicantID: p.scholarship.applicantID, month: line.month, yen: line.yen, status: line.status,
                    reason: line.reason)
                if line.status == .held { held.append(settled) } else { due.append(settled) }
            }
        }
        return MonthReport(paid: paid, held: held, due: due, bankFiles: files)
    }

    /// Months paid and no longer owed (`bursar payments overpaid`), for recovery.
    public static func overpaid(program: String, on connection: Connection) async throws -> [SettledMonth] {
        try await positions(program: program, on: connection).flatMap { p in
            p.lines.filter { $0.status == .overpaid }.map {
                SettledMonth(
                    applicantID: p.scholarship.applicantID, month: $0.month, yen: $0.yen, status: .overpaid,
                    reason: $0.reason)
            }
        }
    }

    private static func month(_ text: String) throws -> YearMonth {
        guard let m = YearMonth(iso: text) else {
            throw BursarError.setup("a stored payment month \"\(text)\" is not YYYY-MM")
        }
        return m
    }
}
