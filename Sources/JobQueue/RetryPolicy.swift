import Foundation

/// When a failed job runs again: exponential backoff with jitter, capped.
public struct RetryPolicy: Sendable {
    /// Delay after the first failure.
    public var base: Double
    public var maximum: Double
    /// ± this share of the delay, at random, so retries of a burst do not all land together.
    public var jitter: Double

    public init(base: Double = 2, maximum: Double = 3600, jitter: Double = 0.2) {
        self.base = base
        self.maximum = maximum
        self.jitter = jitter
    }

    /// Seconds to wait after attempt number `attempt` failed: base × 2^(attempt−1), jittered.
    public func delay(afterAttempt attempt: Int) -> Double {
        let raw = min(maximum, base * pow(2, Double(max(0, attempt - 1))))
        let spread = raw * jitter
        return max(0, raw + Double.random(in: -spread...spread))
    }
}
