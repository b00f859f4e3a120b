/// The Zengin bank and branch codes with their kana names (interface §3): the data file
/// `db/zengin/zengin-DATE.tsv` that `scripts/zengin-data.py` makes from PyPI's `zengin-code`.
/// Names are kept as the data set has them and converted to the Zengin set when asked.
public struct ZenginCodes: Sendable {
    /// One bank or branch: its code and its name in the Zengin set (half-width).
    public struct Entry: Sendable, Equatable {
        public let code: String
        public let name: String
    }

    /// Why the data file cannot be read: the line and what is wrong.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The data's date, from the file's name (`zengin-2026-08-24.tsv` → `2026-08-24`).
    public let date: String
    private let banks: [String: String]
    private let branches: [String: [String: String]]

    /// The number of banks and of branches (every branch of the data set, also of banks it no
    /// longer lists, which no account can name since their bank is unknown).
    public var bankCount: Int { banks.count }
    public var branchCount: Int { branches.values.reduce(0) { $0 + $1.count } }

    /// Reads the data file's text: `B<TAB>bank<TAB>kana` and `R<TAB>bank<TAB>branch<TAB>kana`
    /// lines, `#` comments.
    public init(text: String, date: String) throws(Failure) {
        var banks: [String: String] = [:]
        var branches: [String: [String: String]] = [:]
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let name: String
            do {
                name = try ZenginText.convert(f.last ?? "", field: "name")
            } catch {
                throw Failure(description: "line \(number) of the Zengin code data: \(error.description)")
            }
            switch (f.first, f.count) {
            case ("B", 3) where Digits.exactly(4, f[1]):
                banks[f[1]] = name
            case ("R", 4) where Digits.exactly(4, f[1]) && Digits.exactly(3, f[2]):
                branches[f[1], default: [:]][f[2]] = name
            default:
                throw Failure(description: "line \(number) of the Zengin code data is neither a bank nor a branch line")
            }
        }
        self.date = date
        self.banks = banks
        self.branches = branches
    }

    /// The bank of `code`, or nil when the data has none.
    public func bank(_ code: String) -> Entry? {
        banks[code].map { Entry(code: code, name: $0) }
    }

    /// The branch `code` of bank `bank`, or nil when the data has none (or the bank is unknown).
    public func branch(bank: String, _ code: String) -> Entry? {
        guard banks[bank] != nil else { return nil }
        return branches[bank]?[code].map { Entry(code: code, name: $0) }
    }
}
