import Foundation

/// At most one wake-up per queue every ``interval`` from this client (River's insert notifier
/// limit, 100 ms per queue): a submission that enqueues in many small transactions wakes every
/// worker of every process once per interval, not once per transaction. An insert inside the
/// interval sends nothing; the workers woken by the previous one are claiming already, and the
/// fallback poll (a second) finds whatever a claim began before it committed.
final class NotifyLimiter: @unchecked Sendable {
    let interval: Duration
    private let lock = NSLock()
    private var last: [String: ContinuousClock.Instant] = [:]

    init(interval: Duration = .milliseconds(100)) {
        self.interval = interval
    }

    /// The queues of `queues` that may be notified now (and are counted as notified).
    func admit(_ queues: [String], at now: ContinuousClock.Instant = .now) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        var admitted: [String] = []
        for queue in Set(queues) where last[queue].map({ now - $0 >= interval }) ?? true {
            last[queue] = now
            admitted.append(queue)
        }
        return admitted
    }
}
