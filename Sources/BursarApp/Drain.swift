import ArgumentParser
import Foundation
import JobQueue
import Logging
import Screening
import Store
import Workers

/// `bursar drain`: runs the workers in the foreground until no job is runnable, then says what
/// it left (paused queues, jobs scheduled later). It registers in `bursar_workers` like
/// `bursard`, so `bursar status` lists it. SIGINT or SIGTERM stop it as they stop `bursard`:
/// jobs in flight may finish within the shutdown deadline, the rest are released to the queue at
/// once (not left `running` until their leases lapse); it says what it did and exits 130 or 143.
struct Drain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the workers until no job is runnable, then exit (batch mode).",
        discussion: """
            Jobs of paused queues and jobs scheduled more than 10 s ahead are left; drain says how many.
            Ctrl-C (SIGINT) or SIGTERM: jobs in flight finish or go back to the queue; exit 130 or 143.
            Example: bursar submit batch.ndjson && bursar drain
            """)

    @Option(help: "Concurrent jobs per queue (default: applications 16, lifecycle 4, payments 1).")
    var concurrency: Int?

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func run() async throws {
        let configuration = WorkerProcess.configuration(concurrency: concurrency, drain: true)
        let poolSize = configuration.handlerConnections
        let (summary, left, signal) = try await Runner.withDatabase(poolSize: poolSize) { database in
            let supervisor = WorkerProcess.supervisor(database: database, concurrency: concurrency, drain: true)
            let signals = StopSignals { supervisor.stop() }
            let summary = await WorkerProcess.runRegistered(supervisor, database: database)
            return (summary, try await supervisor.leftovers(), signals.received)
        }
        if !quiet {
            printLine(
                "processed \(Wording.count(summary.completed, "job")) "
                    + "(\(Wording.count(summary.failed, "failed attempt")))")
            if let signal {
                let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
                printLine("stopped by \(name): jobs not finished went back to the queue")
            }
            for paused in left.pausedQueues {
                printLine(
                    "left \(Wording.count(paused.jobs, "job")) in paused queue \(paused.queue) "
                        + "(resume it with `bursar queues resume \(paused.queue)`)")
            }
            if left.scheduledLater > 0 {
                let next =
                    left.nextScheduledAt.map { " (the next at \(ISO8601DateFormatter().string(from: $0)))" }
                    ?? ""
                printLine("left \(Wording.count(left.scheduledLater, "job")) scheduled for later\(next)")
            }
        }
        if let signal { throw ExitCode(128 + signal) }
    }
}

/// SIGINT and SIGTERM, caught while a command runs: the first calls `stop` and is remembered.
final class StopSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var first: Int32?
    private var sources: [DispatchSourceSignal] = []

    init(_ stop: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                self?.record(number)
                stop()
            }
            source.resume()
            sources.append(source)
        }
    }

    private func record(_ number: Int32) {
        lock.lock()
        if first == nil { first = number }
        lock.unlock()
    }

    /// The first signal received, if any.
    var received: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return first
    }
}
