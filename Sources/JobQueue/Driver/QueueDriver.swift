import Foundation
import Postgres

/// Every statement of the queue, by name, each run on the caller's connection (as River's
/// `riverdriver`): the client, the executor, the completer and the maintenance services share
/// these and hold no SQL of their own. Every statement takes parameters; durations travel as
/// seconds (`float8`).
///
/// Statements that act on a list of attempts select the rows by `id = ANY($1)` (index lookups)
/// and check each row's attempt against a second array of attempt keys (``attemptKey``),
/// never by joining `unnest(...)`: under real statistics `state = 'running'` looks rare, the
/// planner estimates one running row, and puts the unnest on the inner side of a nested loop —
/// rescanned once per row, 500 × 500 = 250,000 rows through the join filter, 107 ms per batch
/// of 500 (measured, `EXPLAIN ANALYZE`; the completer spent the whole benchmark in it).
enum QueueDriver {
    /// The states in which a unique key is held.
    static let liveStates = "('available', 'scheduled', 'running', 'retryable')"

    // MARK: insert

    /// Inserts jobs and notifies those of their queues in `notifying` that got a job (delivered
    /// at commit, once per queue and transaction); a job whose unique key is held by a live job
    /// is skipped. Returns the ids inserted.
    static func insert(_ jobs: [JobInsert], notifying: [String], on connection: Connection) async throws -> [Int64] {
        guard !jobs.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            WITH inserted AS (
                INSERT INTO bursar_jobs (kind, queue, args, priority, max_attempts, scheduled_at, state, unique_key)
                SELECT k, q, a::jsonb, p, m, coalesce(s, now()),
                       CASE WHEN s IS NOT NULL AND s > now() THEN 'scheduled' ELSE 'available' END, u
                FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::timestamptz[], $7::text[])
                     AS t(k, q, a, p, m, s, u)
                ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND state IN \(liveStates)
                DO NOTHING
                RETURNING id, queue
            ), notified AS (
                SELECT pg_notify($8, q)
                FROM (SELECT DISTINCT queue AS q FROM inserted WHERE queue = ANY($9::text[])) AS d
            )
            SELECT id FROM inserted, (SELECT count(*) FROM notified) AS n
            """,
            TextArray(jobs.map(\.kind)), TextArray(jobs.map(\.queue)), TextArray(jobs.map(\.args)),
            TextArray(jobs.map { String($0.priority) }), TextArray(jobs.map { String($0.maxAttempts) }),
            TextArray(jobs.map { $0.scheduledAt?.postgresText }), TextArray(jobs.map(\.uniqueKey)),
            JobQueueClient.channel, TextArray(notifying))
        return try rows.map { try $0.int64("id") }
    }

    // MARK: claim and finish

    /// The claim: `bursar_claim` (queue migration 5) walks `bursar_jobs_claim` in its order
    /// and stops after `$2` rows, under planner settings of its own, so that no statistics can
    /// make it fetch the whole backlog and sort it.
    static let claimSQL = """
        SELECT id, kind, queue, args, attempt, max_attempts FROM bursar_claim($1, $2, $3, $4::float8)
        """

    /// Claims up to `limit` runnable jobs of an unpaused `queue`, in priority, time and id order,
    /// skipping rows others hold.
    static func claim(queue: String, limit: Int, worker: String, lease: Duration, on connection: Connection)
        async throws -> [ClaimedJob]
    {
        guard limit > 0 else { return [] }
        return try await connection.query(claimSQL, queue, limit, worker, lease.seconds).map(ClaimedJob.init(row:))
    }

    /// Completes one job inside the caller's transaction; false when the attempt no longer owns it.
    static func complete(_ job: ClaimedJob, on connection: Connection) async throws -> Bool {
        try await connection.query(
            """
            UPDATE bursar_jobs SET state = 'completed', finalized_at = now()
            WHERE id = $1 AND attempt = $2 AND state = 'running'
            """, job.id, job.attempt
        ).affectedRows == 1
    }

    /// The key of one attempt, `id × 2³² + attempt` as `numeric`, and the same expression over
    /// a row: exact for every id and attempt (no overflow, no range to check), and a test of
    /// the key against an array costs a lookup per row — hashed when the plan is custom, a
    /// linear scan of the list in a generic plan — never a rescan of a joined `unnest`.
    static let attemptKey = "(j.id::numeric * 4294967296 + j.attempt)"

    /// The attempt keys of `jobs`, for `\(attemptKey) = ANY($n::numeric[])`.
    static func attemptKeys(_ jobs: [ClaimedJob]) -> TextArray {
        TextArray(jobs.map { String(Int128($0.id) << 32 + Int128($0.attempt)) })
    }

    /// The statement of ``complete(_:on:)-([ClaimedJob],_)`` (tests look at its plan).
    static let completeManySQL = """
        UPDATE bursar_jobs j SET state = 'completed', finalized_at = now()
        WHERE j.id = ANY($1::bigint[]) AND \(attemptKey) = ANY($2::numeric[]) AND j.state = 'running'
        """

    /// Completes many jobs, each guarded by its attempt. Returns how many were completed.
    static func complete(_ jobs: [ClaimedJob], on connection: Connection) async throws -> Int {
        guard !jobs.isEmpty else { return 0 }
        return try await connection.query(completeManySQL, BigintArray(jobs.map(\.id)), attemptKeys(jobs)).affectedRows
    }

    /// Records a failed attempt: retryable after `retryIn`, or discarded when it was the last —
    /// or cancelled when an operator asked while it ran (River's `JobSetStateIfRunning`): a
    /// cancel request the worker had not seen yet is not undone by a retry.
    static func fail(_ job: ClaimedJob, message: String, retryIn: Duration, on connection: Connection) async throws
        -> Bool
    {
        try await connection.query(
            """
            UPDATE bursar_jobs SET
                state = CASE WHEN cancel_requested THEN 'cancelled'
                             WHEN attempt >= max_attempts THEN 'discarded' ELSE 'retryable' END,
                finalized_at = CASE WHEN cancel_requested OR attempt >= max_attempts THEN now() END,
                scheduled_at = now() + make_interval(secs => $3::float8),
                errors = errors || jsonb_build_array(jsonb_build_object('attempt', attempt, 'at', now(), 'message',
                    $4::text))
            WHERE id = $1 AND attempt = $2 AND state = 'running'
            """, job.id, job.attempt, retryIn.seconds, String(message.prefix(2000))
        ).affectedRows == 1
    }

    /// Puts a running job back to wait `delay` without counting the attempt (cancelled instead
    /// when an operator asked while it ran).
    static func snooze(_ job: ClaimedJob, delay: Duration, on connection: Connection) async throws -> Bool {
        try await connection.query(
            """
            UPDATE bursar_jobs SET
                state = CASE WHEN cancel_requested THEN 'cancelled' WHEN $3::float8 > 0 THEN 'scheduled' ELSE
                    'available' END,
                finalized_at = CASE WHEN cancel_requested THEN now() END,
                attempt = attempt - CASE WHEN cancel_requested THEN 0 ELSE 1 END,
                scheduled_at = now() + make_interval(secs => $3::float8)
            WHERE id = $1 AND attempt = $2 AND state = 'running'
            """, job.id, job.attempt, delay.seconds
        ).affectedRows == 1
    }

    /// Puts back a job whose kind this process has no handler for (River retries it too): it
    /// waits 1, 2, 4 … seconds by the errors in its history, at most `maximumDelay`, its attempt
    /// uncounted — a rolling deploy's old process must not use up the budget of a new kind —
    /// and the history says why. Cancelled instead when an operator asked while it was claimed.
    static func deferUnknownKind(
        _ job: ClaimedJob, message: String, maximumDelay: Duration,
        on connection: Connection
    ) async throws -> Bool {
        try await connection.query(
            """
            UPDATE bursar_jobs SET
                state = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'retryable' END,
                finalized_at = CASE WHEN cancel_requested THEN now() END,
                attempt = attempt - CASE WHEN cancel_requested THEN 0 ELSE 1 END,
                scheduled_at = now()
                    + make_interval(secs => least($3::float8, power(2, least(jsonb_array_length(errors), 30))::float8)),
                errors = errors
                    || jsonb_build_array(jsonb_build_object('attempt', attempt, 'at', now(), 'message', $4::text))
            WHERE id = $1 AND attempt = $2 AND state = 'running'
            """, job.id, job.attempt, maximumDelay.seconds, String(message.prefix(2000))
        ).affectedRows == 1
    }

    /// Ends a running job as cancelled.
    static func cancelRunning(_ job: ClaimedJob, message: String, on connection: Connection) async throws -> Bool {
        try await connection.query(
            """
            UPDATE bursar_jobs SET state = 'cancelled', finalized_at = now(),
                errors = errors || jsonb_build_array(jsonb_build_object('attempt', attempt, 'at', now(), 'message',
                    $3::text))
            WHERE id = $1 AND attempt = $2 AND state = 'running'
            """, job.id, job.attempt, String(message.prefix(2000))
        ).affectedRows == 1
    }

    /// How many graceful stops may interrupt a job before it is discarded: a release counts no
    /// attempt, so a job that always outlasts the shutdown deadline would otherwise run and be
    /// given back at every deploy, for ever.
    static let interruptionLimit = 10

    /// Returns running jobs to their queues at once, uncounted, and wakes the queues. A job an
    /// operator asked to cancel while it ran ends cancelled instead: the request outlives a
    /// release as it outlives a failure or a snooze. Each release is noted in the job's history;
    /// the ``interruptionLimit``th discards the job, saying why.
    static func release(_ jobs: [ClaimedJob], on connection: Connection) async throws -> Int {
        guard !jobs.isEmpty else { return 0 }
        let released = try await connection.query(
            """
            WITH counted AS (
                SELECT j.id, (SELECT count(*) FROM jsonb_array_elements(j.errors) AS e WHERE e ? 'interrupted') + 1 AS n
                FROM bursar_jobs j
                WHERE j.id = ANY($1::bigint[]) AND \(attemptKey) = ANY($2::numeric[]) AND j.state = 'running'
            )
            UPDATE bursar_jobs j SET
                state = CASE WHEN j.cancel_requested THEN 'cancelled' WHEN c.n >= $3 THEN 'discarded'
                             ELSE 'available' END,
                finalized_at = CASE WHEN j.cancel_requested OR c.n >= $3 THEN now() END,
                attempt = j.attempt - CASE WHEN j.cancel_requested OR c.n >= $3 THEN 0 ELSE 1 END,
                attempted_by = CASE WHEN j.cancel_requested OR c.n >= $3 THEN j.attempted_by END,
                scheduled_at = now(),
                errors = j.errors || jsonb_build_array(jsonb_build_object(
                    'attempt', j.attempt, 'at', now(), 'interrupted', true,
                    'message', CASE WHEN c.n >= $3 AND NOT j.cancel_requested
                                    THEN 'interrupted by a graceful stop ' || c.n
                                         || ' times: discarded (a longer shutdown deadline lets it finish)'
                                    ELSE 'interrupted by a graceful stop: given back to the queue' END))
            FROM counted c WHERE j.id = c.id AND j.state = 'running'
            RETURNING j.queue, j.state
            """, BigintArray(jobs.map(\.id)), attemptKeys(jobs), interruptionLimit)
        let available = try released.filter { try $0.string("state") == "available" }
        try await notify(queues: try available.map { try $0.string("queue") }, on: connection)
        return released.count
    }

    /// Extends the leases `worker` holds. Returns the attempts still owned and, of those, the
    /// ones an operator asked to cancel.
    static func renewLeases(
        _ jobs: [ClaimedJob], worker: String, lease: Duration,
        on connection: Connection
    ) async throws -> (owned: Set<JobKey>, cancelRequested: Set<JobKey>) {
        guard !jobs.isEmpty else { return ([], []) }
        let rows = try await connection.query(
            """
            UPDATE bursar_jobs j SET lease_expires_at = now() + make_interval(secs => $3::float8)
            WHERE j.id = ANY($1::bigint[]) AND \(attemptKey) = ANY($4::numeric[]) AND j.state = 'running'
                AND j.attempted_by = $2
            RETURNING j.id, j.attempt, j.cancel_requested
            """, BigintArray(jobs.map(\.id)), worker, lease.seconds, attemptKeys(jobs))
        var owned: Set<JobKey> = []
        var cancel: Set<JobKey> = []
        for row in rows {
            let key = JobKey(id: try row.int64("id"), attempt: try row.int("attempt"))
            owned.insert(key)
            if try row.bool("cancel_requested") { cancel.insert(key) }
        }
        return (owned, cancel)
    }

    // MARK: maintenance

    /// Ends at most `limit` runs whose lease lapsed more than `grace` ago (their process died or
    /// lost touch): retryable after 2, 4, 8 … seconds by attempt (at most a minute) — a job
    /// that crashes its process must not bring the workers down again at once — or discarded
    /// after the last attempt, or cancelled when an operator asked. Returns the queues of the
    /// jobs made available (none now: the scheduler makes them available when due).
    static func rescue(
        limit: Int, grace: Duration,
        on connection: Connection
    ) async throws -> (count: Int, queues: [String]) {
        let rows = try await connection.query(
            """
            WITH lapsed AS (
                SELECT id FROM bursar_jobs
                WHERE state = 'running' AND lease_expires_at < now() - make_interval(secs => $2::float8)
                ORDER BY id LIMIT $1
                FOR UPDATE SKIP LOCKED
            )
            UPDATE bursar_jobs j SET
                state = CASE WHEN j.cancel_requested THEN 'cancelled'
                             WHEN j.attempt >= j.max_attempts THEN 'discarded' ELSE 'retryable' END,
                finalized_at = CASE WHEN j.cancel_requested OR j.attempt >= j.max_attempts THEN now() END,
                scheduled_at = now() + make_interval(secs => least(60, power(2, least(j.attempt, 10)))::float8),
                errors = j.errors || jsonb_build_array(jsonb_build_object('attempt', j.attempt, 'at', now(),
                    'message', 'lease expired: the worker ' || coalesce(j.attempted_by, '?') || ' stopped renewing it'))
            FROM lapsed WHERE j.id = lapsed.id
            RETURNING j.queue, j.state
            """, limit, grace.seconds)
        let queues = try rows.filter { try $0.string("state") == "available" }.map { try $0.string("queue") }
        return (rows.count, queues)
    }

    /// Makes at most `limit` due scheduled and retryable jobs available. Returns their queues.
    static func schedule(limit: Int, on connection: Connection) async throws -> [String] {
        try await connection.query(
            """
            WITH due AS (
                SELECT id FROM bursar_jobs
                WHERE state IN ('scheduled', 'retryable') AND scheduled_at <= now()
                ORDER BY scheduled_at, id LIMIT $1
                FOR UPDATE SKIP LOCKED
            )
            UPDATE bursar_jobs j SET state = 'available' FROM due WHERE j.id = due.id
            RETURNING j.queue
            """, limit
        ).map { try $0.string("queue") }
    }

    /// The cleaner's statement: `$1` completed retention, `$2` discarded retention, `$3` limit.
    /// One range of `bursar_jobs_finalized_state` per state, each below its own cutoff (River's
    /// cleaner): retained rows are never read.
    static let cleanSQL = """
        DELETE FROM bursar_jobs WHERE id IN (
            SELECT id FROM (
                (SELECT id FROM bursar_jobs
                 WHERE state = 'completed' AND finalized_at < now() - make_interval(secs => $1::float8) LIMIT $3)
                UNION ALL
                (SELECT id FROM bursar_jobs
                 WHERE state = 'cancelled' AND finalized_at < now() - make_interval(secs => $1::float8) LIMIT $3)
                UNION ALL
                (SELECT id FROM bursar_jobs
                 WHERE state = 'discarded' AND finalized_at < now() - make_interval(secs => $2::float8) LIMIT $3)
            ) AS due LIMIT $3)
        """

    /// Deletes at most `limit` finished jobs older than their retention.
    static func clean(
        completedRetention: Duration, discardedRetention: Duration, limit: Int,
        on connection: Connection
    ) async throws -> Int {
        try await connection.query(cleanSQL, completedRetention.seconds, discardedRetention.seconds, limit).affectedRows
    }

    /// Holds or takes `role` for another `lease`. True when `holder` holds it.
    static func elect(role: String, holder: String, lease: Duration, on connection: Connection) async throws -> Bool {
        try await connection.query(
            """
            INSERT INTO bursar_leaders (role, holder, expires_at) VALUES ($1, $2,
                now() + make_interval(secs => $3::float8))
            ON CONFLICT (role) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE bursar_leaders.expires_at < now() OR bursar_leaders.holder = excluded.holder
            RETURNING holder
            """, role, holder, lease.seconds
        ).count == 1
    }

    /// Gives `role` up at once, so another process takes over without waiting for the lease.
    static func resign(role: String, holder: String, on connection: Connection) async throws {
        try await connection.query("DELETE FROM bursar_leaders WHERE role = $1 AND holder = $2", role, holder)
    }

    /// Wakes the workers of `queues`.
    static func notify(queues: [String], on connection: Connection) async throws {
        let distinct = Array(Set(queues))
        guard !distinct.isEmpty else { return }
        try await connection.query(
            "SELECT pg_notify($1, q) FROM unnest($2::text[]) AS q", JobQueueClient.channel, TextArray(distinct))
    }

    // MARK: drain

    /// True when none of `queues` has a job that can run now or within `horizon`: none
    /// available in an unpaused queue, none running, none scheduled or retryable due that soon.
    static func isIdle(queues: [String], horizon: Duration, on connection: Connection) async throws -> Bool {
        try await connection.query(
            """
            SELECT NOT EXISTS (SELECT 1 FROM bursar_jobs j WHERE j.state = 'available' AND j.queue = ANY($1::text[])
                               AND NOT EXISTS (SELECT 1 FROM bursar_queues WHERE name = j.queue AND paused))
               AND NOT EXISTS (SELECT 1 FROM bursar_jobs WHERE state = 'running' AND queue = ANY($1::text[]))
               AND NOT EXISTS (SELECT 1 FROM bursar_jobs WHERE state IN ('scheduled',
                   'retryable') AND queue = ANY($1::text[])
                               AND scheduled_at <= now() + make_interval(secs => $2::float8))
               AS idle
            """, TextArray(queues), horizon.seconds
        ).first!.bool("idle")
    }

    /// What a drain leaves: jobs waiting in paused queues, and jobs due later.
    static func leftovers(queues: [String], on connection: Connection) async throws -> DrainLeftovers {
        let paused = try await connection.query(
            """
            SELECT j.queue, count(*)::bigint AS n FROM bursar_jobs j
            JOIN bursar_queues q ON q.name = j.queue AND q.paused
            WHERE j.state = 'available' AND j.queue = ANY($1::text[])
            GROUP BY j.queue ORDER BY j.queue
            """, TextArray(queues))
        let later = try await connection.query(
            """
            SELECT count(*)::bigint AS n, min(scheduled_at) AS next FROM bursar_jobs
            WHERE state IN ('scheduled', 'retryable') AND queue = ANY($1::text[])
            """, TextArray(queues)
        ).first!
        return DrainLeftovers(
            pausedQueues: try paused.map { (queue: try $0.string("queue"), jobs: try $0.int("n")) },
            scheduledLater: try later.int("n"),
            nextScheduledAt: try later.timestamp("next"))
    }
}

/// What a drain left behind, for the operator.
public struct DrainLeftovers: Sendable {
    /// Runnable jobs of each paused queue.
    public let pausedQueues: [(queue: String, jobs: Int)]
    /// Jobs scheduled (or waiting to retry) after the drain's horizon.
    public let scheduledLater: Int
    public let nextScheduledAt: Date?

    public var isEmpty: Bool { pausedQueues.isEmpty && scheduledLater == 0 }
}

extension Duration {
    /// This duration in seconds, as the driver passes it to SQL.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

extension ClaimedJob {
    /// A claimed row: `id, kind, queue, args, attempt, max_attempts`, as a claim returns them.
    init(row: PostgresRow) throws {
        self.init(
            id: try row.int64("id"), kind: try row.string("kind"), queue: try row.string("queue"),
            args: try row.string("args"), attempt: try row.int("attempt"), maxAttempts: try row.int("max_attempts"))
    }
}
