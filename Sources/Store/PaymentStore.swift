import Foundation
import Lifecycle
import Postgres
import Screening

/// Stipend payments: recorded per scholarship and month (never twice), paid or held.
public struct PaymentStore: Sendable {
    public let database: Database
    public init(database: Database) { self.database = database }

    /// One recorded payment.
    public struct Payment: Sendable {
        public let month: String
        public let yen: Int
        public let status: String
        public let bankFile: String?
    }

    public func payments(program: String, applicantID: String) async throws -> [Payment] {
        try await database.pool.withConnection { connection in
            try await connection.query("""
                SELECT month, amount_yen, status, bank_file FROM payments WHERE program = $1 AND applicant_id = $2 ORDER BY month
                """, program, applicantID).map {
                Payment(month: try $0.string("month"), yen: try $0.int("amount_yen"), status: try $0.string("status"), bankFile: try $0.optionalString("bank_file"))
            }
        }
    }

    /// Summary of one run.
    public struct RunSummary: Sendable {
        public let paid: Int
        public let held: Int
        public let totalYen: Int
        public let bankFile: String?
    }

    /// Records the month's payments (on `connection`, inside the run job's transaction):
    /// each scholarship whose entitlement covers `month` and that has no payment for it yet is
    /// paid, or held while it has an open flag. Payments released since the last run (a flag
    /// cleared) go into this run's bank file too. Returns the rows of the bank file.
    public static func run(program: String, month: YearMonth, bankFile: String, on connection: Connection) async throws -> (RunSummary, [[String]]) {
        let rows = try await connection.query("SELECT state::text AS state FROM scholarships WHERE program = $1 FOR UPDATE", program)
        var paid = 0, held = 0, total = 0
        for row in rows {
            let s = try LifecycleStore.decodeState(try row.string("state"))
            guard let last = s.lastPaymentMonth, s.firstPaymentMonth <= month, month <= last else { continue }
            let status = s.flags.isEmpty ? "paid" : "held"
            let inserted = try await connection.query("""
                INSERT INTO payments (program, applicant_id, month, amount_yen, status, run_month, paid_at)
                VALUES ($1, $2, $3, $4, $5, $3, CASE WHEN $5 = 'paid' THEN now() END)
                ON CONFLICT (program, applicant_id, month) DO NOTHING
                """, program, s.applicantID, month.description, s.monthlyYen, status).affectedRows
            guard inserted == 1 else { continue }
            if status == "paid" { paid += 1; total += s.monthlyYen } else { held += 1 }
        }
        let due = try await connection.query("""
            UPDATE payments p SET bank_file = $2
            FROM applications a, applicants h
            WHERE p.program = $1 AND p.status = 'paid' AND p.bank_file IS NULL
              AND h.program = p.program AND h.applicant_id = p.applicant_id
              AND a.program = h.program AND a.applicant_id = h.applicant_id AND a.revision = h.latest_revision
            RETURNING p.applicant_id, a.family_name, a.given_name, p.month, p.amount_yen
            """, program, bankFile)
        var lines = try due.map { [try $0.string("applicant_id"), try $0.string("family_name"), try $0.string("given_name"),
                                  try $0.string("month"), String(try $0.int("amount_yen"))] }
        lines.sort { ($0[0], $0[3]) < ($1[0], $1[3]) }
        let bankTotal = lines.reduce(0) { $0 + (Int($1[4]) ?? 0) }
        try await connection.query("""
            INSERT INTO payment_runs (program, month, paid, held, total_yen, bank_file) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (program, month) DO UPDATE SET paid = payment_runs.paid + excluded.paid, held = payment_runs.held + excluded.held,
                total_yen = payment_runs.total_yen + excluded.total_yen, bank_file = coalesce(excluded.bank_file, payment_runs.bank_file), ran_at = now()
            """, program, month.description, paid, held, bankTotal, lines.isEmpty ? nil : bankFile)
        return (RunSummary(paid: paid, held: held, totalYen: bankTotal, bankFile: lines.isEmpty ? nil : bankFile), lines)
    }

    /// The recorded run of a month.
    public func runSummary(program: String, month: String) async throws -> RunSummary? {
        try await database.pool.withConnection { connection in
            try await connection.query("SELECT paid, held, total_yen, bank_file FROM payment_runs WHERE program = $1 AND month = $2", program, month).first.map {
                RunSummary(paid: try $0.int("paid"), held: try $0.int("held"), totalYen: try $0.int("total_yen"), bankFile: try $0.optionalString("bank_file"))
            }
        }
    }

    /// Releases a scholarship's held payments once it has no open flag: they become paid and
    /// go into the next run's bank file.
    public static func releaseHeld(program: String, applicantID: String, on connection: Connection) async throws -> Int {
        try await connection.query("""
            UPDATE payments SET status = 'paid', paid_at = now() WHERE program = $1 AND applicant_id = $2 AND status = 'held'
            """, program, applicantID).affectedRows
    }

    /// An officer clears a flag (`bursar flags clear`), with a reason; held payments are released.
    public func clearFlag(program: String, applicantID: String, flag: String, reason: String) async throws -> Int {
        try await database.pool.withTransaction { connection in
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
            let released = s.flags.isEmpty ? try await Self.releaseHeld(program: program, applicantID: applicantID, on: connection) : 0
            try await AuditLog.record(on: connection, action: "flags.clear", program: program, applicantID: applicantID, reason: reason,
                                      detail: ["flag": flag, "released": "\(released)"])
            return released
        }
    }
}
