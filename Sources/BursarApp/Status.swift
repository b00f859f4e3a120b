import ArgumentParser
import Foundation
import JobQueue
import Screening
import Store

/// `bursar status`: the queue — jobs per queue and state, throughput, failures, oldest waiting.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the job queue: jobs per queue and state, throughput, failures, oldest waiting.")

    @Flag(help: "Print as JSON.")
    var json = false

    func run() async throws {
        let stats = try await Runner.withDatabase { try await QueueStatistics.load(pool: $0.pool) }
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
                                         ("recent_failures", "[" + failures.joined(separator: ", ") + "]")]))
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
    }
}
