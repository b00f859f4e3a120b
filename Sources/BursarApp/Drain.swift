import ArgumentParser
import Foundation
import JobQueue
import Logging
import Store
import Workers

/// `bursar drain`: runs the workers in the foreground until no job is runnable.
struct Drain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the workers until no job is runnable, then exit (batch mode).",
                                                    discussion: "Example: bursar submit batch.ndjson && bursar drain")

    @Option(help: "Concurrent jobs per queue (default: applications 16, lifecycle 4, payments 1).")
    var concurrency: Int?

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func run() async throws {
        let summary = try await Runner.withDatabase(poolSize: 24) { database in
            try await WorkerProcess.drain(database: database, concurrency: concurrency)
        }
        if !quiet { printLine("processed \(summary.completed) jobs (\(summary.failed) failed attempts)") }
    }
}

/// Runs Bursar's workers in this process (shared by `bursar drain`, `bursard` and the benchmark).
enum WorkerProcess {
    static func configuration(concurrency: Int?, drain: Bool) -> Supervisor.Configuration {
        var queues = JobKinds.queues
        if let concurrency { for key in queues.keys { queues[key] = key == "payments" ? 1 : concurrency } }
        var configuration = Supervisor.Configuration(queues: queues)
        configuration.drain = drain
        return configuration
    }

    static func drain(database: Database, concurrency: Int?) async throws -> Supervisor.Summary {
        await supervisor(database: database, concurrency: concurrency, drain: true).runToEnd()
    }

    /// A supervisor running Bursar's workers; with `drain` it stops once no job is runnable.
    static func supervisor(database: Database, concurrency: Int?, drain: Bool) -> Supervisor {
        Supervisor(client: database.queue, conninfo: database.conninfo, registry: BursarWorkers.registry(database: database),
                   configuration: configuration(concurrency: concurrency, drain: drain), logger: Logger(label: "bursar.drain"))
    }
}
