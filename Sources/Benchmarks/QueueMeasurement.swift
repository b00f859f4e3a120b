import Formats
import Foundation
import JobQueue
import Logging
import Postgres
import Store

/// `bursar bench queue --jobs N [--retained M]`'s measurement: enqueue rate, processing rate of no-op jobs,
/// enqueue→start latency on an idle queue, and the raw SQL ceiling (claim-100 + complete-batch
/// statements in a loop on 2 connections, no worker machinery) measured on the same database in
/// the same run. With `--retained M` the table first holds M finished jobs, written with one
/// `generate_series` insert and analysed, as a queue in service holds a day of history.
///
/// How the ratio is measured on a noisy machine: the queue (A) and the ceiling (B) are measured
/// `--rounds` times, interleaved A B B A A B … so a drift (another build starting, autovacuum
/// of the retained rows, a cold cache) falls on both alike; before each phase the previous
/// phase's jobs are deleted and the table vacuumed and analysed, so every phase starts from the
/// same table (M finished rows + N fresh jobs) under the same statistics. The ratio is the
/// median of the rounds' ratios (each round's queue rate over its own ceiling): a slow or fast
/// round moves it no more than one place. A single
/// A-then-B pair read 0.44 and 1.70 in the same hour on a loaded machine (issue 22).
public struct QueueMeasurement: Sendable {
    /// Jobs per measurement.
    public var jobs = 100_000
    /// Worker slots for the processing measurement.
    public var concurrency = 200
    /// Jobs per claim in the raw SQL ceiling.
    public var batch = 100
    /// Finished jobs the table holds during the measurement (spec §6).
    public var retained = 0
    /// Measurements of the queue and of the ceiling, interleaved.
    public var rounds = 5

    public init() {}

    /// Measures on `database` and returns the report's fields in order (name, JSON value).
    public func run(_ database: Database) async throws -> [(String, String)] {
        try await measure(database)
    }

    private func measure(_ database: Database) async throws -> [(String, String)] {
        try await prepareTable(database)
        var enqueued: [Double] = []
        var processed: [Double] = []
        var ceilings: [Double] = []
        for round in 0..<rounds {
            // A B, then B A: each kind of phase comes first as often as second.
            let queueFirst = round % 2 == 0
            for phase in queueFirst ? [true, false] : [false, true] {
                try await resetPhase(database)
                if phase {
                    let rates = try await measureQueue(database)
                    enqueued.append(rates.enqueued)
                    processed.append(rates.processed)
                } else {
                    let (done, seconds) = try await measureCeiling(database, jobs: inserts("bench-raw"))
                    ceilings.append(Double(done) / seconds)
                }
            }
        }
        let latencies = try await measureLatency(database)
        func f(_ x: Double) -> String { String(format: "%.1f", x) }
        func list(_ xs: [Double]) -> String { "[" + xs.map(f).joined(separator: ", ") + "]" }
        // Each round's queue phase over its own ceiling phase, then the median of those ratios:
        // the pairing keeps a drift that falls on one round out of the others' figures.
        let ratio = Self.median(zip(processed, ceilings).map { $0 / $1 })
        var result = [
            ("jobs", String(jobs)), ("enqueue_per_s", f(Self.median(enqueued))),
            ("processed_per_s", f(Self.median(processed))), ("ceiling_per_s", f(Self.median(ceilings))),
            ("ratio_to_ceiling", String(format: "%.3f", ratio)),
            ("latency_p50_ms", String(format: "%.2f", latencies.p50)),
            ("latency_p99_ms", String(format: "%.2f", latencies.p99)),
            ("concurrency", String(concurrency)), ("rounds", String(rounds)),
            ("processed_per_s_rounds", list(processed)), ("ceiling_per_s_rounds", list(ceilings)),
        ]
        if retained > 0 { result.append(("retained", String(retained))) }
        return result
    }

    /// The median of `values` (the mean of the middle two for an even count); NaN when empty.
    public static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    private func inserts(_ queue: String) -> [JobInsert] {
        (0..<jobs).map { JobInsert(kind: BenchJobs.noop, queue: queue, args: "{\"key\": \"\($0)\"}") }
    }

    /// One queue phase: enqueue (bulk inserts of 5,000 per statement and transaction), then
    /// process through the supervisor and its worker tasks until the queue is drained.
    private func measureQueue(_ database: Database) async throws -> (enqueued: Double, processed: Double) {
        let client = database.queue
        let toEnqueue = inserts("bench")
        let enqueueStart = ContinuousClock.now
        for start in stride(from: 0, to: jobs, by: 5000) {
            let slice = Array(toEnqueue[start..<min(jobs, start + 5000)])
            try await database.pool.withTransaction { try await client.enqueue(slice, on: $0) }
        }
        let enqueueSeconds = (ContinuousClock.now - enqueueStart).seconds
        var configuration = Supervisor.Configuration(queues: ["bench": concurrency])
        configuration.drain = true
        let supervisor = Supervisor(
            client: client, conninfo: database.conninfo, registry: BenchJobs.registry(pool: database.pool),
            configuration: configuration, logger: Logger(label: "bench"))
        let processStart = ContinuousClock.now
        let summary = await supervisor.runToEnd()
        let processSeconds = (ContinuousClock.now - processStart).seconds
        return (Double(jobs) / enqueueSeconds, Double(summary.completed) / processSeconds)
    }

    /// Before each phase: the previous phase's jobs deleted, the table vacuumed and analysed.
    private func resetPhase(_ database: Database) async throws {
        try await database.pool.withConnection { connection in
            try await BenchFixtures.clearQueues(["bench", "bench-raw"], on: connection)
        }
    }

    /// Empties the bench queues and leaves exactly `retained` finished jobs in the table, then
    /// vacuums and analyses it so plans run under real statistics.
    private func prepareTable(_ database: Database) async throws {
        try await database.pool.withConnection { connection in
            try await BenchFixtures.retainFinishedJobs(retained, kind: BenchJobs.noop, on: connection)
            try await BenchFixtures.clearQueues(["bench", "bench-raw", "bench-latency"], on: connection)
        }
    }

    /// The raw SQL ceiling: the claim and batch-complete statements in a loop on 2 connections.
    private func measureCeiling(_ database: Database, jobs raw: [JobInsert]) async throws -> (
        done: Int, seconds: Double
    ) {
        for start in stride(from: 0, to: raw.count, by: 5000) {
            let slice = Array(raw[start..<min(raw.count, start + 5000)])
            try await database.pool.withTransaction { try await database.queue.enqueue(slice, on: $0) }
        }
        let pool = ConnectionPool(conninfo: database.conninfo, size: 2)
        let client = JobQueueClient(pool: pool)
        let batch = self.batch
        let start = ContinuousClock.now
        let done = try await withThrowingTaskGroup(of: Int.self) { group in
            for lane in 0..<2 {
                group.addTask {
                    var done = 0
                    while true {
                        let claimed = try await client.claim(
                            queue: "bench-raw", limit: batch, worker: "raw-\(lane)", lease: .seconds(30))
                        if claimed.isEmpty { return done }
                        done += try await client.complete(claimed)
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        let seconds = (ContinuousClock.now - start).seconds
        await pool.shutdown()
        return (done, seconds)
    }

    /// Enqueue→start latency on an idle queue: single jobs 20 ms apart, started by a running
    /// supervisor woken by NOTIFY.
    private func measureLatency(_ database: Database) async throws -> (p50: Double, p99: Double) {
        let collector = LatencyCollector()
        var registry = JobRegistry()
        registry.register(LatencyProbe(collector: collector))
        var configuration = Supervisor.Configuration(queues: ["bench-latency": 4])
        configuration.maintenance = false
        let supervisor = Supervisor(
            client: database.queue, conninfo: database.conninfo, registry: registry,
            configuration: configuration, logger: Logger(label: "bench"))
        let samples = 200
        await withTaskGroup(of: Void.self) { group in
            group.addTask { _ = await supervisor.runToEnd() }
            try? await Task.sleep(for: .milliseconds(500))
            for _ in 0..<samples {
                let now = Date().timeIntervalSince1970
                _ = try? await database.queue.enqueue(
                    JobInsert(kind: LatencyProbe.kind, queue: "bench-latency", args: "{\"sent\": \(now)}"))
                try? await Task.sleep(for: .milliseconds(20))
            }
            try? await Task.sleep(for: .milliseconds(300))
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

extension Duration {
    /// This duration in seconds, for rates.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
