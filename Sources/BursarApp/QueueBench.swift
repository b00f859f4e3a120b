import ArgumentParser
import Screening
import Foundation
import JobQueue
import Logging
import Postgres
import Store

/// `bursar bench queue --jobs N`: enqueue rate, processing rate of no-op jobs, enqueue→start
/// latency on an idle queue, and the raw SQL ceiling (claim-batch + complete-batch statements
/// in a loop, no worker machinery) measured on the same database in the same run.
struct QueueBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queue", abstract: "Benchmark the job queue against a raw SQL ceiling.", discussion: "Example: bursar bench queue --jobs 100000 --retained 1000000 --json")
    @Option(help: "Jobs per measurement.") var jobs = 100_000
    @Option(help: "Worker slots for the processing measurement.") var concurrency = 200
    @Option(help: "Jobs per claim in the raw SQL ceiling.") var batch = 200
    @Flag(help: "Print as JSON (interface §6).") var json = false

    func run() async throws {
        let result = try await Runner.withDatabase(poolSize: 16) { database in try await measure(database) }
        if json {
            printLine(JSONWriter.object(result.map { ($0.0, $0.1) }))
        } else {
            for (key, value) in result { printLine("\(key): \(value)") }
        }
    }

    private func measure(_ database: Database) async throws -> [(String, String)] {
        let client = database.queue
        try await database.pool.withConnection { connection in
            try await connection.query("DELETE FROM bursar_jobs WHERE queue IN ('bench', 'bench-raw', 'bench-latency')")
        }
        func inserts(_ queue: String) -> [JobInsert] {
            (0..<jobs).map { JobInsert(kind: BenchJobs.noop, queue: queue, args: "{\"key\": \"\($0)\"}") }
        }
        // Enqueue: bulk inserts of 5,000 per statement and transaction.
        let toEnqueue = inserts("bench")
        let enqueueStart = Date()
        for start in stride(from: 0, to: jobs, by: 5000) {
            let slice = Array(toEnqueue[start..<min(jobs, start + 5000)])
            try await database.pool.withTransaction { try await client.enqueue(slice, on: $0) }
        }
        let enqueueSeconds = Date().timeIntervalSince(enqueueStart)

        // Processing through the supervisor and worker tasks.
        var configuration = Supervisor.Configuration(queues: ["bench": concurrency])
        configuration.drain = true
        let supervisor = Supervisor(client: client, conninfo: database.conninfo, registry: BenchJobs.registry(pool: database.pool),
                                    configuration: configuration, logger: Logger(label: "bench"))
        let processStart = Date()
        let summary = await supervisor.runToEnd()
        let processSeconds = Date().timeIntervalSince(processStart)

        // The raw SQL ceiling: the same claim and complete statements in a loop.
        for start in stride(from: 0, to: jobs, by: 5000) {
            let slice = Array(inserts("bench-raw")[start..<min(jobs, start + 5000)])
            try await database.pool.withTransaction { try await client.enqueue(slice, on: $0) }
        }
        let rawStart = Date()
        var rawDone = 0
        while true {
            let claimed = try await client.claim(queue: "bench-raw", limit: batch, worker: "raw", lease: 30)
            if claimed.isEmpty { break }
            rawDone += try await client.complete(claimed)
        }
        let rawSeconds = Date().timeIntervalSince(rawStart)

        let latencies = try await measureLatency(database)
        let processed = Double(summary.completed) / processSeconds
        let ceiling = Double(rawDone) / rawSeconds
        func f(_ x: Double) -> String { String(format: "%.1f", x) }
        return [
            ("jobs", String(jobs)), ("enqueue_per_s", f(Double(jobs) / enqueueSeconds)), ("processed_per_s", f(processed)),
            ("ceiling_per_s", f(ceiling)), ("ratio_to_ceiling", String(format: "%.3f", processed / ceiling)),
            ("latency_p50_ms", String(format: "%.2f", latencies.p50)), ("latency_p99_ms", String(format: "%.2f", latencies.p99)),
            ("concurrency", String(concurrency)),
        ]
    }

    /// Enqueue→start latency on an idle queue: single jobs 20 ms apart, started by a running
    /// supervisor woken by NOTIFY.
    private func measureLatency(_ database: Database) async throws -> (p50: Double, p99: Double) {
        let collector = LatencyCollector()
        var registry = JobRegistry()
        registry.register(LatencyProbe(collector: collector))
        var configuration = Supervisor.Configuration(queues: ["bench-latency": 4])
        configuration.maintenance = false
        let supervisor = Supervisor(client: database.queue, conninfo: database.conninfo, registry: registry,
                                    configuration: configuration, logger: Logger(label: "bench"))
        let samples = 200
        await withTaskGroup(of: Void.self) { group in
            group.addTask { _ = await supervisor.runToEnd() }
            try? await Task.sleep(nanoseconds: 500_000_000)
            for _ in 0..<samples {
                let now = Date().timeIntervalSince1970
                _ = try? await database.queue.enqueue(JobInsert(kind: LatencyProbe.kind, queue: "bench-latency", args: "{\"sent\": \(now)}"))
                try? await Task.sleep(nanoseconds: 20_000_000)
            }
            try? await Task.sleep(nanoseconds: 300_000_000)
            supervisor.stop()
        }
        let values = await collector.values.sorted()
        guard !values.isEmpty else { return (.nan, .nan) }
        return (values[values.count / 2], values[min(values.count - 1, Int(Double(values.count) * 0.99))])
    }
}

actor LatencyCollector {
    var values: [Double] = []
    func add(_ value: Double) { values.append(value) }
}

/// Records how long after its insert a job started.
struct LatencyProbe: JobHandler {
    static let kind = "bench.latency"
    struct Sent: Codable, Sendable { let sent: Double }
    let collector: LatencyCollector
    func run(_ job: JobRun<Sent>) async throws {
        await collector.add((Date().timeIntervalSince1970 - job.arguments.sent) * 1000)
    }
}
