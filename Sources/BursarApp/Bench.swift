import ArgumentParser
import Benchmarks
import Formats
import Foundation
import JobQueue
import Logging
import Postgres
import ServiceLifecycle
import Store

/// `bursar bench queue|pipeline|screening|partners|whatif`: benchmarks that report ratios against
/// a baseline measured in the same run. The measurements live in the `Benchmarks` target; these
/// commands read their options and print.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks (queue, pipeline, screening, partners).",
        discussion: "Example: bursar bench queue --jobs 100000 --json",
        subcommands: [
            QueueBench.self, PipelineBench.self, ScreeningBench.self, PartnersBench.self, WhatIfBench.self, Worker.self,
        ])

    /// A queue worker process for benchmarks and tests (hidden).
    struct Worker: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run bench/test queue workers (bench.noop, bench.record).", shouldDisplay: false)
        @Option var concurrency = 16
        @Option var queue = "bench"
        @Option var workerID: String?
        @Flag var drain = false
        @Flag var noMaintenance = false
        @Option var lease: Double = 10

        func run() async throws {
            CLI.bootstrapLoggingOnce(level: .warning)
            let logger = Logger(label: "bench.worker")
            var configuration = Supervisor.Configuration(
                workerID: workerID ?? Supervisor.defaultWorkerID(), queues: [queue: concurrency])
            configuration.drain = drain
            configuration.maintenance = !noMaintenance
            configuration.lease = .seconds(lease)
            configuration.maintenanceConfiguration.leaderLease = .seconds(3)
            try await Runner.withDatabase(poolSize: configuration.handlerConnections) { database in
                try await database.pool.withConnection { try await BenchFixtures.createEffectsTable(on: $0) }
                let supervisor = Supervisor(
                    client: database.queue, conninfo: database.conninfo,
                    registry: BenchJobs.registry(pool: database.pool), configuration: configuration, logger: logger)
                if drain {
                    let summary = await supervisor.runToEnd()
                    printLine("completed \(summary.completed)")
                } else {
                    let group = ServiceGroup(
                        configuration: .init(
                            services: [supervisor], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
                    try await group.run()
                }
            }
        }
    }
}

/// How every benchmark prints its fields.
enum BenchOutput {
    /// One JSON object (`--json`; each value is already JSON), else a `name: value` line each.
    static func print(_ fields: [(String, String)], json: Bool) {
        if json {
            printLine(JSONWriter.object(fields))
        } else {
            for (key, value) in fields { printLine("\(key): \(value)") }
        }
    }
}
