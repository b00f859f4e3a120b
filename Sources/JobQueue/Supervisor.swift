import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// Runs the registered handlers in this process: one runner per queue with its own concurrency
/// limit, lease renewal, a watchdog for timeouts, NOTIFY wake-ups, batched completions and
/// (optionally) the elected maintenance services.
///
/// The queue's own statements (claim, renew, record, maintenance) go through a small pool of
/// the supervisor's own, so handlers that hold every connection of the application's pool can
/// never starve lease renewal.
///
/// Graceful shutdown (SIGTERM through swift-service-lifecycle, or the end of a drain): stop
/// claiming, let jobs in flight finish within ``Configuration/shutdownDeadline`` and record
/// their ends, cancel the rest and release them to the queue at once; only then stop renewals,
/// the completer and LISTEN.
public final class Supervisor: Service, Sendable {
    public struct Configuration: Sendable {
        /// This process's name in `attempted_by` and the leader table.
        public var workerID: String
        /// Concurrency limit per queue.
        public var queues: [String: Int]
        /// How long a claim's lease lasts; renewed every third of it while the job runs.
        ///
        /// 30 s: long enough that a database failover (20–30 s) or renewals waiting a few
        /// seconds behind a lock do not hand running jobs to other processes — every renewal in
        /// that window is tried again each second — and short enough that the jobs of a process
        /// that died run again within a minute (lease + the rescuer's grace). A run whose last
        /// good renewal is older than the lease less ``leaseMargin`` stops itself, so it has ended
        /// before the rescuer can give its job to another process.
        public var lease: Duration = .seconds(30)
        /// How long before its lease could lapse in the database a run stops itself: a fifth of
        /// the lease (6 s of 30), the time a cancelled handler has to stop, plus the rescuer's grace.
        public var leaseMargin: Duration { lease / 5 }
        /// Fallback poll when no NOTIFY arrives.
        public var pollInterval: Duration = .seconds(1)
        public var shutdownDeadline: Duration = .seconds(10)
        /// After the deadline the runs left are cancelled; one that has not stopped this much
        /// later (blocking work cannot be cancelled) is abandoned to its lease and logged, so the
        /// process exits within deadline + this.
        public var abandonAfter: Duration = .seconds(5)
        public var retry = RetryPolicy()
        /// Run the elected maintenance services in this process.
        public var maintenance = true
        public var maintenanceConfiguration = Maintenance.Configuration()
        /// Exit once no job is runnable (`bursar drain`).
        public var drain = false
        /// In drain mode, jobs due within this long still count as runnable.
        public var drainHorizon: Duration = .seconds(10)
        /// Connections of the queue's own pool: a busy queue's two claim lanes, the completer,
        /// and one for recording failures and the maintenance passes (renewals have their own).
        public var queueConnections = 4

        public init(workerID: String = Supervisor.defaultWorkerID(), queues: [String: Int]) {
            self.workerID = workerID
            self.queues = queues
        }

        /// The application pool a process running these queues needs: one connection per
        /// handler slot, and a few for everything else it does.
        public var handlerConnections: Int { queues.values.reduce(0, +) + 4 }
    }

    /// Jobs this supervisor finished, by outcome.
    public struct Summary: Sendable {
        public let completed: Int
        public let failed: Int
    }

    /// The application's client (its pool serves the handlers).
    public let client: JobQueueClient
    /// The queue's own client, on the supervisor's own pool.
    let own: JobQueueClient
    let conninfo: String
    let registry: JobRegistry
    public let configuration: Configuration
    let logger: Logger
    let inFlight = InFlight()
    let stopping = StopFlag()
    let drainRequested = StopFlag()
    let wakeups: [String: Wakeup]
    let completer: Completer
    let executor: JobExecutor
    let outage: OutageLog

    public init(
        client: JobQueueClient, conninfo: String, registry: JobRegistry, configuration: Configuration, logger: Logger
    ) {
        self.client = client
        self.conninfo = conninfo
        self.registry = registry
        self.configuration = configuration
        self.logger = logger
        let pool = ConnectionPool(
            conninfo: conninfo, size: configuration.queueConnections, checkoutTimeout: .seconds(10))
        own = JobQueueClient(pool: pool)
        outage = OutageLog(logger: logger)
        wakeups = Dictionary(uniqueKeysWithValues: configuration.queues.keys.map { ($0, Wakeup()) })
        completer = Completer(pool: pool, outage: outage)
        executor = JobExecutor(
            registry: registry, inFlight: inFlight, completer: completer, pool: pool, retry: configuration.retry,
            outage: outage, logger: logger, wakeups: wakeups, worker: configuration.workerID)
    }

    public static func defaultWorkerID() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        return "\(host)-\(getpid())-\(UInt16.random(in: 0...UInt16.max))"
    }

    /// Runs until graceful shutdown (or, in drain mode, until no job is runnable).
    public func run() async throws {
        _ = await runToEnd()
    }

    /// Runs and returns how many jobs were completed and failed.
    public func runToEnd() async -> Summary {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { helpers in
                helpers.addTask { await self.listen() }
                helpers.addTask { await LeaseRenewer(supervisor: self).run() }
                helpers.addTask { await self.completer.run() }
                helpers.addTask { await self.watchOverdue() }
                helpers.addTask { await DrainWatcher(supervisor: self).run() }
                if !configuration.drain && configuration.maintenance {
                    helpers.addTask {
                        await Maintenance(
                            client: self.own, holder: self.configuration.workerID,
                            configuration: self.configuration.maintenanceConfiguration, logger: self.logger
                        ).run()
                    }
                }
                // The runners end first (after a stop, with their jobs finished or released);
                // the helpers serve them until then.
                await withTaskGroup(of: Void.self) { runners in
                    for (queue, limit) in configuration.queues {
                        runners.addTask { await QueueRunner(supervisor: self, queue: queue, limit: limit).run() }
                    }
                }
                await completer.finish()
                helpers.cancelAll()
            }
            await own.pool.shutdown()
        } onGracefulShutdown: {
            self.stop()
        }
        return Summary(completed: inFlight.completed, failed: inFlight.failed)
    }

    /// Stops claiming and lets the runners wind down.
    public func stop() {
        guard stopping.set() else { return }
        for wakeup in wakeups.values { wakeup.signal() }
    }

    /// Switches a running supervisor to drain mode: it stops once no job is runnable, as if it
    /// had been started with ``Configuration/drain``. For a process that keeps workers busy while
    /// it enqueues (a benchmark of submit and processing together) and then finishes the work.
    public func stopWhenIdle() {
        _ = drainRequested.set()
    }

    /// What the queues this supervisor serves still hold that it did not run: paused queues,
    /// jobs due later. For `bursar drain` to say what it left.
    public func leftovers() async throws -> DrainLeftovers {
        try await client.leftovers(queues: Array(configuration.queues.keys))
    }

    private func listen() async {
        for await note in NotificationListener.listen(conninfo: conninfo, channels: [JobQueueClient.channel]) {
            wakeups[note.payload]?.signal()
        }
    }

    /// Stops runs past their timeout (their queries are cancelled on the server with them).
    private func watchOverdue() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(250))
            inFlight.stopOverdue(at: .now)
        }
    }
}

/// Renews the leases of the attempts this process runs every third of the lease, a bounded
/// batch per statement, and passes on operators' cancel requests.
///
/// On a connection of its own, never the queue's pool: a renewal must not wait behind claims,
/// completions or maintenance batches. Under a `lock_timeout` (a tenth of the lease) and a
/// statement timeout (a third): a row lock or a migration's table lock fails the renewal
/// quickly instead of holding it, and a failed renewal is tried again every second. Each good
/// renewal moves the instant until which its runs trust their lease (measured from when it was
/// sent); the watchdog stops a run past it (``InFlight/stopOverdue(at:)``).
struct LeaseRenewer: Sendable {
    let supervisor: Supervisor

    func run() async {
        let configuration = supervisor.configuration
        let holder = RenewalConnection(conninfo: supervisor.conninfo, lockTimeout: configuration.lease / 10)
        var failed = false
        while !Task.isCancelled {
            try? await Task.sleep(for: failed ? min(.seconds(1), configuration.lease / 6) : configuration.lease / 3)
            failed = false
            let running = supervisor.inFlight.all
            for start in stride(from: 0, to: running.count, by: 500) {
                let jobs = Array(running[start..<min(running.count, start + 500)])
                let sent = ContinuousClock.now
                do {
                    let renewed = try await QueryLimits.$statementTimeout.withValue(configuration.lease / 3) {
                        try await holder.withConnection {
                            try await QueueDriver.renewLeases(
                                jobs, worker: configuration.workerID,
                                lease: configuration.lease, on: $0)
                        }
                    }
                    supervisor.outage.succeeded()
                    let validUntil = sent + configuration.lease - configuration.leaseMargin
                    supervisor.inFlight.renewed(renewed.owned, validUntil: validUntil)
                    supervisor.inFlight.stop(renewed.cancelRequested, reason: .cancelRequested)
                    let lost = Set(jobs.map(\.key)).subtracting(renewed.owned)
                    if !lost.isEmpty { supervisor.inFlight.stop(lost, reason: .leaseLost) }
                } catch {
                    failed = true
                    supervisor.outage.failed("renewing \(jobs.count) leases", error)
                }
            }
        }
        await holder.close()
    }
}

/// The lease renewer's own connection, opened on first use and again after a failure, with
/// its `lock_timeout` set once per session.
actor RenewalConnection {
    let conninfo: String
    let lockTimeout: Duration
    private var connection: Connection?

    init(conninfo: String, lockTimeout: Duration) {
        self.conninfo = conninfo
        self.lockTimeout = lockTimeout
    }

    func withConnection<T: Sendable>(_ body: (Connection) async throws -> T) async throws -> T {
        let live: Connection
        if let connection, await connection.isHealthy() {
            live = connection
        } else {
            await connection?.close()
            connection = nil
            live = try await Connection.connect(conninfo)
            // An integer computed here, not user data.
            try await live.simpleQuery("SET lock_timeout = \(max(1, Int(lockTimeout / .milliseconds(1))))")
            connection = live
        }
        do {
            return try await body(live)
        } catch {
            // A timed-out or broken session is not reused: the next renewal starts clean.
            await live.close()
            connection = nil
            throw error
        }
    }

    func close() async {
        await connection?.close()
        connection = nil
    }
}

/// Drain mode (from the start, or once ``Supervisor/stopWhenIdle()`` is called): runs the
/// scheduler and rescuer passes itself and stops the supervisor once none of its queues has a
/// job runnable now or within ``Supervisor/Configuration/drainHorizon``. Paused queues do not
/// hold it: their jobs are left, and said so by ``Supervisor/leftovers()``.
struct DrainWatcher: Sendable {
    let supervisor: Supervisor

    func run() async {
        let configuration = supervisor.configuration
        while !configuration.drain && !supervisor.drainRequested.isSet {
            guard !Task.isCancelled, !supervisor.stopping.isSet else { return }
            try? await Task.sleep(for: .milliseconds(200))
        }
        let pool = supervisor.own.pool
        let rescuer = Rescuer(pool: pool, grace: configuration.maintenanceConfiguration.rescueGrace)
        let scheduler = Scheduler(pool: pool)
        let queues = Array(configuration.queues.keys)
        let clock = ContinuousClock()
        var idleChecks = 0
        var lastPass: ContinuousClock.Instant?
        while !Task.isCancelled && !supervisor.stopping.isSet {
            try? await Task.sleep(for: .milliseconds(50))
            do {
                // The scheduler/rescuer passes once a second; the cheap idle check every 50 ms.
                if lastPass.map({ clock.now - $0 >= .seconds(1) }) ?? true {
                    _ = try await rescuer.runOnce()
                    _ = try await scheduler.runOnce()
                    lastPass = clock.now
                }
                guard supervisor.inFlight.total == 0, await supervisor.completer.pendingCount == 0,
                    try await supervisor.own.isIdle(queues: queues, horizon: configuration.drainHorizon)
                else {
                    idleChecks = 0
                    continue
                }
                idleChecks += 1
                // Idle twice in a row, and due scheduled jobs were moved by a fresh pass.
                if idleChecks >= 2 {
                    _ = try await scheduler.runOnce()
                    if try await supervisor.own.isIdle(queues: queues, horizon: configuration.drainHorizon) {
                        supervisor.stop()
                    } else {
                        idleChecks = 0
                    }
                }
                supervisor.outage.succeeded()
            } catch {
                supervisor.outage.failed("checking whether the drain is done", error)
            }
        }
    }
}

/// A flag set once, readable from any thread.
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    public init() {}

    /// Sets the flag; true if this call set it.
    @discardableResult
    public func set() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if value { return false }
        value = true
        return true
    }

    public var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
