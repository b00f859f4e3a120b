import ArgumentParser
import Foundation
import JobQueue
import Screening
import Store

/// `bursar status`: the queue — jobs per queue and state, throughput, failures, oldest waiting,
/// and the processes working now.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the job queue: jobs per queue and state, throughput, failures, oldest waiting, processes working now.")

    @Flag(help: "Print as JSON.")
    var json = false

    func run() async throws {
        let (stats, workers) = try await Runner.withDatabase { database in
            (try await QueueStatistics.load(pool: database.pool),
             try await database.pool.withConnection { try await WorkerRegistry.live(on: $0) })
        }
        if json {
            let queues = stats.queues.map { q in
                (q.name, JSONWriter.object(JobState.allCases.map { ($0.rawValue, String(q.counts[$0] ?? 0)) } + [
                    ("oldest_runnable_age_s", q.oldestRunnableAgeSeconds.map { String(format: "%.3f", $0) } ?? "null"),
                    ("paused", q.paused ? "true" : "false"),
                ]))
            }
            let failures = stats.recentFailures.map {
                JSONWriter.object([("kind", JSONWriter.string($0.kind)), ("count", String($0.count)), ("last_error", JSONWriter.string($0.lastMessage))])
            }
            printLine(JSONWriter.object([("queues", JSONWriter.object(queues)), ("completed_last_minute", String(stats.completedLastMinute)),
                                         ("recent_failures", "[" + failures.joined(separator: ", ") + "]"),
                                         ("workers", "[" + workers.map(Self.json).joined(separator: ", ") + "]")]))
            return
        }
        if stats.queues.isEmpty { printLine("no jobs yet") }
        let states: [JobState] = [.available, .scheduled, .running, .retryable, .completed, .discarded, .cancelled]
        printLine("queue".padding(toLength: 14, withPad: " ", startingAt: 0) + states.map { $0.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0) }.joined() + "oldest waiting")
        for q in stats.queues {
            let oldest = q.oldestRunnableAgeSeconds.map { String(format: "%.1fs", $0) } ?? "-"
            printLine((q.name + (q.paused ? " (paused)" : "")).padding(toLength: 14, withPad: " ", startingAt: 0)
                      + states.map { String(q.counts[$0] ?? 0).padding(toLength: 11, withPad: " ", startingAt: 0) }.joined() + oldest)
        }
        printLine("(completed, discarded and cancelled: last hour)")
        printLine("completed in the last minute: \(stats.completedLastMinute)")
        for f in stats.recentFailures { printLine("failures of \(f.kind): \(f.count) — last: \(f.lastMessage.prefix(200))") }
        printLine(workers.isEmpty ? "no process is working now" : "processes working now:")
        for w in workers {
            printLine("  \(w.host) pid \(w.pid), started \(w.startedAt), \(w.inFlight) job\(w.inFlight == 1 ? "" : "s") in flight (\(w.queues.joined(separator: ", ")))")
        }
    }

    static func json(_ worker: WorkerRegistry.Worker) -> String {
        JSONWriter.object([
            ("id", JSONWriter.string(worker.id)), ("host", JSONWriter.string(worker.host)), ("pid", String(worker.pid)),
            ("started_at", JSONWriter.string(worker.startedAt)), ("in_flight", String(worker.inFlight)),
            ("queues", JSONWriter.strings(worker.queues)),
        ])
    }
}
