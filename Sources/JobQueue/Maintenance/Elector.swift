import Foundation
import Logging
import Postgres

/// Holds or seeks the `maintenance` role: one process at a time runs the maintenance services.
/// The holder renews its lease every interval; another takes over once it lapses. Any doubt
/// (an error) counts as not leading, so two processes never both believe they lead.
public final class Elector: @unchecked Sendable {
    public static let role = "maintenance"
    let pool: ConnectionPool
    public let holder: String
    public let lease: Duration
    public let interval: Duration
    private let logger: Logger
    private let lock = NSLock()
    private var leading = false

    public init(
        pool: ConnectionPool, holder: String, lease: Duration = .seconds(5), interval: Duration = .seconds(1),
        logger: Logger
    ) {
        self.pool = pool
        self.holder = holder
        self.lease = lease
        self.interval = interval
        self.logger = logger
    }

    /// True while this process holds the role.
    public var isLeader: Bool {
        lock.lock()
        defer { lock.unlock() }
        return leading
    }

    private func set(_ value: Bool) {
        lock.lock()
        let changed = leading != value
        leading = value
        lock.unlock()
        if changed {
            logger.info(
                value ? "became maintenance leader" : "no longer maintenance leader", metadata: ["holder": "\(holder)"])
        }
    }

    /// One election: holds or takes the role for another lease. True when held.
    @discardableResult
    public func electOnce() async throws -> Bool {
        do {
            let held = try await pool.withConnection {
                try await QueueDriver.elect(role: Self.role, holder: holder, lease: lease, on: $0)
            }
            set(held)
            return held
        } catch {
            set(false)
            throw error
        }
    }

    /// Gives the role up at once, so another process takes over without waiting.
    public func resign() async {
        guard isLeader else { return }
        set(false)
        _ = try? await pool.withConnection { try await QueueDriver.resign(role: Self.role, holder: holder, on: $0) }
    }

    /// Elects every interval until cancelled, then resigns.
    func run(clock: any Clock<Duration>) async {
        let failures = OutageLog(logger: logger, subject: "the maintenance election")
        var backoff = Backoff()
        while !Task.isCancelled {
            do {
                try await electOnce()
                failures.succeeded()
                backoff.reset()
                try? await clock.sleep(for: interval, tolerance: nil)
            } catch {
                failures.failed("electing", error)
                try? await clock.sleep(for: backoff.next(), tolerance: nil)
            }
        }
        await resign()
    }
}
