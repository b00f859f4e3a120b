/// The remitter of a program's transfers (依頼人), the `remitter` object of a program definition
/// (interface §3): the office's customer code at its bank (委託者コード) and the account the
/// stipends leave from. Checked when the definition is read, so a bad one stops the load, not
/// the payment run.
public struct Remitter: Sendable, Codable, Equatable {
    /// 委託者コード, 10 digits.
    public let code: String
    /// The remitter's name as its bank has it (any form ``ZenginText`` converts).
    public let nameKana: String
    public let bankCode: String
    public let branchCode: String
    public let accountType: AccountType
    public let accountNumber: String

    enum CodingKeys: String, CodingKey {
        case code, nameKana, bankCode, branchCode, accountType, accountNumber
    }

    /// A remitter whose fields are checked; the error names the field that is wrong.
    public init(
        code: String, nameKana: String, bankCode: String, branchCode: String, accountType: AccountType,
        accountNumber: String
    ) throws(BankFieldError) {
        guard Digits.exactly(10, code) else { throw BankFieldError(field: "remitter.code", "must be 10 digits") }
        do {
            _ = try ZenginText.convert(nameKana, field: "remitter.name_kana")
        } catch {
            throw BankFieldError(field: "remitter.name_kana", error.description)
        }
        guard !nameKana.trimmingSpaces.isEmpty else { throw BankFieldError(field: "remitter.name_kana", "is empty") }
        guard Digits.exactly(4, bankCode) else { throw BankFieldError(field: "remitter.bank_code", "must be 4 digits") }
        guard Digits.exactly(3, branchCode) else {
            throw BankFieldError(field: "remitter.branch_code", "must be 3 digits")
        }
        guard Digits.upTo(7, accountNumber) else {
            throw BankFieldError(field: "remitter.account_number", "must be 1 to 7 digits")
        }
        self.code = code
        self.nameKana = nameKana
        self.bankCode = bankCode
        self.branchCode = branchCode
        self.accountType = accountType
        self.accountNumber = accountNumber
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(
                code: try c.decode(String.self, forKey: .code),
                nameKana: try c.decode(String.self, forKey: .nameKana),
                bankCode: try c.decode(String.self, forKey: .bankCode),
                branchCode: try c.decode(String.self, forKey: .branchCode),
                accountType: try c.decode(AccountType.self, forKey: .accountType),
                accountNumber: try c.decode(String.self, forKey: .accountNumber))
        } catch let error as BankFieldError {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: error.description))
        }
    }

    /// The name in the Zengin set (checked convertible at init).
    public var zenginName: String {
        (try? ZenginText.convert(nameKana, field: "remitter.name_kana")) ?? ""
    }
}

/// A field of an account or of the remitter that is not valid: the field and why, never its value.
public struct BankFieldError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let why: String

    public init(field: String, _ why: String) {
        self.field = field
        self.why = why
    }

    public var description: String { why.hasPrefix(field) ? why : "\(field) \(why)" }
}
