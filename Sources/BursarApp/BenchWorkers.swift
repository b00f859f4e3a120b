import Foundation
import JobQueue
import Postgres
import Store

/// Job kinds of the queue benchmark and of the queue's multi-process tests: they know nothing
/// of scholarships.
enum BenchJobs {
    static let noop = "bench.noop"
    static let record = "bench.record"

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
                try await connection.query("INSERT INTO bench_effects (key, job_id, worker) VALUES ($1, $2, $3)",
                                           job.arguments.key, job.job.id, ProcessInfo.processInfo.processIdentifier)
                try await job.complete(on: connection)
            }
        }
    }

    /// Creates the effects table; several processes may start at once, and concurrent
    /// `CREATE TABLE IF NOT EXISTS` can collide, so they take turns under an advisory lock.
    static func prepare(_ connection: Connection) async throws {
        try await connection.withTransaction { conn in
            try await conn.query("SELECT pg_advisory_xact_lock($1)", Int64(0x6265_6e63_68))
            try await conn.simpleQuery("""
                CREATE TABLE IF NOT EXISTS bench_effects (key text PRIMARY KEY, job_id bigint NOT NULL, worker integer NOT NULL,
                                                          at timestamptz NOT NULL DEFAULT now())
                """)
        }
    }

    static func registry(pool: ConnectionPool) -> JobRegistry {
        var registry = JobRegistry()
        register(into: &registry, pool: pool)
        return registry
    }

    /// Adds the bench kinds to a registry (`bursard --bench-queue`).
    static func register(into registry: inout JobRegistry, pool: ConnectionPool) {
        registry.register(Noop())
        registry.register(Record(pool: pool))
    }
}
