import Foundation
import Postgres

/// The queue's client: inserts jobs, claims them, records their ends, and answers questions
/// about them. Every statement is parameterized; the SQL lives here and in `db/migrations`.
public struct JobQueueClient: Sendable {
    /// The channel inserts notify, with the queue's name as payload.
    public static let channel = "bursar_jobs"

    public let pool: ConnectionPool

    public init(pool: ConnectionPool) { self.pool = pool }

    // MARK: enqueue

    /// Inserts one job on `connection`, inside whatever transaction the caller has open, so the
    /// job exists if and only if the caller's data is committed.
    @discardableResult
    public func enqueue(_ job: JobInsert, on connection: Connection) async throws -> EnqueueResult {
        let ids = try await insert([job], on: connection)
        return ids.first.map { .inserted(id: $0) } ?? .duplicate
    }

    /// Inserts many jobs with one statement on `connection` (inside the caller's transaction).
    /// Returns the ids inserted; jobs whose unique key is live are skipped.
    @discardableResult
    public func enqueue(_ jobs: [JobInsert], on connection: Connection) async throws -> [Int64] {
        try await insert(jobs, on: connection)
    }

    /// Inserts one job in a transaction of its own.
    @discardableResult
    public func enqueue(_ job: JobInsert) async throws -> EnqueueResult {
        try await pool.withTransaction { try await enqueue(job, on: $0) }
    }

    private func insert(_ jobs: [JobInsert], on connection: Connection) async throws -> [Int64] {
        guard !jobs.isEmpty else { return [] }
        // One statement inserts the jobs and notifies their queues (delivered at commit).
        let rows = try await connection.query("""
            WITH inserted AS (
                INSERT INTO bursar_jobs (kind, queue, args, priority, max_attempts, scheduled_at, state, unique_key)
                SELECT k, q, a::jsonb, p, m, coalesce(s, now()),
                       CASE WHEN s IS NOT NULL AND s > now() THEN 'scheduled' ELSE 'available' END, u
                FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::timestamptz[], $7::text[])
                     AS t(k, q, a, p, m, s, u)
                ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND state IN ('available', 'scheduled', 'retryable')
                DO NOTHING
                RETURNING id, queue
            ), notified AS (
                SELECT pg_notify($8, q) FROM (SELECT DISTINCT queue AS q FROM inserted) AS d
            )
            SELECT id FROM inserted, (SELECT count(*) FROM notified) AS n
            """,
            TextArray(jobs.map(\.kind)), TextArray(jobs.map(\.queue)), TextArray(jobs.map(\.args)),
            TextArray(jobs.map { String($0.priority) }), TextArray(jobs.map { String($0.maxAttempts) }),
            TextArray(jobs.map { $0.scheduledAt?.postgresText }), TextArray(jobs.map(\.uniqueKey)), Self.channel)
        return try rows.map { try $0.int64("id") }
    }

    // MARK: claim and finish

    /// Claims up to `limit` runnable jobs of `queue` for `worker`, in priority, time and id order,
    /// skipping rows other workers hold. Nothing is claimed from a paused queue.
    public func claim(queue: String, limit: Int, worker: String, lease: Double) async throws -> [ClaimedJob] {
        guard limit > 0 else { return [] }
        return try await pool.withConnection { connection in
            let rows = try await connection.query("""
                WITH picked AS (
                    SELECT id FROM bursar_jobs
                    WHERE state = 'available' AND queue = $1 AND scheduled_at <= now()
                      AND NOT EXISTS (SELECT 1 FROM bursar_queues WHERE name = $1 AND paused)
                    ORDER BY priority, scheduled_at, id
                    LIMIT $2
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE bursar_jobs j
                SET state = 'running', attempt = j.attempt + 1, attempted_at = now(), attempted_by = $3,
                    lease_expires_at = now() + make_interval(secs => $4)
                FROM picked WHERE j.id = picked.id
                RETURNING j.id, j.kind, j.queue, j.args, j.attempt, j.max_attempts
                """, queue, limit, worker, String(lease))
            return try rows.map {
                ClaimedJob(id: try $0.int64("id"), kind: try $0.string("kind"), queue: try $0.string("queue"),
                           args: try $0.string("args"), attempt: try $0.int("attempt"), maxAttempts: try $0.int("max_attempts"))
            }
        }
    }

    /// Marks `job` completed on `connection`, inside the transaction that holds the job's effects.
    /// Returns false — and the caller must roll back — when this attempt no longer owns the job
    /// (it was rescued and claimed again, or cancelled).
    public func complete(_ job: ClaimedJob, on connection: Connection) async throws -> Bool {
        let rows = try await connection.query("""
            UPDATE bursar_jobs SET state = 'completed', finalized_at = now(), lease_expires_at = NULL
            WHERE id = $1 AND attempt = $2 AND state = 'running'
            """, job.id, job.attempt)
        return rows.affectedRows == 1
    }

    /// Marks many jobs completed in one statement, each guarded by its attempt.
    @discardableResult
    public func complete(_ jobs: [ClaimedJob]) async throws -> Int {
        guard !jobs.isEmpty else { return 0 }
        return try await pool.withConnection { connection in
            try await connection.query("""
                UPDATE bursar_jobs j SET state = 'completed', finalized_at = now(), lease_expires_at = NULL
                FROM unnest($1::bigint[], $2::int[]) AS c(id, attempt)
                WHERE j.id = c.id AND j.attempt = c.attempt AND j.state = 'running'
                """, BigintArray(jobs.map(\.id)), TextArray(jobs.map { String($0.attempt) })).affectedRows
        }
    }

    /// Records a failed attempt: retryable after `retryIn` seconds, or discarded when it was the last.
    public func fail(_ job: ClaimedJob, message: String, retryIn: Double) async throws {
        try await pool.withConnection { connection in
            try await connection.query("""
                UPDATE bursar_jobs SET
                    state = CASE WHEN attempt >= max_attempts THEN 'discarded' ELSE 'retryable' END,
                    finalized_at = CASE WHEN attempt >= max_attempts THEN now() END,
                    scheduled_at = now() + make_interval(secs => $3),
                    lease_expires_at = NULL,
                    errors = errors || jsonb_build_array(jsonb_build_object('attempt', attempt, 'at', now(), 'message', $4::text))
                WHERE id = $1 AND attempt = $2 AND state = 'running'
                """, job.id, job.attempt, String(retryIn), String(message.prefix(2000)))
        }
    }

    /// Puts a running job back to wait `seconds` without counting the attempt.
    public func snooze(_ job: ClaimedJob, seconds: Double) async throws {
        try await pool.withConnection { connection in
            try await connection.query("""
                UPDATE bursar_jobs SET state = CASE WHEN $3 > 0 THEN 'scheduled' ELSE 'available' END,
                    attempt = attempt - 1, scheduled_at = now() + make_interval(secs => $3), lease_expires_at = NULL
                WHERE id = $1 AND attempt = $2 AND state = 'running'
                """, job.id, job.attempt, String(seconds))
        }
    }

    /// Ends a running job as cancelled (its handler gave up, or an operator asked).
    public func finishCancelled(_ job: ClaimedJob, message: String) async throws {
        try await pool.withConnection { connection in
            try await connection.query("""
                UPDATE bursar_jobs SET state = 'cancelled', finalized_at = now(), lease_expires_at = NULL,
                    errors = errors || jsonb_build_array(jsonb_build_object('attempt', attempt, 'at', now(), 'message', $3::text))
                WHERE id = $1 AND attempt = $2 AND state = 'running'
                """, job.id, job.attempt, message)
        }
    }

    /// Returns jobs this process holds to the queue at once (graceful shutdown), uncounted.
    public func release(_ jobs: [ClaimedJob]) async throws {
        guard !jobs.isEmpty else { return }
        try await pool.withConnection { connection in
            try await connection.query("""
                UPDATE bursar_jobs j SET state = 'available', attempt = j.attempt - 1, lease_expires_at = NULL,
                    attempted_by = NULL, scheduled_at = now()
                FROM unnest($1::bigint[], $2::int[]) AS c(id, attempt)
                WHERE j.id = c.id AND j.attempt = c.attempt AND j.state = 'running'
                """, BigintArray(jobs.map(\.id)), TextArray(jobs.map { String($0.attempt) }))
            try await connection.query("SELECT pg_notify($1, q) FROM unnest($2::text[]) AS q", Self.channel, TextArray(Array(Set(jobs.map(\.queue)))))
        }
    }

    /// Extends the leases of jobs `worker` holds; returns the ids an operator asked to cancel.
    public func renewLeases(_ jobs: [ClaimedJob], worker: String, lease: Double) async throws -> Set<Int64> {
        guard !jobs.isEmpty else { return [] }
        return try await pool.withConnection { connection in
            let rows = try await connection.query("""
                UPDATE bursar_jobs j SET lease_expires_at = now() + make_interval(secs => $3)
                FROM unnest($1::bigint[], $4::int[]) AS c(id, attempt)
                WHERE j.id = c.id AND j.attempt = c.attempt AND j.state = 'running' AND j.attempted_by = $2
                RETURNING j.id, j.cancel_requested
                """, BigintArray(jobs.map(\.id)), worker, String(lease), TextArray(jobs.map { String($0.attempt) }))
            return Set(try rows.filter { try $0.bool("cancel_requested") }.map { try $0.int64("id") })
        }
    }
}
