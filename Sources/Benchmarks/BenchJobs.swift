import Foundation
import JobQueue
import Postgres
import Store

/// Job kinds of the queue benchmark and of the queue's multi-process tests (bench.noop,
/// bench.record, and bench.marker when its folder is given): they know nothing
/// of scholarships.
public enum BenchJobs {
    public static let noop = "bench.noop"
    public static let record = "bench.record"

    struct Key: Codable, Sendable { let key: String }

    /// Does nothing; completes through the batched completer.
    struct Noop: JobHandler {
        static let kind = BenchJobs.noop
        func run(_ job: JobRun<Key>) async throws {}
    }

    /// Inserts one row under a unique constraint and completes in the same transaction: a
    /// second run of the same job would fail on the constraint, so exactly-once is checkable.
    struct Record: JobHandler {
        static let kind = BenchJobs.record
        let pool: ConnectionPool
        func run(_ job: JobRun<Key>) async throws {
            try await pool.withTransaction { connection in
                try await BenchFixtures.recordEffect(
                    key: job.arguments.key, jobID: job.job.id, worker: ProcessInfo.processInfo.processIdentifier,
                    on: connection)
                try await job.complete(on: connection)
            }
        }
    }

    public static let marker = "bench.marker"
    /// The folder `bench.marker` writes its effects in; the kind is served only when it is set.
    public static let markersVariable = "BURSAR_BENCH_MARKERS"

    struct MarkerArguments: Codable, Sendable {
        let key: String
        /// How long the job works before its effect, in milliseconds.
        let milliseconds: Int
    }

    /// Works a while, then writes its effect outside the database — a line (this process's id)
    /// appended to a file named by the job's id — and completes through the batched completer
    /// (no completion of its own): the queue's chaos test counts each job's lines.
    struct Marker: JobHandler {
        static let kind = BenchJobs.marker
        let directory: String
        func run(_ job: JobRun<MarkerArguments>) async throws {
            try await Task.sleep(for: .milliseconds(job.arguments.milliseconds))
            let descriptor = open(directory + "/\(job.job.id)", O_WRONLY | O_CREAT | O_APPEND, 0o644)
            guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
            defer { close(descriptor) }
            let line = Array("\(ProcessInfo.processInfo.processIdentifier) \(job.job.attempt)\n".utf8)
            guard write(descriptor, line, line.count) == line.count else { throw CocoaError(.fileWriteUnknown) }
        }
    }

    /// A registry of the bench kinds alone (the queue benchmark, `bursar bench worker`).
    public static func registry(pool: ConnectionPool) -> JobRegistry {
        var registry = JobRegistry()
        register(into: &registry, pool: pool)
        return registry
    }

    /// Adds the bench kinds to a registry (`bursard --bench-queue`).
    public static func register(into registry: inout JobRegistry, pool: ConnectionPool) {
        registry.register(Noop())
        registry.register(Record(pool: pool))
        if let directory = ProcessInfo.processInfo.environment[markersVariable] {
            registry.register(Marker(directory: directory))
        }
    }
}
