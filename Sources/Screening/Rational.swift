/// An exact non-negative-or-negative fraction, always in lowest terms with a positive
/// denominator. GPA arithmetic uses it so that no binary floating point is ever involved.
public struct Rational: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let numerator: Int
    public let denominator: Int

    public init(_ numerator: Int, _ denominator: Int = 1) {
        precondition(denominator != 0, "a rational needs a non-zero denominator")
        let sign = denominator < 0 ? -1 : 1
        let divisor = Rational.gcd(abs(numerator), abs(denominator))
        self.numerator = sign * numerator / Swift.max(divisor, 1)
        self.denominator = sign * denominator / Swift.max(divisor, 1)
    }

    /// Reads a decimal literal such as `3`, `1.5` or `0.25` exactly; nil for anything else
    /// (exponents, more than 6 decimal places, or values too large to be a credit count).
    public init?(decimal text: String) {
        var digits = Substring(text)
        var negative = false
        if digits.first == "-" {
            negative = true
            digits = digits.dropFirst()
        }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.count <= 9,
            whole.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        var numerator = Int(whole)!
        var denominator = 1
        if parts.count == 2 {
            let fraction = parts[1]
            guard !fraction.isEmpty, fraction.count <= 6, fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return nil
            }
            for ch in fraction {
                numerator = numerator * 10 + Int(String(ch))!
                denominator *= 10
            }
        }
        self.init(negative ? -numerator : numerator, denominator)
    }

    /// Reads the form ``description`` writes (`17/6`, `3`); nil for anything else.
    public init?(fraction text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let numerator = Int(parts[0]) else { return nil }
        let denominator = parts.count == 2 ? Int(parts[1]) : 1
        guard let denominator, denominator != 0 else { return nil }
        self.init(numerator, denominator)
    }

    public static func + (a: Rational, b: Rational) -> Rational {
        let l = lcm(a.denominator, b.denominator)
        return Rational(a.numerator * (l / a.denominator) + b.numerator * (l / b.denominator), l)
    }

    public static func * (a: Rational, b: Rational) -> Rational {
        let g1 = gcd(abs(a.numerator), b.denominator)
        let g2 = gcd(abs(b.numerator), a.denominator)
        return Rational(
            (a.numerator / Swift.max(g1, 1)) * (b.numerator / Swift.max(g2, 1)),
            (a.denominator / Swift.max(g2, 1)) * (b.denominator / Swift.max(g1, 1)))
    }

    public static func / (a: Rational, b: Rational) -> Rational {
        a * Rational(b.denominator, b.numerator)
    }

    public static func < (a: Rational, b: Rational) -> Bool {
        a.numerator * b.denominator < b.numerator * a.denominator
    }

    public static let zero = Rational(0)

    /// The value truncated toward zero to `places` decimal places, as `(scaled integer, places)`.
    public func truncated(places: Int) -> Int {
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        return (numerator * scale) / denominator  // Swift's integer division truncates toward zero.
    }

    /// The value truncated (never rounded up) to `places` decimals, e.g. `2.50`.
    public func decimalString(places: Int) -> String {
        let scaled = truncated(places: places)
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let sign = scaled < 0 ? "-" : ""
        let whole = abs(scaled) / scale
        var fraction = String(abs(scaled) % scale)
        while fraction.count < places { fraction = "0" + fraction }
        return places == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }

    static func gcd(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    static func lcm(_ a: Int, _ b: Int) -> Int { a / gcd(a, b) * b }
}
