import ArgumentParser
import Banking
import Foundation
import Store

/// `bursar accounts import FILE` and `bursar accounts show ID` (interface §3, issue 25).
struct Accounts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Scholars' bank accounts: register them and look them up (numbers masked).",
        discussion: "Example: bursar accounts import accounts.csv --program tgp-2026; bursar accounts show S-01-base",
        subcommands: [Import.self, Show.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register accounts from a CSV; a re-imported applicant's account is replaced (the old one kept).",
            discussion: """
                The header is applicant_id,bank_code,branch_code,account_type,account_number,holder_kana. Each line is \
                applied or rejected on its own (the field is named, the value never shown). Exit 0 all applied, \
                3 some lines rejected, 2 the file unreadable.
                Example: bursar accounts import accounts.csv --program tgp-2026
                """)
        @Argument(help: "The CSV file.") var file: String
        @OptionGroup var options: ProgramOption

        func run() async throws {
            let text = try CLI.readText(file)
            try await Runner.withDatabase { database in
                let codes = try ZenginData.codes(home: database.home)
                guard let lines = AccountFile.parse(text, codes: codes) else {
                    let header = AccountFile.header.joined(separator: ",")
                    CLI.printError("\(file): the first line must be the header \(header)")
                    throw ExitCode(2)
                }
                let program = try await Runner.existingProgram(options.program, database: database)
                let result = try await database.pool.withTransaction {
                    try await BankAccountStore.importAccounts(lines, program: program, on: $0)
                }
                printLine(
                    "accounts \(program): \(result.registered) registered, \(result.unchanged) unchanged, "
                        + "\(result.rejected.count) rejected (Zengin code data of \(codes.date))")
                try ImportOutcome.finish(file: file, rejected: result.rejected)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "An applicant's account (the number masked but its last 3 digits) and the ones it replaced.",
            discussion: "Example: bursar accounts show S-01-base --json")
        @Argument(help: "The applicant id.") var applicantID: String
        @OptionGroup var options: ProgramOption
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            try await Runner.withDatabase { database in
                let program = try await Runner.existingProgram(options.program, database: database)
                let accounts = try await database.pool.withConnection {
                    try await BankAccountStore.accounts(program: program, applicantID: applicantID, on: $0)
                }
                guard let current = accounts.first else {
                    throw BursarError.notFound(
                        "\(applicantID) has no bank account in \(program): its owed months are "
                            + "held awaiting_account until `bursar accounts import` registers one")
                }
                if json {
                    printLine(
                        try LifecycleOutput.json(
                            AccountOutput(
                                program: program, applicantID: applicantID,
                                accounts: accounts)))
                    return
                }
                for (index, registered) in accounts.enumerated() {
                    let a = registered.account
                    let state =
                        index == 0
                        ? (current.standing == .needsCorrection
                            ? "in force, needs a correction (a transfer was returned)" : "in force") : "replaced"
                    printLine(
                        "\(applicantID) v\(registered.version): bank \(a.bankCode) branch \(a.branchCode) "
                            + "\(a.accountType.rawValue) \(a.maskedNumber) \(a.holderName) (\(state))")
                }
            }
        }
    }
}

/// `accounts show --json`: the number masked, never whole.
struct AccountOutput: Encodable {
    struct Account: Encodable {
        let version: Int
        let bankCode: String
        let branchCode: String
        let accountType: String
        let accountNumber: String
        let holderKana: String
        let standing: String
        enum CodingKeys: String, CodingKey {
            case version
            case bankCode = "bank_code"
            case branchCode = "branch_code"
            case accountType = "account_type"
            case accountNumber = "account_number_masked"
            case holderKana = "holder_kana"
            case standing
        }
    }

    let program: String
    let applicantID: String
    let accounts: [Account]
    enum CodingKeys: String, CodingKey {
        case program
        case applicantID = "applicant_id"
        case accounts
    }

    init(program: String, applicantID: String, accounts: [BankAccountStore.Registered]) {
        self.program = program
        self.applicantID = applicantID
        self.accounts = accounts.map { r in
            Account(
                version: r.version, bankCode: r.account.bankCode, branchCode: r.account.branchCode,
                accountType: r.account.accountType.rawValue, accountNumber: r.account.maskedNumber,
                holderKana: r.account.holderName, standing: r.standing == .none ? "replaced" : r.standing.rawValue)
        }
    }
}

/// How an import ends (interface §3): 0 all applied, 3 some lines rejected (each printed).
enum ImportOutcome {
    static func finish(file: String, rejected: [RejectedLine]) throws {
        guard !rejected.isEmpty else { return }
        CLI.printError(
            "\(file): \(rejected.count) line\(rejected.count == 1 ? "" : "s") rejected:\n"
                + rejected.sorted { $0.line < $1.line }.map(\.description).joined(separator: "\n"))
        throw ExitCode(3)
    }
}
