import Foundation
import Logging

/// Says once that something keeps failing (the database cannot be reached, a maintenance
/// service fails), and once that it works again, however many loops fail meanwhile: an outage
/// costs two log lines, not a flood.
final class OutageLog: @unchecked Sendable {
    private let logger: Logger
    private let subject: String
    private let lock = NSLock()
    private var failures = 0

    init(logger: Logger, subject: String = "the queue's database work") {
        self.logger = logger
        self.subject = subject
    }

    /// Records a failure of `what`; logs only the first of an outage.
    func failed(_ what: String, _ error: Error) {
        lock.lock()
        failures += 1
        let first = failures == 1
        lock.unlock()
        if first {
            logger.warning(
                "\(subject) fails; retrying with backoff (said once until it works again)",
                metadata: ["while": "\(what)", "error": "\(error)"])
        }
    }

    /// Records a success; logs the end of an outage.
    func succeeded() {
        lock.lock()
        let ended = failures
        failures = 0
        lock.unlock()
        if ended > 0 { logger.notice("\(subject) works again", metadata: ["failed_attempts": "\(ended)"]) }
    }

    /// True while an outage is under way.
    var isFailing: Bool {
        lock.lock()
        defer { lock.unlock() }
        return failures > 0
    }
}

/// Exponential backoff with jitter for a loop that failed: 100 ms doubling to 5 s.
struct Backoff: Sendable {
    var initial: Duration = .milliseconds(100)
    var maximum: Duration = .seconds(5)
    private var current: Duration?

    init() {}

    /// The next wait, longer each time until ``reset()``.
    mutating func next() -> Duration {
        let wait = current.map { min(maximum, $0 * 2) } ?? initial
        current = wait
        return wait * Double.random(in: 0.75...1.25)
    }

    mutating func reset() { current = nil }
}
