import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// Runs the registered handlers in this process: one runner per queue with its own concurrency
/// limit, lease renewal, NOTIFY wake-ups, batched completions and (optionally) the elected
/// maintenance services — all as child tasks of one task group.
///
/// Graceful shutdown (SIGTERM through swift-service-lifecycle, or the end of a drain): stop
/// claiming, let jobs in flight finish within ``Configuration/shutdownDeadline``, cancel the
/// rest and release them to the queue at once.
public final class Supervisor: Service, Sendable {
    public struct Configuration: Sendable {
        /// This process's name in `attempted_by` and the leader table.
        public var workerID: String
        /// Concurrency limit per queue.
        public var queues: [String: Int]
        /// Seconds a claim's lease lasts; renewed every third of it while the job runs.
        public var lease: Double = 10
        /// Fallback poll when no NOTIFY arrives.
        public var pollInterval: Double = 1
        public var shutdownDeadline: Double = 10
        public var retry = RetryPolicy()
        /// Run the elected maintenance services in this process.
        public var maintenance = true
        public var maintenanceConfiguration = Maintenance.Configuration()
        /// Exit once no job is runnable (`bursar drain`).
        public var drain = false
        /// In drain mode, jobs due within this many seconds still count as runnable.
        public var drainHorizon: Double = 10

        public init(workerID: String = Supervisor.defaultWorkerID(), queues: [String: Int]) {
            self.workerID = workerID
            self.queues = queues
        }
    }

    /// Jobs this supervisor finished, by outcome.
    public struct Summary: Sendable {
        public let completed: Int
        public let failed: Int
    }

    public let client: JobQueueClient
    let conninfo: String
    let registry: JobRegistry
    public let configuration: Configuration
    let logger: Logger
    let inFlight = InFlight()
    let stopping = StopFlag()
    let drainRequested = StopFlag()
    let wakeups: [String: Wakeup]
    let completer: Completer

    public init(client: JobQueueClient, conninfo: String, registry: JobRegistry, configuration: Configuration, logger: Logger) {
        self.client = client
        self.conninfo = conninfo
        self.registry = registry
        self.configuration = configuration
        self.logger = logger
        self.wakeups = Dictionary(uniqueKeysWithValues: configuration.queues.keys.map { ($0, Wakeup()) })
        self.completer = Completer(client: client, logger: logger)
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
            await withTaskGroup(of: Void.self) { group in
                for (queue, limit) in configuration.queues {
                    group.addTask { await QueueRunner(supervisor: self, queue: queue, limit: limit).run() }
                }
                group.addTask { await self.renewLeasesUntilStopped() }
                group.addTask { await self.completer.run(every: 0.002) }
                group.addTask { await self.listen() }
                group.addTask { await self.watchForIdle() }
                if !configuration.drain && configuration.maintenance {
                    group.addTask {
                        await Maintenance(client: self.client, holder: self.configuration.workerID,
                                          configuration: self.configuration.maintenanceConfiguration, logger: self.logger).run()
                    }
                }
                // The runners end first (after shutdown); then stop the helpers.
                for _ in configuration.queues { await group.next() }
                group.cancelAll()
            }
            await completer.flush()
        } onGracefulShutdown: {
            self.stop()
        }
        return Summary(completed: await inFlight.completed, failed: await inFlight.failed)
    }

    /// Stops claiming and lets the runners wind down.
    public func stop() {
        guard stopping.set() else { return }
        let wakeups = self.wakeups
        Task { for wakeup in wakeups.values { await wakeup.signal() } }
    }

    /// Switches a running supervisor to drain mode: it stops once no job is runnable, as if it
    /// had been started with ``Configuration/drain``. For a process that keeps workers busy while
    /// it enqueues (a benchmark of submit and processing together) and then finishes the work.
    public func stopWhenIdle() {
        _ = drainRequested.set()
    }

    private func listen() async {
        for await note in NotificationListener.listen(conninfo: conninfo, channels: [JobQueueClient.channel]) {
            await wakeups[note.payload]?.signal()
        }
    }

    private func renewLeasesUntilStopped() async {
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: UInt64(configuration.lease / 3 * 1e9))
            let jobs = await inFlight.all
            guard !jobs.isEmpty else { continue }
            do {
                let cancel = try await client.renewLeases(jobs, worker: configuration.workerID, lease: configuration.lease)
                if !cancel.isEmpty { await inFlight.requestCancel(cancel) }
            } catch {
                logger.warning("renewing leases failed", metadata: ["jobs": "\(jobs.count)", "error": "\(error)"])
            }
        }
    }

    /// Drain mode (from the start, or once ``stopWhenIdle()`` is called): runs the
    /// scheduler/rescuer passes itself and stops once nothing is runnable,
    /// now or within ``Configuration/drainHorizon`` (a retry due in a few seconds is waited for).
    private func watchForIdle() async {
        while !configuration.drain && !drainRequested.isSet {
            guard !Task.isCancelled, !stopping.isSet else { return }
            try? await Task.sleep(nanoseconds: 200_000_000)
        }
        let maintenance = Maintenance(client: client, holder: configuration.workerID, logger: logger)
        var idleChecks = 0
        var lastPass = Date.distantPast
        while !Task.isCancelled && !stopping.isSet {
            try? await Task.sleep(nanoseconds: 50_000_000)
            do {
                // The scheduler/rescuer pass once a second; the cheap idle check every 50 ms.
                if Date().timeIntervalSince(lastPass) >= 1 {
                    try await maintenance.runOnce()
                    lastPass = Date()
                }
                guard await inFlight.total == 0 else { idleChecks = 0; continue }
                if await completer.pending == 0, try await client.isIdle(horizon: configuration.drainHorizon) {
                    idleChecks += 1
                    // Idle twice in a row, and due scheduled jobs were moved by a fresh pass.
                    if idleChecks >= 2 {
                        try await maintenance.runOnce()
                        if try await client.isIdle(horizon: configuration.drainHorizon) { stop() } else { idleChecks = 0 }
                    }
                } else {
                    idleChecks = 0
                }
            } catch {
                logger.warning("drain check failed", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// A flag set once, readable from any thread.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    /// Sets the flag; true if this call set it.
    func set() -> Bool { lock.lock(); defer { lock.unlock() }; if value { return false }; value = true; return true }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
