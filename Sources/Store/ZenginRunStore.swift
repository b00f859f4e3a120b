import Banking
import Foundation
import Postgres
import Screening

/// The Zengin side of a payment run (`payments run --format zengin`) and of returned transfers
/// (`payments returned`), interface §3.
public enum ZenginRunStore {
    /// The file name of a Zengin run: one per run, as for the CSV.
    public static func fileName(program: String, month: String, runID: Int64) -> String {
        "\(program)-\(month)-run\(runID)-zengin.txt"
    }

    /// Records, in the run's transaction, that run `runID` transfers by Zengin file: one transfer
    /// per scholar paid in it (the sum of the scholar's lines) to the account in force, and the
    /// run's file renamed for the format. Returns the file's path.
    /// Fails, recording nothing, when the program has no usable remitter.
    public static func record(
        runID: Int64, program: String, month: YearMonth, transferDate: CalendarDate, folder: URL,
        codes: ZenginCodes, on connection: Connection
    ) async throws -> URL {
        _ = try paying(try await ProgramStore.program(program, on: connection), codes: codes)
        let file = folder.appendingPathComponent(fileName(program: program, month: month.description, runID: runID))
        try await connection.query(
            "INSERT INTO zengin_runs (run_id, program, transfer_date) VALUES ($1, $2, $3::date)",
            runID, program, transferDate.description)
        try await connection.query(
            """
            INSERT INTO zengin_transfers (run_id, applicant_id, program, account_version, amount_yen)
            SELECT $1, p.applicant_id, p.program, a.version, sum(p.amount_yen)
            FROM payments p JOIN bank_accounts a
              ON a.program = p.program AND a.applicant_id = p.applicant_id
             AND a.replaced_at IS NULL AND a.returned_at IS NULL
            WHERE p.run_id = $1 AND p.status = 'paid'
            GROUP BY p.applicant_id, p.program, a.version
            """, runID)
        // Every scholar paid has an account (the run holds the others `awaiting_account`); a
        // line without a transfer would be money recorded as paid that no file carries.
        let missing = try await connection.query(
            """
            SELECT count(DISTINCT p.applicant_id) AS n FROM payments p
            WHERE p.run_id = $1 AND p.status = 'paid'
              AND NOT EXISTS (SELECT 1 FROM zengin_transfers t WHERE t.run_id = $1 AND t.applicant_id = p.applicant_id)
            """, runID
        ).first!.int("n")
        guard missing == 0 else {
            throw BursarError.setup(
                "\(missing) scholar(s) paid by run \(runID) have no usable account: "
                    + "nothing was recorded")
        }
        try await connection.query("UPDATE payment_runs SET bank_file = $2 WHERE id = $1", runID, file.path)
        return file
    }

    /// The program's remitter and its bank and branch in the code data, or an error saying what
    /// to fix: checked before a Zengin run records anything, and again when its file is written.
    static func paying(_ program: Program, codes: ZenginCodes) throws
        -> (Remitter, ZenginCodes.Entry, ZenginCodes.Entry)
    {
        guard let remitter = program.remitter else {
            throw BursarError.setup(
                """
                the program \(program.id) has no remitter: add a "remitter" object to its definition \
                (interface §3, docs/zengin.md) for --format zengin
                """)
        }
        guard let bank = codes.bank(remitter.bankCode),
            let branch = codes.branch(bank: remitter.bankCode, remitter.branchCode)
        else {
            throw BursarError.setup(
                """
                the remitter's bank \(remitter.bankCode) or branch \(remitter.branchCode) of \(program.id) is not in \
                the Zengin code data of \(codes.date)
                """)
        }
        return (remitter, bank, branch)
    }

    /// The Zengin file of run `runID` from its recorded transfers, or nil when the run wrote a
    /// CSV. Reads the account numbers: officer role only.
    /// The program's definition and the code data (under `home`) are read only for a Zengin run:
    /// a CSV run's file needs neither.
    public static func file(
        runID: Int64, program: String, home: URL,
        on connection: Connection
    ) async throws -> ZenginFile? {
        guard
            let run = try await connection.query(
                """
                SELECT extract(month FROM transfer_date)::int AS m, extract(day FROM transfer_date)::int AS d
                FROM zengin_runs WHERE run_id = $1
                """, runID
            ).first
        else { return nil }
        let codes = try ZenginData.codes(home: home)
        let (remitter, bank, branch) = try paying(try await ProgramStore.program(program, on: connection), codes: codes)
        let from = ZenginFile.Account(
            bankCode: bank.code, bankName: bank.name, branchCode: branch.code,
            branchName: branch.name, accountType: remitter.accountType,
            accountNumber: remitter.accountNumber)
        let header = ZenginFile.Header(
            remitterCode: remitter.code, remitterName: remitter.zenginName,
            transferMonth: try run.int("m"), transferDay: try run.int("d"), account: from)
        let transfers = try await connection.query(
            """
            SELECT t.applicant_id, t.amount_yen, a.bank_code, a.branch_code, a.account_type, a.holder_name,
                   n.account_number
            FROM zengin_transfers t
            JOIN bank_accounts a
              ON a.program = t.program AND a.applicant_id = t.applicant_id AND a.version = t.account_version
            JOIN bank_account_numbers n
              ON n.program = t.program AND n.applicant_id = t.applicant_id AND n.version = t.account_version
            WHERE t.run_id = $1 ORDER BY t.applicant_id
            """, runID
        ).map { row in
            let bankCode = try row.string("bank_code")
            let branchCode = try row.string("branch_code")
            let branchName = codes.branch(bank: bankCode, branchCode)?.name ?? ""
            let to = ZenginFile.Account(
                bankCode: bankCode, bankName: codes.bank(bankCode)?.name ?? "",
                branchCode: branchCode, branchName: branchName,
                accountType: AccountType(rawValue: try row.string("account_type")) ?? .ordinary,
                accountNumber: try row.string("account_number"))
            return ZenginFile.Transfer(
                account: to, holderName: try row.string("holder_name"),
                yen: try row.int("amount_yen"))
        }
        return ZenginFile(header: header, transfers: transfers)
    }

    /// What `payments returned` did.
    public struct ReturnResult: Sendable {
        /// Transfers recorded as returned.
        public var returned = 0
        /// Lines naming a transfer already recorded as returned.
        public var unchanged = 0
        public var rejected: [RejectedLine] = []
    }

    /// Records transfers the bank returned, in the caller's transaction: every month the
    /// transfer carried becomes `returned` (not paid; a later run pays it again), the account it
    /// went to needs a correction, and each transfer is audited with the bank's reason.
    public static func recordReturns(
        _ lines: ImportLines<ReturnedLine>, program: String,
        on connection: Connection
    ) async throws -> ReturnResult {
        try await BankAccountStore.lockPayments(program: program, on: connection)
        var result = ReturnResult()
        result.rejected = lines.rejected
        for (line, returned) in lines.accepted {
            guard
                let payment = try await connection.query(
                    """
                    SELECT p.status, p.run_id, EXISTS (SELECT 1 FROM zengin_transfers t WHERE t.run_id = p.run_id
                      AND t.applicant_id = p.applicant_id) AS zengin,
                      EXISTS (SELECT 1 FROM returned_transfers r
                              WHERE r.run_id = p.run_id AND r.applicant_id = p.applicant_id) AS done,
                      EXISTS (SELECT 1 FROM returned_transfers r
                              WHERE r.program = p.program AND r.applicant_id = p.applicant_id
                                AND p.month = ANY(r.months) AND r.reason = $4) AS repeated
                    FROM payments p WHERE p.program = $1 AND p.applicant_id = $2 AND p.month = $3
                    ORDER BY p.status = 'paid' DESC, p.run_id DESC NULLS LAST
                    LIMIT 1
                    """, program, returned.applicantID, returned.month, returned.reason
                ).first, !(try payment.isNull("run_id"))
            else {
                result.rejected.append(RejectedLine(line: line, message: notPaid(program)))
                continue
            }
            let runID = try payment.int64("run_id")
            // A month is paid at most once at a time, but may be paid again after a return: the
            // line is about its latest transfer (the paid one, else the last returned). Found by
            // trial: a second bounce was counted as already recorded and left the months paid.
            if try payment.bool("done") && payment.string("status") == "returned" {
                result.unchanged += 1
                continue
            }
            // The same line (month and reason) was recorded for an earlier transfer of this month,
            // which was paid again since: the file sent again, or the new transfer returned for
            // the same reason. The line cannot tell which; neither guess is safe with money, so
            // the officer is asked (nothing changes for this line).
            if try payment.bool("repeated") && payment.string("status") == "paid" {
                let message =
                    "month was returned before for this reason and paid again since by run \(runID): if that "
                    + "transfer came back too, give the line the bank's new reason (e.g. with its date); if this "
                    + "is the earlier file again, nothing needs doing"
                result.rejected.append(RejectedLine(line: line, message: message))
                continue
            }
            guard try payment.string("status") == "paid" else {
                result.rejected.append(RejectedLine(line: line, message: notPaid(program)))
                continue
            }
            guard try payment.bool("zengin") else {
                let message = "month was not paid by a Zengin transfer"
                result.rejected.append(RejectedLine(line: line, message: message))
                continue
            }
            let months = try await connection.query(
                """
                UPDATE payments SET status = 'returned', reason = 'returned by the bank'
                WHERE program = $1 AND applicant_id = $2 AND run_id = $3 AND status = 'paid' RETURNING month, amount_yen
                """, program, returned.applicantID, runID)
            let monthList = try months.map { try $0.string("month") }.sorted()
            let yen = try months.reduce(0) { $0 + (try $1.int("amount_yen")) }
            try await connection.query(
                """
                INSERT INTO returned_transfers (run_id, applicant_id, program, months, amount_yen, reason)
                VALUES ($1, $2, $3, $4::text[], $5, $6)
                """, runID, returned.applicantID, program, TextArray(monthList), yen, returned.reason)
            try await connection.query(
                """
                UPDATE bank_accounts a SET returned_at = now() FROM zengin_transfers t
                WHERE t.run_id = $1 AND t.applicant_id = $2
                  AND a.program = t.program AND a.applicant_id = t.applicant_id
                  AND a.version = t.account_version AND a.replaced_at IS NULL
                """, runID, returned.applicantID)
            try await AuditLog.record(
                on: connection, action: "payments.returned", program: program,
                applicantID: returned.applicantID, reason: returned.reason,
                detail: [
                    "run": "\(runID)", "months": monthList.joined(separator: ","),
                    "amount_yen": "\(yen)",
                ])
            result.returned += 1
        }
        return result
    }

    private static func notPaid(_ program: String) -> String {
        "month was not paid to applicant_id in \(program)"
    }
}
