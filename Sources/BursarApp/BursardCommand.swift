import ArgumentParser
import Benchmarks
import Foundation
import JobQueue
import Logging
import Postgres
import ServiceLifecycle
import Store
import Workers

/// `bursard`: the server. Runs the workers (and the elected maintenance services) until
/// SIGTERM or SIGINT, then lets jobs in flight finish, releases the rest and exits 0.
public struct BursardCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "bursard",
        abstract: "Run Bursar's workers until stopped (SIGTERM drains jobs in flight and exits 0).",
        discussion: ServiceOptions.environmentHelp
            + "\nExample: DATABASE_URL='postgresql://bursard@db/bursar?sslmode=verify-full' bursard --http-port 8750",
        version: BursarVersion.text)

    @Option(help: "Concurrent jobs per queue (default: applications 16, lifecycle 4, payments 1).")
    var concurrency: Int?

    @Option(help: "Seconds jobs in flight may take to finish after SIGTERM before they are released.")
    var shutdownDeadline: Double = 10

    @OptionGroup var service: ServiceOptions

    @Option(help: "Seconds a claimed job's lease lasts (renewed every third of it; why 30: Supervisor.Configuration).")
    var lease: Double = 30

    /// Also serve the `bench` queue with the benchmark kinds (bench.noop, bench.record): the
    /// queue's multi-process acceptance runs through the real server this way.
    @Flag(help: .hidden) var benchQueue = false

    public init() {}

    /// Test-only: `BURSARD_DISABLE_KINDS=kind1,kind2` drops those handlers, so one binary can play
    /// an older build that does not know a kind (the rolling-deploy test, issue 22). Honoured only
    /// by a debug build: in service one stray line in an environment file would silently stop a
    /// kind (payments, say) and push its jobs back on every claim. A release build refuses to start
    /// with it set, and a debug build refuses a kind it does not register (a misspelling).
    static let disableKindsVariable = "BURSARD_DISABLE_KINDS"

    private static func disableKinds(in registry: inout JobRegistry, logger: Logger) throws {
        guard let list = ProcessInfo.processInfo.environment[disableKindsVariable] else { return }
        #if DEBUG
            let kinds = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            let unknown = kinds.filter { !registry.kinds.contains($0) }
            guard unknown.isEmpty else {
                throw ValidationError(
                    "\(disableKindsVariable) names kinds this bursard does not run: \(unknown.joined(separator: ", "))")
            }
            for kind in kinds { registry.unregister(kind) }
            let names = kinds.joined(separator: ", ")
            logger.warning(
                "\(disableKindsVariable) is set (a test setting): this process runs no job of the kinds \(names)")
        #else
            throw ValidationError(
                "\(disableKindsVariable) is a test setting of debug builds; remove it from bursard's environment")
        #endif
    }

    public func run() async throws {
        try service.bootstrapLogging()
        try service.applyDatabaseURL()
        let logger = Logger(label: "bursard")
        var configuration = WorkerProcess.configuration(concurrency: concurrency, drain: false)
        configuration.shutdownDeadline = .seconds(shutdownDeadline)
        configuration.lease = .seconds(lease)
        try service.apply(to: &configuration)
        if benchQueue { configuration.queues["bench"] = concurrency ?? 16 }
        try await Runner.withDatabase(poolSize: configuration.handlerConnections) { database in
            var registry = BursarWorkers.registry(database: database)
            if benchQueue {
                try await database.pool.withConnection { try await BenchFixtures.createEffectsTable(on: $0) }
                BenchJobs.register(into: &registry, pool: database.pool)
            }
            try Self.disableKinds(in: &registry, logger: logger)
            let supervisor = Supervisor(
                client: database.queue, conninfo: database.conninfo,
                registry: registry, configuration: configuration, logger: logger)
            logger.info(
                "bursard started",
                metadata: [
                    "worker": "\(configuration.workerID)",
                    "database": "\(ConnectionTarget.describe(database.conninfo))",
                ])
            let group = ServiceGroup(
                configuration: .init(
                    services: try WorkerProcess.services(
                        around: supervisor, database: database, options: service, logger: logger),
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
            logger.info("bursard stopped")
        }
    }
}
