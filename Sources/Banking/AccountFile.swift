import Formats
import Foundation

/// A scholar's bank account as registered (interface §3): the number is personal data, shown
/// masked and readable by the officer role only.
public struct BankAccount: Sendable, Equatable {
    public let applicantID: String
    public let bankCode: String
    public let branchCode: String
    public let accountType: AccountType
    /// 1–7 digits, as registered.
    public let accountNumber: String
    /// The holder's name converted to the Zengin set.
    public let holderName: String

    public init(
        applicantID: String, bankCode: String, branchCode: String, accountType: AccountType,
        accountNumber: String, holderName: String
    ) {
        self.applicantID = applicantID
        self.bankCode = bankCode
        self.branchCode = branchCode
        self.accountType = accountType
        self.accountNumber = accountNumber
        self.holderName = holderName
    }

    /// The number with all but its last 3 digits masked.
    public var maskedNumber: String { Self.mask(accountNumber) }

    /// `number` with all but its last 3 characters as `*`.
    public static func mask(_ number: String) -> String {
        String(repeating: "*", count: max(0, number.count - 3)) + number.suffix(3)
    }
}

/// A line of an import that was rejected: its number and why (fields named, values never shown).
public struct RejectedLine: Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}

/// What an import file holds: the lines that are valid and those rejected.
public struct ImportLines<Entry: Sendable>: Sendable {
    public var accepted: [(line: Int, entry: Entry)] = []
    public var rejected: [RejectedLine] = []
}

/// The account file of `bursar accounts import`: CSV with the header
/// `applicant_id,bank_code,branch_code,account_type,account_number,holder_kana`.
public enum AccountFile {
    public static let header = [
        "applicant_id", "bank_code", "branch_code", "account_type", "account_number", "holder_kana",
    ]

    /// Reads the file; each line is accepted or rejected on its own. Nil when the header is wrong
    /// (the whole file is refused: a file without its header is not this file).
    public static func parse(_ text: String, codes: ZenginCodes) -> ImportLines<BankAccount>? {
        let rows = CSV.rows(text)
        guard let first = rows.first, first.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) == header else {
            return nil
        }
        var lines = ImportLines<BankAccount>()
        for row in rows.dropFirst() {
            do {
                lines.accepted.append((row.line, try account(row.fields, codes: codes)))
            } catch {
                lines.rejected.append(RejectedLine(line: row.line, message: error.description))
            }
        }
        return lines
    }

    /// One line's account, or the first field that is wrong.
    static func account(_ raw: [String], codes: ZenginCodes) throws(BankFieldError) -> BankAccount {
        guard raw.count == header.count else {
            throw BankFieldError(field: "the line", "has \(raw.count) fields, expected \(header.count)")
        }
        let f = raw.map { $0.trimmingCharacters(in: .whitespaces) }
        guard !f[0].isEmpty else { throw BankFieldError(field: "applicant_id", "is empty") }
        guard Digits.exactly(4, f[1]) else { throw BankFieldError(field: "bank_code", "must be 4 digits") }
        guard Digits.exactly(3, f[2]) else { throw BankFieldError(field: "branch_code", "must be 3 digits") }
        guard codes.bank(f[1]) != nil else {
            throw BankFieldError(field: "bank_code", "\(f[1]) is not a bank of the Zengin code data of \(codes.date)")
        }
        guard codes.branch(bank: f[1], f[2]) != nil else {
            throw BankFieldError(
                field: "branch_code",
                "\(f[2]) is not a branch of bank \(f[1]) in the Zengin code data of \(codes.date)")
        }
        guard let type = AccountType(rawValue: f[3]) else {
            throw BankFieldError(field: "account_type", "must be ordinary, current or savings")
        }
        guard Digits.upTo(7, f[4]) else { throw BankFieldError(field: "account_number", "must be 1 to 7 digits") }
        let name: String
        do {
            name = try ZenginText.convert(f[5], field: "holder_kana")
        } catch {
            throw BankFieldError(field: "holder_kana", error.description)
        }
        guard !name.isEmpty else { throw BankFieldError(field: "holder_kana", "is empty") }
        return BankAccount(
            applicantID: f[0], bankCode: f[1], branchCode: f[2], accountType: type, accountNumber: f[4],
            holderName: name)
    }
}

/// One line of `bursar payments returned`: a month of a transfer the bank sent back.
public struct ReturnedLine: Sendable, Equatable {
    public let applicantID: String
    /// `YYYY-MM`.
    public let month: String
    public let reason: String
}

/// The file of `bursar payments returned`: CSV with the header `applicant_id,month,reason`.
public enum ReturnedFile {
    public static let header = ["applicant_id", "month", "reason"]

    /// Reads the file; nil when the header is wrong.
    public static func parse(_ text: String) -> ImportLines<ReturnedLine>? {
        let rows = CSV.rows(text)
        guard let first = rows.first, first.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) == header else {
            return nil
        }
        var lines = ImportLines<ReturnedLine>()
        for row in rows.dropFirst() {
            let f = row.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            func reject(_ message: String) { lines.rejected.append(RejectedLine(line: row.line, message: message)) }
            guard f.count == 3 else {
                reject("the line has \(f.count) fields, expected 3")
                continue
            }
            guard !f[0].isEmpty else {
                reject("applicant_id is empty")
                continue
            }
            let m = Array(f[1].utf8)
            guard m.count == 7, m[4] == UInt8(ascii: "-"), Digits.exactly(4, String(f[1].prefix(4))),
                Digits.exactly(2, String(f[1].suffix(2))), (1...12).contains(Int(f[1].suffix(2)) ?? 0)
            else {
                reject("month must be YYYY-MM")
                continue
            }
            guard !f[2].isEmpty else {
                reject("reason is empty: say why the bank returned the transfer")
                continue
            }
            lines.accepted.append((row.line, ReturnedLine(applicantID: f[0], month: f[1], reason: f[2])))
        }
        return lines
    }
}
