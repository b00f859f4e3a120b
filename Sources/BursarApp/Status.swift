import ArgumentParser
import Foundation
import JobQueue
import Screening
import Store

/// `bursar status`: the queue — jobs per queue and state, throughput, failures, oldest waiting,
/// and the processes working now.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Show the job queue: jobs per queue and state, throughput, failures, oldest waiting, processes working "
                + "now.",
        discussion: "Example: bursar status; bursar status --json")

    @Flag(help: "Print as JSON.")
    var json = false

    /// `status --json` (interface §6): per queue the counts per state and the oldest runnable
    /// job's age, and the jobs completed in the last minute.
    struct Report: Encodable {
        struct Queue: Encodable {
            let counts: [String: Int]
            let oldestRunnableAgeSeconds: Double?
            let paused: Bool

            enum CodingKeys: String, CodingKey {
                case paused
                case oldestRunnableAgeSeconds = "oldest_runnable_age_s"
            }

            /// The counts sit beside the other members, one per state (`"available": 3`).
            func encode(to encoder: Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(oldestRunnableAgeSeconds, forKey: .oldestRunnableAgeSeconds)
                try container.encode(paused, forKey: .paused)
                try counts.encode(to: encoder)
            }
        }

        struct Failure: Encodable {
            let kind: String
            let count: Int
            let lastError: String

            enum CodingKeys: String, CodingKey {
                case kind, count
                case lastError = "last_error"
            }
        }

        /// A process working now (`bursard` or `bursar drain`).
        struct Worker: Encodable {
            let id: String
            let host: String
            let pid: Int
            let startedAt: String
            let inFlight: Int
            let queues: [String]

            enum CodingKeys: String, CodingKey {
                case id, host, pid, queues
                case startedAt = "started_at"
                case inFlight = "in_flight"
            }

            init(_ worker: WorkerRegistry.Worker) {
                id = worker.id
                host = worker.host
                pid = worker.pid
                startedAt = worker.startedAt
                inFlight = worker.inFlight
                queues = worker.queues
            }
        }

        let queues: [String: Queue]
        let completedLastMinute: Int
        let recentFailures: [Failure]
        let workers: [Worker]

        enum CodingKeys: String, CodingKey {
            case queues, workers
            case completedLastMinute = "completed_last_minute"
            case recentFailures = "recent_failures"
        }

        init(_ stats: QueueStatistics, workers: [WorkerRegistry.Worker]) {
            queues = Dictionary(
                uniqueKeysWithValues: stats.queues.map { q in
                    (
                        q.name,
                        Queue(
                            counts: Dictionary(
                                uniqueKeysWithValues: JobState.allCases.map { ($0.rawValue, q.counts[$0] ?? 0) }),
                            oldestRunnableAgeSeconds: q.oldestRunnableAgeSeconds.map { ($0 * 1000).rounded() / 1000 },
                            paused: q.paused)
                    )
                })
            completedLastMinute = stats.completedLastMinute
            recentFailures = stats.recentFailures.map {
                Failure(kind: $0.kind, count: $0.count, lastError: $0.lastMessage)
            }
            self.workers = workers.map(Worker.init)
        }
    }

    func run() async throws {
        let (stats, workers) = try await Runner.withDatabase { database in
            (
                try await QueueStatistics.load(pool: database.pool),
                try await database.pool.withConnection { try await WorkerRegistry.live(on: $0) }
            )
        }
        if json {
            printLine(try CLI.json(Report(stats, workers: workers)))
            return
        }
        if stats.queues.isEmpty { printLine("no jobs yet") }
        let states: [JobState] = [.available, .scheduled, .running, .retryable, .completed, .discarded, .cancelled]
        // Columns as wide as their widest cell, so a paused queue's longer name moves nothing.
        let names = stats.queues.map { $0.name + ($0.paused ? " (paused)" : "") }
        let nameWidth = (names + ["queue"]).map(\.count).max()! + 2
        let widths = states.map { state in
            max(state.rawValue.count, stats.queues.map { String($0.counts[state] ?? 0).count }.max() ?? 0) + 2
        }
        func cell(_ text: String, _ width: Int) -> String {
            text.padding(toLength: max(width, text.count + 1), withPad: " ", startingAt: 0)
        }
        printLine(
            cell("queue", nameWidth) + zip(states, widths).map { cell($0.rawValue, $1) }.joined() + "oldest waiting")
        for (q, name) in zip(stats.queues, names) {
            let oldest = q.oldestRunnableAgeSeconds.map { String(format: "%.1fs", $0) } ?? "-"
            printLine(
                cell(name, nameWidth) + zip(states, widths).map { cell(String(q.counts[$0] ?? 0), $1) }.joined()
                    + oldest)
        }
        printLine("(completed, discarded and cancelled: last hour)")
        printLine("completed in the last minute: \(stats.completedLastMinute)")
        for f in stats.recentFailures {
            printLine("failures of \(f.kind): \(f.count) — last: \(f.lastMessage.prefix(200))")
        }
        printLine(workers.isEmpty ? "no process is working now" : "processes working now:")
        for w in workers {
            printLine(
                "  \(w.host) pid \(w.pid), started \(w.startedAt), \(Wording.count(w.inFlight, "job")) in flight "
                    + "(\(w.queues.joined(separator: ", ")))"
            )
        }
    }
}
