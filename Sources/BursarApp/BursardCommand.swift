import ArgumentParser
import Foundation
import JobQueue
import Logging
import Postgres
import ServiceLifecycle
import Store
import Workers

/// `bursard`: the server. Runs the workers (and the elected maintenance services) until
/// SIGTERM or SIGINT, then drains jobs in flight and exits 0.
public struct BursardCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "bursard",
        abstract: "Run Bursar's workers until stopped (SIGTERM drains jobs in flight and exits 0).",
        discussion: ServiceOptions.environmentHelp + "\nExample: DATABASE_URL=postgresql://bursar@db/bursar bursard --http-port 8750",
        version: BursarVersion.text)

    @Option(help: "Concurrent jobs per queue (default: applications 16, lifecycle 4, payments 1).")
    var concurrency: Int?

    @Option(help: "Seconds jobs in flight may take to finish after SIGTERM before they are released.")
    var shutdownDeadline: Double = 10

    @OptionGroup var service: ServiceOptions

    public init() {}

    public func run() async throws {
        try service.bootstrapLogging()
        service.applyDatabaseURL()
        let logger = Logger(label: "bursard")
        try await Runner.withDatabase(poolSize: 32) { database in
            var configuration = WorkerProcess.configuration(concurrency: concurrency, drain: false)
            configuration.shutdownDeadline = shutdownDeadline
            try service.apply(to: &configuration)
            let supervisor = Supervisor(client: database.queue, conninfo: database.conninfo,
                                        registry: BursarWorkers.registry(database: database), configuration: configuration, logger: logger)
            logger.info("bursard started", metadata: ["worker": "\(configuration.workerID)", "database": "\(ConnectionTarget.describe(database.conninfo))"])
            let group = ServiceGroup(configuration: .init(services: try WorkerProcess.services(around: supervisor, database: database, options: service, logger: logger),
                                                          gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
            logger.info("bursard stopped")
        }
    }
}
