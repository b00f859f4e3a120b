import Banking
import Foundation
import Postgres

/// Scholars' bank accounts (interface §3): registered by `bursar accounts import`, replaced by a
/// re-import (the old one kept), marked for correction when the bank returns a transfer. The
/// number is in its own table, which only the officer role reads (migration 047).
public enum BankAccountStore {
    /// Whether an applicant can be paid by transfer.
    public enum Standing: String, Sendable {
        /// No account registered.
        case none
        /// An account is registered and no transfer to it came back.
        case registered
        /// The bank returned a transfer to the account in force: a new account is needed.
        case needsCorrection = "needs_correction"

        /// Whether a run may pay the applicant.
        public var payable: Bool { self == .registered }
    }

    /// The hold reason of a month owed to a scholar who cannot be paid by transfer.
    public static let awaitingAccount = "awaiting_account"

    /// The standing of every applicant of `program` with an account (absent: ``Standing/none``).
    public static func standings(program: String, on connection: Connection) async throws -> [String: Standing] {
        var standings: [String: Standing] = [:]
        for row in try await connection.query(
            """
            SELECT applicant_id, returned_at IS NOT NULL AS returned FROM bank_accounts
            WHERE program = $1 AND replaced_at IS NULL
            """, program)
        {
            standings[try row.string("applicant_id")] = try row.bool("returned") ? .needsCorrection : .registered
        }
        return standings
    }

    /// What an import did.
    public struct ImportResult: Sendable {
        /// Accounts registered or replaced.
        public var registered = 0
        /// Lines equal to the account in force (nothing to do).
        public var unchanged = 0
        public var rejected: [RejectedLine] = []
    }

    /// Registers the accepted lines' accounts in the caller's transaction. An applicant that is
    /// not one of the program's is rejected by line; a line equal to the account in force (and
    /// not returned) changes nothing; any other replaces it, the old one kept and the change
    /// audited (bank, branch and type; the number never).
    public static func importAccounts(
        _ lines: ImportLines<BankAccount>, program: String,
        on connection: Connection
    ) async throws -> ImportResult {
        try await lockPayments(program: program, on: connection)
        var result = ImportResult()
        result.rejected = lines.rejected
        let known = Set(
            try await connection.query(
                """
                SELECT applicant_id FROM applicants WHERE program = $1 AND applicant_id = ANY($2::text[])
                """, program, TextArray(lines.accepted.map(\.entry.applicantID))
            ).map { try $0.string("applicant_id") })
        for (line, account) in lines.accepted {
            guard known.contains(account.applicantID) else {
                let message = "applicant_id is not an applicant of \(program)"
                result.rejected.append(RejectedLine(line: line, message: message))
                continue
            }
            let current = try await connection.query(
                """
                SELECT a.version, a.bank_code, a.branch_code, a.account_type, a.holder_name,
                       a.returned_at IS NOT NULL AS returned, n.account_number
                FROM bank_accounts a JOIN bank_account_numbers n USING (program, applicant_id, version)
                WHERE a.program = $1 AND a.applicant_id = $2 AND a.replaced_at IS NULL FOR UPDATE OF a
                """, program, account.applicantID
            ).first
            if let c = current, try !c.bool("returned"), try c.string("bank_code") == account.bankCode,
                try c.string("branch_code") == account.branchCode,
                try c.string("account_type") == account.accountType.rawValue,
                try c.string("holder_name") == account.holderName,
                try c.string("account_number") == account.accountNumber
            {
                result.unchanged += 1
                continue
            }
            let previous = try current?.int("version")
            try await connection.query(
                """
                UPDATE bank_accounts SET replaced_at = now()
                WHERE program = $1 AND applicant_id = $2 AND replaced_at IS NULL
                """, program, account.applicantID)
            let version = (previous ?? 0) + 1
            try await connection.query(
                """
                INSERT INTO bank_accounts
                    (program, applicant_id, version, bank_code, branch_code, account_type, holder_name)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                """, program, account.applicantID, version, account.bankCode, account.branchCode,
                account.accountType.rawValue, account.holderName)
            try await connection.query(
                """
                INSERT INTO bank_account_numbers (program, applicant_id, version, account_number)
                VALUES ($1, $2, $3, $4)
                """, program, account.applicantID, version, account.accountNumber)
            // Bank, branch and type; the number never (interface §3).
            let detail = [
                "version": "\(version)", "bank_code": account.bankCode, "branch_code": account.branchCode,
                "account_type": account.accountType.rawValue,
                "replaced_version": previous.map { "\($0)" } ?? "none",
            ]
            let action = previous == nil ? "accounts.register" : "accounts.replace"
            try await AuditLog.record(
                on: connection, action: action, program: program,
                applicantID: account.applicantID, detail: detail)
            result.registered += 1
        }
        return result
    }

    /// An account as `bursar accounts show` prints it.
    public struct Registered: Sendable {
        public let account: BankAccount
        public let version: Int
        public let registeredAt: Date?
        public let standing: Standing
    }

    /// The account in force and the ones it replaced, newest first (reads the number: officer
    /// role only).
    public static func accounts(
        program: String, applicantID: String,
        on connection: Connection
    ) async throws -> [Registered] {
        try await connection.query(
            """
            SELECT a.version, a.bank_code, a.branch_code, a.account_type, a.holder_name, a.registered_at,
                   a.returned_at IS NOT NULL AS returned, a.replaced_at IS NOT NULL AS replaced, n.account_number
            FROM bank_accounts a JOIN bank_account_numbers n USING (program, applicant_id, version)
            WHERE a.program = $1 AND a.applicant_id = $2 ORDER BY a.version DESC
            """, program, applicantID
        ).map { row in
            let type = AccountType(rawValue: try row.string("account_type")) ?? .ordinary
            let account = BankAccount(
                applicantID: applicantID, bankCode: try row.string("bank_code"),
                branchCode: try row.string("branch_code"), accountType: type,
                accountNumber: try row.string("account_number"),
                holderName: try row.string("holder_name"))
            let standing: Standing = try row.bool("returned") ? .needsCorrection : .registered
            return Registered(
                account: account, version: try row.int("version"),
                registeredAt: try row.timestamp("registered_at"),
                standing: try row.bool("replaced") ? .none : standing)
        }
    }

    /// Takes the payment run's lock of `program` until the caller's transaction ends: an import
    /// or a return waits for a run in progress and a run for them, so a run pays on one state of
    /// the accounts and the file names the account the run decided on.
    static func lockPayments(program: String, on connection: Connection) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext($1))", "payments:\(program)")
    }
}
