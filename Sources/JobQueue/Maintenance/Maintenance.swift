import Logging
import Postgres

/// The queue's maintenance: an elector and the services it lets run — the rescuer, the
/// scheduler and the cleaner — each with its own loop, batch limit and error handling.
public struct Maintenance: Sendable {
    public struct Configuration: Sendable {
        /// The pause between passes of the rescuer and the scheduler, and between elections.
        public var interval: Duration = .seconds(1)
        /// How long the leader's lease lasts; another process takes over within this time.
        public var leaderLease: Duration = .seconds(5)
        public var cleanInterval: Duration = .seconds(30)
        public var completedRetention: Duration = .seconds(24 * 3600)
        public var discardedRetention: Duration = .seconds(7 * 24 * 3600)
        public var rescueBatch = 1000
        /// How long past its end a lease must be before the rescuer takes the job back.
        public var rescueGrace: Duration = .seconds(10)
        public var scheduleBatch = 10_000
        public var cleanBatch = 10_000
        /// Called after every pass of every service (tests wait on it).
        public var hook: MaintenanceHook?
        public init() {}
    }

    /// What one pass of every service did; a service that failed has nil and its error.
    public struct Pass: Sendable {
        public var rescued: Int?
        public var scheduled: Int?
        public var cleaned: Int?
        public var failures: [String: String] = [:]
    }

    public let elector: Elector
    public let rescuer: Rescuer
    public let scheduler: Scheduler
    public let cleaner: Cleaner
    let configuration: Configuration
    let logger: Logger

    public init(client: JobQueueClient, holder: String, configuration: Configuration = .init(), logger: Logger) {
        elector = Elector(
            pool: client.pool, holder: holder, lease: configuration.leaderLease, interval: configuration.interval,
            logger: logger)
        rescuer = Rescuer(
            pool: client.pool, interval: configuration.interval, batchLimit: configuration.rescueBatch,
            grace: configuration.rescueGrace)
        scheduler = Scheduler(
            pool: client.pool, interval: configuration.interval, batchLimit: configuration.scheduleBatch)
        cleaner = Cleaner(
            pool: client.pool, interval: configuration.cleanInterval, batchLimit: configuration.cleanBatch,
            completedRetention: configuration.completedRetention, discardedRetention: configuration.discardedRetention)
        self.configuration = configuration
        self.logger = logger
    }

    /// One pass of each service, unelected, each on its own: one failing does not stop the others.
    public func runOnce() async -> Pass {
        var pass = Pass()
        do { pass.rescued = try await rescuer.runOnce() } catch { pass.failures[rescuer.name] = "\(error)" }
        do { pass.scheduled = try await scheduler.runOnce() } catch { pass.failures[scheduler.name] = "\(error)" }
        do { pass.cleaned = try await cleaner.runOnce() } catch { pass.failures[cleaner.name] = "\(error)" }
        return pass
    }

    /// Runs the elector and each service's loop until cancelled; resigns at the end.
    public func run(clock: any Clock<Duration> = ContinuousClock()) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await elector.run(clock: clock) }
            for service in [rescuer, scheduler, cleaner] as [any MaintenanceService] {
                group.addTask {
                    await MaintenanceLoop(
                        service: service, elector: elector, clock: clock, logger: logger, hook: configuration.hook
                    ).run()
                }
            }
        }
    }
}
