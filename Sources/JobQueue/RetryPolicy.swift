/// When a failed job runs again: exponential backoff with jitter, capped.
public struct RetryPolicy: Sendable {
    /// Delay after the first failure.
    public var base: Duration
    public var maximum: Duration
    /// ± this share of the delay, at random, so retries of a burst do not all land together.
    public var jitter: Double
    /// The longest a job of a kind this process does not know waits before it is tried again
    /// (1, 2, 4 … seconds by the number of errors in its history, up to this): in a rolling
    /// deploy a process that knows the kind picks it up within this long of starting.
    public var unknownKindMaximum: Duration = .seconds(60)

    public init(base: Duration = .seconds(2), maximum: Duration = .seconds(3600), jitter: Double = 0.2) {
        self.base = base
        self.maximum = maximum
        self.jitter = jitter
    }

    /// The wait after attempt number `attempt` failed: base × 2^(attempt−1), capped, jittered.
    public func delay(afterAttempt attempt: Int) -> Duration {
        let doublings = min(40, max(0, attempt - 1))
        let raw = min(maximum, base * (1 << doublings))
        guard jitter > 0 else { return raw }
        return raw * (1 + Double.random(in: -jitter...jitter))
    }
}
