import ArgumentParser
import Foundation
import JobQueue
import Logging
import Store
import Workers

/// `bursar drain`: runs the workers in the foreground until no job is runnable, then says what
/// it left (paused queues, jobs scheduled later).
struct Drain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the workers until no job is runnable, then exit (batch mode).",
        discussion: """
            Jobs of paused queues and jobs scheduled more than 10 s ahead are left; drain says how many.
            Example: bursar submit batch.ndjson && bursar drain
            """)

    @Option(help: "Concurrent jobs per queue (default: applications 16, lifecycle 4, payments 1).")
    var concurrency: Int?

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func run() async throws {
        let configuration = WorkerProcess.configuration(concurrency: concurrency, drain: true)
        let (summary, left) = try await Runner.withDatabase(poolSize: configuration.handlerConnections) { database in
            let supervisor = WorkerProcess.supervisor(database: database, concurrency: concurrency, drain: true)
            let summary = await supervisor.runToEnd()
            return (summary, try await supervisor.leftovers())
        }
        guard !quiet else { return }
        printLine("processed \(summary.completed) jobs (\(summary.failed) failed attempts)")
        for paused in left.pausedQueues {
            printLine("left \(paused.jobs) jobs in paused queue \(paused.queue) (resume it with `bursar queues resume \(paused.queue)`)")
        }
        if left.scheduledLater > 0 {
            let next = left.nextScheduledAt.map { " (the next at \(ISO8601DateFormatter().string(from: $0)))" } ?? ""
            printLine("left \(left.scheduledLater) jobs scheduled for later\(next)")
        }
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
