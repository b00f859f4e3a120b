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

    /// Makes a finished or waiting job run again now, with a fresh attempt budget.
    public func retry(id: Int64) async throws -> Bool {
        try await pool.withConnection { connection in
            let rows = try await connection.query("""
                UPDATE bursar_jobs SET state = 'available', scheduled_at = now(), finalized_at = NULL, cancel_requested = false,
                    max_attempts = greatest(max_attempts, attempt + 1)
                WHERE id = $1 AND state IN ('retryable', 'discarded', 'cancelled', 'scheduled')
                RETURNING queue
                """, id)
            if let queue = try rows.first?.string("queue") {
                try await connection.query("SELECT pg_notify($1, $2)", Self.channel, queue)
                return true
            }
            return false
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

    /// True when no job can run now or within `horizon` seconds: none available or running, and
    /// none scheduled or waiting to retry that falls due that soon.
    public func isIdle(horizon: Double = 0) async throws -> Bool {
        try await pool.withConnection { connection in
            try await connection.query("""
                SELECT NOT EXISTS (SELECT 1 FROM bursar_jobs WHERE state IN ('available', 'running'))
                   AND NOT EXISTS (SELECT 1 FROM bursar_jobs WHERE state IN ('scheduled', 'retryable')
                                   AND scheduled_at <= now() + make_interval(secs => $1))
                   AS idle
                """, String(horizon)).first!.bool("idle")
        }
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
