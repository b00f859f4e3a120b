/// Numbers in officers' words: "3,600,000 yen", "1 month", "12 months".
public enum Wording {
    /// An amount of yen with thousands separators.
    public static func yen(_ amount: Int) -> String {
        let digits = String(amount.magnitude)
        var grouped = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (amount < 0 ? "-" : "") + grouped + " yen"
    }

    /// `count` of `unit`, with the unit plural unless the count is one ("1 month", "0 months",
    /// "2 entries" with `plural`); the count has no separators (it is read back by scripts).
    public static func count(_ count: Int, _ unit: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? unit : plural ?? unit + "s")"
    }
}
