/// A Zengin (全銀協) total-transfer file (総合振込, 種別コード 21), interface §3 and `docs/zengin.md`:
/// one header record (1), one data record (2) per transfer, a trailer (8) with the count and the
/// total, an end record (9). Every record is 120 bytes of JIS X 0201 followed by CRLF; numbers
/// are right-aligned and zero-filled, text left-aligned and space-filled.
public struct ZenginFile: Sendable, Equatable {
    /// An account as both records name it: bank and branch (codes and kana names), type, number.
    public struct Account: Sendable, Equatable {
        public let bankCode: String
        public let bankName: String
        public let branchCode: String
        public let branchName: String
        public let accountType: AccountType
        public let accountNumber: String

        /// An account; names are cut at their 15 characters, the number zero-filled to 7 digits.
        public init(
            bankCode: String, bankName: String, branchCode: String, branchName: String,
            accountType: AccountType, accountNumber: String
        ) {
            self.bankCode = bankCode
            self.bankName = Field.cut(bankName, 15)
            self.branchCode = branchCode
            self.branchName = Field.cut(branchName, 15)
            self.accountType = accountType
            self.accountNumber = Field.zeroFilled(accountNumber, 7)
        }
    }

    /// The header's fields: who pays, when, and from which account.
    public struct Header: Sendable, Equatable {
        public let remitterCode: String
        public let remitterName: String
        /// 振込指定日, "MMDD".
        public let transferDate: String
        public let account: Account

        /// A header; the name is cut at its 40 characters.
        public init(
            remitterCode: String, remitterName: String, transferMonth: Int, transferDay: Int,
            account: Account
        ) {
            self.remitterCode = remitterCode
            self.remitterName = Field.cut(remitterName, 40)
            self.transferDate = Field.zeros(transferMonth, 2) + Field.zeros(transferDay, 2)
            self.account = account
        }
    }

    /// One transfer: the sum of a scholar's payment lines in the run.
    public struct Transfer: Sendable, Equatable {
        public let account: Account
        public let holderName: String
        public let yen: Int

        /// A transfer; the holder's name is cut at its 30 characters.
        public init(account: Account, holderName: String, yen: Int) {
            self.account = account
            self.holderName = Field.cut(holderName, 30)
            self.yen = yen
        }
    }

    /// Why a file cannot be written or read.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public static let recordLength = 120
    static let crlf: [UInt8] = [0x0D, 0x0A]

    public let header: Header
    public let transfers: [Transfer]

    public init(header: Header, transfers: [Transfer]) {
        self.header = header
        self.transfers = transfers
    }

    /// The trailer's count and total: the data records'.
    public var total: Int { transfers.reduce(0) { $0 + $1.yen } }

    /// The file's bytes. Fails when a code is not its digits, an amount does not fit its field
    /// or a text has a character outside JIS X 0201 (the message names the record and field).
    public func encoded() throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((transfers.count + 3) * (Self.recordLength + 2))
        var record = Record(kind: "1", name: "header")
        try record.digits("21", 2, "種別コード")
        try record.digits("0", 1, "コード区分")
        try record.digits(header.remitterCode, 10, "委託者コード")
        try record.text(header.remitterName, 40, "依頼人名")
        try record.digits(header.transferDate, 4, "振込指定日")
        try record.account(header.account, prefix: "仕向", clearingHouse: false)
        out += try record.finished()
        for (index, t) in transfers.enumerated() {
            var record = Record(kind: "2", name: "data record \(index + 1)")
            try record.account(t.account, prefix: "被仕向", clearingHouse: true)
            try record.text(t.holderName, 30, "受取人名")
            try record.number(t.yen, 10, "振込金額")
            try record.digits("0", 1, "新規コード")
            try record.number(0, 10, "顧客コード1")
            try record.number(0, 10, "顧客コード2")
            try record.text(" ", 1, "振込指定区分")
            try record.text(" ", 1, "識別表示")
            out += try record.finished()
        }
        var trailer = Record(kind: "8", name: "trailer")
        try trailer.number(transfers.count, 6, "合計件数")
        try trailer.number(total, 12, "合計金額")
        out += try trailer.finished()
        out += try Record(kind: "9", name: "end record").finished()
        return out
    }

    /// What ``decode(_:)`` read: the file and the trailer's own count and total.
    public struct Decoded: Sendable, Equatable {
        public let file: ZenginFile
        public let trailerCount: Int
        public let trailerTotal: Int
    }

    /// Reads a file written by ``encoded()`` (for tests and checks): every record 120 bytes and
    /// CRLF, in the order header, data…, trailer, end.
    public static func decode(_ bytes: [UInt8]) throws(Failure) -> Decoded {
        let size = recordLength + 2
        guard bytes.count % size == 0, bytes.count >= 3 * size else {
            throw Failure("the file is \(bytes.count) bytes: not whole records of \(recordLength) bytes and CRLF")
        }
        var records: [Reader] = []
        for start in stride(from: 0, to: bytes.count, by: size) {
            guard Array(bytes[(start + recordLength)..<(start + size)]) == crlf else {
                throw Failure("record \(start / size + 1) does not end in CRLF at byte \(recordLength)")
            }
            records.append(Reader(bytes: Array(bytes[start..<(start + recordLength)]), number: start / size + 1))
        }
        var h = records.removeFirst()
        guard try h.kind() == "1", try h.string(2) == "21", try h.string(1) == "0" else {
            throw Failure("record 1 is not a header of 種別コード 21")
        }
        let code = try h.string(10)
        let name = try h.text(40)
        let date = try h.string(4)
        let header = Header(
            remitterCode: code, remitterName: name, transferMonth: Int(date.prefix(2)) ?? 0,
            transferDay: Int(date.suffix(2)) ?? 0, account: try h.account(clearingHouse: false))
        var end = records.removeLast()
        guard try end.kind() == "9" else { throw Failure("the last record is not an end record (9)") }
        var trailer = records.removeLast()
        guard try trailer.kind() == "8" else { throw Failure("the record before the end is not a trailer (8)") }
        let count = try trailer.number(6)
        let total = try trailer.number(12)
        var transfers: [Transfer] = []
        for var r in records {
            guard try r.kind() == "2" else { throw Failure("record \(r.number) is not a data record (2)") }
            let account = try r.account(clearingHouse: true)
            let holder = try r.text(30)
            let yen = try r.number(10)
            transfers.append(Transfer(account: account, holderName: holder, yen: yen))
        }
        return Decoded(file: ZenginFile(header: header, transfers: transfers), trailerCount: count, trailerTotal: total)
    }
}

/// Field forms shared by the records.
enum Field {
    /// `text` cut at `width` characters (one byte each in JIS X 0201), without trailing spaces.
    static func cut(_ text: String, _ width: Int) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(width))).trimmingSpaces
    }

    /// `value` right-aligned and zero-filled to `width` digits.
    static func zeros(_ value: Int, _ width: Int) -> String {
        zeroFilled(String(value), width)
    }

    static func zeroFilled(_ digits: String, _ width: Int) -> String {
        String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// One record being written: fields appended in order, checked against their widths.
struct Record {
    let name: String
    var bytes: [UInt8]

    init(kind: Character, name: String) {
        self.name = name
        bytes = [kind.asciiValue!]
    }

    mutating func byte(_ b: UInt8) { bytes.append(b) }

    /// Bank, branch, type and number; the data record has the clearing house (`0000`) before the type.
    mutating func account(_ a: ZenginFile.Account, prefix: String, clearingHouse: Bool) throws(ZenginFile.Failure) {
        try digits(a.bankCode, 4, prefix + "銀行番号")
        try text(a.bankName, 15, prefix + "銀行名")
        try digits(a.branchCode, 3, prefix + "支店番号")
        try text(a.branchName, 15, prefix + "支店名")
        if clearingHouse { try digits("0000", 4, "手形交換所番号") }
        byte(a.accountType.zenginCode)
        try digits(a.accountNumber, 7, "口座番号")
    }

    mutating func digits(_ text: String, _ width: Int, _ field: String) throws(ZenginFile.Failure) {
        guard Digits.exactly(width, text) else {
            throw ZenginFile.Failure("the \(name)'s \(field) must be \(width) digits")
        }
        bytes += Array(text.utf8)
    }

    mutating func number(_ value: Int, _ width: Int, _ field: String) throws(ZenginFile.Failure) {
        let text = String(value)
        guard value >= 0, text.count <= width else {
            throw ZenginFile.Failure("the \(name)'s \(field) does not fit in \(width) digits")
        }
        try digits(Field.zeroFilled(text, width), width, field)
    }

    mutating func text(_ text: String, _ width: Int, _ field: String) throws(ZenginFile.Failure) {
        guard let encoded = JISX0201.encode(text) else {
            throw ZenginFile.Failure("the \(name)'s \(field) has a character outside JIS X 0201")
        }
        bytes += encoded.prefix(width)
        bytes += Array(repeating: 0x20, count: max(0, width - encoded.count))
    }

    func finished() throws(ZenginFile.Failure) -> [UInt8] {
        guard bytes.count <= ZenginFile.recordLength else {
            throw ZenginFile.Failure("the \(name) is \(bytes.count) bytes, more than \(ZenginFile.recordLength)")
        }
        return bytes + Array(repeating: 0x20, count: ZenginFile.recordLength - bytes.count) + ZenginFile.crlf
    }
}

/// One record being read, field by field.
struct Reader {
    let bytes: [UInt8]
    let number: Int
    var offset = 0

    init(bytes: [UInt8], number: Int) {
        self.bytes = bytes
        self.number = number
    }

    mutating func string(_ width: Int) throws(ZenginFile.Failure) -> String {
        guard offset + width <= bytes.count, let text = JISX0201.decode(bytes[offset..<(offset + width)]) else {
            throw ZenginFile.Failure("record \(number) has a byte outside JIS X 0201 at offset \(offset)")
        }
        offset += width
        return text
    }

    mutating func kind() throws(ZenginFile.Failure) -> String { try string(1) }

    mutating func text(_ width: Int) throws(ZenginFile.Failure) -> String { try string(width).trimmingSpaces }

    mutating func number(_ width: Int) throws(ZenginFile.Failure) -> Int {
        let text = try string(width)
        guard Digits.exactly(width, text), let value = Int(text) else {
            throw ZenginFile.Failure("record \(number) has a number that is not digits at offset \(offset - width)")
        }
        return value
    }

    mutating func account(clearingHouse: Bool) throws(ZenginFile.Failure) -> ZenginFile.Account {
        let bank = try string(4)
        let bankName = try text(15)
        let branch = try string(3)
        let branchName = try text(15)
        if clearingHouse { _ = try string(4) }
        let type = try accountType()
        return ZenginFile.Account(
            bankCode: bank, bankName: bankName, branchCode: branch, branchName: branchName,
            accountType: type, accountNumber: try string(7))
    }

    mutating func accountType() throws(ZenginFile.Failure) -> AccountType {
        guard offset < bytes.count, let type = AccountType(zenginCode: bytes[offset]) else {
            throw ZenginFile.Failure("record \(number) has an unknown 預金種目 at offset \(offset)")
        }
        offset += 1
        return type
    }
}
