import Foundation
import Postgres

extension JobQueueClient {
    /// Cancels a job: a waiting job is cancelled at once; a running one is asked to stop (its
    /// worker sees task cancellation at its next lease renewal). Returns the state it was in.
    public func cancel(id: Int64) async throws -> JobState? {
        try await pool.withTransaction { connection in
            let rows = try await connection.query("SELECT state FROM bursar_jobs WHERE id = $1 FOR UPDATE", id)
            guard let state = try rows.first.flatMap({ JobState(rawValue: try $0.string("state")) }) else { return nil }
            switch state {
            case .available, .scheduled, .retryable:
                try await connection.query("UPDATE bursar_jobs SET state = 'cancelled', finalized_at = now() WHERE id = $1", id)
            case .running:
                try await connection.query("UPDATE bursar_jobs SET cancel_requested = true WHERE id = $1", id)
            case .completed, .discarded, .cancelled:
                break
            }
            return state
        }
    }

    /// Makes a finished or waiting job run again now, with a fresh attempt budget. False when
    /// it cannot: it is running or completed, or another live job now holds its unique key (the
    /// key stays unique; the conflict is an answer, not an error).
    public func retry(id: Int64) async throws -> Bool {
        try await pool.withConnection { connection in
            do {
                let rows = try await connection.query("""
                    UPDATE bursar_jobs j SET state = 'available', scheduled_at = now(), finalized_at = NULL, cancel_requested = false,
                        max_attempts = greatest(max_attempts, attempt + 1)
                    WHERE id = $1 AND state IN ('retryable', 'discarded', 'cancelled', 'scheduled')
                      AND NOT EXISTS (SELECT 1 FROM bursar_jobs o WHERE o.unique_key = j.unique_key AND o.id <> j.id
                                      AND o.state IN ('available', 'scheduled', 'running', 'retryable'))
                    RETURNING queue
                    """, id)
                try await QueueDriver.notify(queues: try rows.map { try $0.string("queue") }, on: connection)
                return rows.count == 1
            } catch let error as PostgresError where error.isUniqueViolation {
                return false  // a job with the same key was inserted meanwhile
            }
        }
    }

    /// Pauses or resumes a queue: a paused queue's jobs are not claimed.
    public func setPaused(_ paused: Bool, queue: String) async throws {
        try await pool.withConnection { connection in
            try await connection.query("""
                INSERT INTO bursar_queues (name, paused, updated_at) VALUES ($1, $2, now())
                ON CONFLICT (name) DO UPDATE SET paused = excluded.paused, updated_at = now()
                """, queue, paused)
            if !paused { try await connection.query("SELECT pg_notify($1, $2)", Self.channel, queue) }
        }
    }

    /// One job's row, for inspection.
    public func job(id: Int64) async throws -> JobSummary? {
        try await pool.withConnection { connection in
            try await connection.query("""
                SELECT id, kind, queue, state, attempt, max_attempts, errors::text AS errors, scheduled_at
                FROM bursar_jobs WHERE id = $1
                """, id).first.map(JobSummary.init)
        }
    }

    /// True when no job of `queues` can run now or within `horizon`: none available in an
    /// unpaused queue, none running, none scheduled or waiting to retry that falls due that soon.
    public func isIdle(queues: [String], horizon: Duration = .zero) async throws -> Bool {
        try await pool.withConnection { try await QueueDriver.isIdle(queues: queues, horizon: horizon, on: $0) }
    }

    /// What remains of `queues` that a drain does not run: paused queues, jobs due later.
    public func leftovers(queues: [String]) async throws -> DrainLeftovers {
        try await pool.withConnection { try await QueueDriver.leftovers(queues: queues, on: $0) }
    }
}

/// One job, for operators.
public struct JobSummary: Sendable {
    public let id: Int64
    public let kind: String
    public let queue: String
    public let state: JobState
    public let attempt: Int
    public let maxAttempts: Int
    /// The error history as JSON text.
    public let errors: String
    public let scheduledAt: Date?

    init(_ row: PostgresRow) throws {
        id = try row.int64("id")
        kind = try row.string("kind")
        queue = try row.string("queue")
        state = JobState(rawValue: try row.string("state")) ?? .available
        attempt = try row.int("attempt")
        maxAttempts = try row.int("max_attempts")
        errors = try row.string("errors")
        scheduledAt = try row.timestamp("scheduled_at")
    }
}
