/// Numbers in officers' words: "3,600,000 yen", "1 month", "12 months".
enum Wording {
    /// An amount of yen with thousands separators.
    static func yen(_ amount: Int) -> String {
        let digits = String(amount.magnitude)
        var grouped = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (amount < 0 ? "-" : "") + grouped + " yen"
    }

    /// `count` of `unit`, with the unit plural unless the count is one.
    static func count(_ count: Int, _ unit: String) -> String { "\(count) \(unit)\(count == 1 ? "" : "s")" }
}
