import Foundation

/// At most `limit` sign-in attempts a minute per login name and per client address. Kept in
/// memory: the limit holds per console process (docs/security.md).
actor LoginLimiter {
    private let limit: Int
    private let window: TimeInterval
    private var attempts: [String: [Date]] = [:]

    /// Whether `address` is this machine's (a reverse proxy on loopback sends every request).
    static func isLoopback(_ address: String) -> Bool {
        address == "::1" || address.hasPrefix("127.") || address.hasPrefix("::ffff:127.")
    }

    init(limit: Int = 5, window: TimeInterval = 60) {
        self.limit = limit
        self.window = window
    }

    /// Counts an attempt for each key; returns the seconds to wait when any key is over the
    /// limit (the attempt is then not counted), nil when the attempt may go ahead.
    func attempt(_ keys: [String], now: Date = Date()) -> Int? {
        var wait = 0
        for key in keys {
            let recent = (attempts[key] ?? []).filter { now.timeIntervalSince($0) < window }
            attempts[key] = recent
            if recent.count >= limit, let first = recent.first {
                wait = max(wait, Int((window - now.timeIntervalSince(first)).rounded(.up)))
            }
        }
        if wait > 0 { return max(wait, 1) }
        for key in keys { attempts[key, default: []].append(now) }
        if attempts.count > 10_000 { attempts = attempts.filter { !$0.value.isEmpty } }
        return nil
    }
}
