import Foundation
import Logging
import Postgres
import Testing

@testable import JobQueue

/// Issue 22, item 8: a handler that completes its job inside its own transaction counts it done
/// only once that transaction commits. Before the fix the mark was set when the UPDATE ran, so a
/// transaction rolled back at `COMMIT` left the job `running` (nobody completed or retried it
/// until its lease lapsed, then it ran again) while the process counted it completed.
@Suite(.enabled(if: QueueTestDatabase.available, "BURSAR_TEST_DATABASE_URL is not set: run scripts/test.sh"))
struct InlineCompletionTests {
    struct Empty: Codable, Sendable {}

    /// Writes its effect under a deferred unique constraint that fails at `COMMIT` for the first
    /// `failures` runs, completing inline; it treats a failed commit as "already done elsewhere"
    /// and returns normally — the bookkeeping must follow the commit, not the handler's word.
    struct DeferredFailure: JobHandler {
        static let kind = "inline.deferred"
        let pool: ConnectionPool
        func run(_ job: JobRun<Empty>) async throws {
            do {
                try await pool.withTransaction { connection in
                    try await connection.query("INSERT INTO effects (k) VALUES ($1), ($1)", job.job.id)
                    try await job.complete(on: connection)
                }
            } catch let error as PostgresError where error.sqlState == "23505" {
                return
            }
        }
    }

    @Test func aCompletionWhoseCommitFailsIsNotCounted() async throws {
        let url = try await QueueTestDatabase.create()
        let client = JobQueueClient(pool: ConnectionPool(conninfo: url, size: 4))
        _ = try await client.enqueue(JobInsert(kind: "x"))
        let claimed = try await client.claim(queue: "default", limit: 1, worker: "w", lease: .seconds(60))
        let connection = try await Connection.connect(url)
        try await connection.simpleQuery("CREATE TABLE effects (k bigint UNIQUE DEFERRABLE INITIALLY DEFERRED)")
        let ledger = CompletionLedger()
        let run = JobRun(job: claimed[0], arguments: Empty(), ledger: ledger)
        await #expect(throws: PostgresError.self) {
            try await connection.withTransaction { conn in
                try await conn.query("INSERT INTO effects (k) VALUES (1), (1)")
                try await run.complete(on: conn)
            }
        }
        #expect(!ledger.completedInline, "the COMMIT failed: the completion did not happen")
        #expect(try await client.job(id: claimed[0].id)?.state == .running)
        await #expect(throws: PostgresError.self) {
            try await connection.withTransaction { conn in
                try await run.complete(on: conn)
                try await conn.query("SELECT 1 / 0")
            }
        }
        #expect(!ledger.completedInline, "rolled back after the completion")
        try await connection.withTransaction { conn in try await run.complete(on: conn) }
        #expect(ledger.completedInline, "committed")
        #expect(try await client.job(id: claimed[0].id)?.state == .completed)
        await connection.close()
        await client.pool.shutdown()
    }

    /// Through the supervisor: the handler's transaction fails at `COMMIT`, the handler returns;
    /// the job is completed by the queue's completer at once instead of staying `running` for
    /// its lease and running again.
    @Test func aRunWhoseInlineCommitFailedIsCompletedByTheQueue() async throws {
        let (summary, states) = try await Self.runOne(
            { DeferredFailure(pool: $0) },
            setup: "CREATE TABLE effects (k bigint UNIQUE DEFERRABLE INITIALLY DEFERRED)")
        #expect(summary.completed == 1)
        #expect(states == ["completed"], "not left running to its lease: \(states)")
    }

    /// Completes inline, commits, then throws (a later step of its own fails).
    struct ThrowsAfterCommit: JobHandler {
        static let kind = "inline.throws_after_commit"
        let pool: ConnectionPool
        struct Later: Error {}
        func run(_ job: JobRun<Empty>) async throws {
            try await pool.withTransaction { try await job.complete(on: $0) }
            throw Later()
        }
    }

    /// A run whose completion committed is counted completed even if the handler throws after it
    /// (it was counted failed, logged as a failure, while the job stood completed).
    @Test func aRunThatThrowsAfterItsCompletionCommittedCountsCompleted() async throws {
        let (summary, states) = try await Self.runOne { ThrowsAfterCommit(pool: $0) }
        #expect(
            summary.completed == 1 && summary.failed == 0, "completed \(summary.completed), failed \(summary.failed)")
        #expect(states == ["completed"])
    }

    /// Completes inline inside a savepoint it then rolls back, and commits the transaction: the
    /// completion did not happen, though the transaction committed (the ledger sees only COMMIT).
    struct SavepointUndone: JobHandler {
        static let kind = "inline.savepoint_undone"
        let pool: ConnectionPool
        func run(_ job: JobRun<Empty>) async throws {
            try await pool.withTransaction { connection in
                try await connection.simpleQuery("SAVEPOINT attempt")
                try await job.complete(on: connection)
                try await connection.simpleQuery("ROLLBACK TO SAVEPOINT attempt")
            }
        }
    }

    /// Review finding (River's way): every successful run goes to the completer, whose UPDATE is
    /// guarded by state and attempt. Before, a completion undone by `ROLLBACK TO SAVEPOINT` was
    /// counted inline and the job stayed `running` until its lease lapsed, then ran again.
    @Test func aCompletionUndoneBySavepointIsCompletedByTheQueue() async throws {
        let (summary, states) = try await Self.runOne { SavepointUndone(pool: $0) }
        #expect(summary.completed == 1)
        #expect(states == ["completed"], "not left running to its lease: \(states)")
    }

    /// Runs one job of `kind` through a draining supervisor whose handler `make` builds on the
    /// queue's pool (after `setup`); gives the run's summary and every job's state afterwards.
    private static func runOne<Handler: JobHandler>(
        _ make: (ConnectionPool) -> Handler, setup: String? = nil
    ) async throws -> (summary: Supervisor.Summary, states: [String]) {
        let url = try await QueueTestDatabase.create()
        let client = JobQueueClient(pool: ConnectionPool(conninfo: url, size: 6))
        if let setup { try await client.pool.withConnection { try await $0.simpleQuery(setup) } }
        _ = try await client.enqueue(JobInsert(kind: Handler.kind))
        var registry = JobRegistry()
        registry.register(make(client.pool))
        var configuration = Supervisor.Configuration(queues: ["default": 2])
        configuration.maintenance = false
        configuration.drain = true
        configuration.lease = .seconds(120)
        let supervisor = Supervisor(
            client: client, conninfo: url, registry: registry, configuration: configuration,
            logger: Logger(label: "inline"))
        let summary = try await QueueTestDatabase.within(.seconds(30)) { await supervisor.runToEnd() }
        let states = try await client.pool.withConnection {
            try await $0.query("SELECT state FROM bursar_jobs").map { try $0.string("state") }
        }
        await client.pool.shutdown()
        return (summary, states)
    }
}
