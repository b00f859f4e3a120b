import Foundation
import Postgres

/// Operators' actions on jobs and queues. Each takes the caller's connection, so a command can
/// record what it did (its audit row) in the same transaction; the pool variants are for
/// callers that record nothing. An action locks the job's row and then changes it: on a
/// connection with no transaction open it opens one of its own, so the lock holds.
extension JobQueueClient {
    /// Runs `body` inside the caller's transaction, or in one of its own when none is open.
    private func inTransaction<T>(_ connection: Connection, _ body: (Connection) async throws -> T) async throws -> T {
        if await connection.inTransaction() { return try await body(connection) }
        return try await connection.withTransaction(body)
    }

    /// Cancels a job on `connection`: a waiting job is cancelled at once; a running one is asked
    /// to stop (its worker sees task cancellation at its next lease renewal). Returns the state
    /// the job was in, nil when there is no such job; a job that had ended is left as it was.
    public func cancel(id: Int64, on connection: Connection) async throws -> JobState? {
        try await inTransaction(connection) { connection in
            guard let state = try await QueueDriver.lockState(id: id, on: connection) else { return nil }
            switch state {
            case .available, .scheduled, .retryable:
                try await QueueDriver.finalizeWaiting(id: id, as: .cancelled, on: connection)
            case .running: try await QueueDriver.requestCancel(id: id, on: connection)
            case .completed, .discarded, .cancelled: break
            }
            return state
        }
    }

    /// ``cancel(id:on:)`` in a transaction of its own.
    public func cancel(id: Int64) async throws -> JobState? {
        try await pool.withConnection { try await cancel(id: id, on: $0) }
    }

    /// Discards a waiting job on `connection`: it will not run again unless retried (River's
    /// `JobDelete` keeps no row; a discarded row keeps its history for `jobs show`). Returns the
    /// state the job was in, nil when there is no such job; only a waiting job (available,
    /// scheduled, retryable) is discarded — a running or ended one is left as it is (a running
    /// one can be cancelled).
    public func discard(id: Int64, on connection: Connection) async throws -> JobState? {
        try await inTransaction(connection) { connection in
            guard let state = try await QueueDriver.lockState(id: id, on: connection) else { return nil }
            if state.isWaiting { try await QueueDriver.finalizeWaiting(id: id, as: .discarded, on: connection) }
            return state
        }
    }

    /// Makes a finished or waiting job run again now, with a fresh attempt budget. False when
    /// it cannot: it is running or completed, or another live job holds its unique key (the
    /// key stays unique; the conflict is an answer, not an error). Runs in a savepoint, so a
    /// key inserted meanwhile does not abort the caller's transaction.
    public func retry(id: Int64, on connection: Connection) async throws -> Bool {
        try await inTransaction(connection) { connection in
            try await connection.simpleQuery("SAVEPOINT bursar_retry")
            do {
                let queue = try await QueueDriver.retry(id: id, on: connection)
                if let queue { try await QueueDriver.notify(queues: [queue], on: connection) }
                try await connection.simpleQuery("RELEASE SAVEPOINT bursar_retry")
                return queue != nil
            } catch let error as PostgresError where error.isUniqueViolation {
                try await connection.simpleQuery("ROLLBACK TO SAVEPOINT bursar_retry")
                return false  // a job with the same key was inserted meanwhile
            }
        }
    }

    /// ``retry(id:on:)`` in a transaction of its own.
    public func retry(id: Int64) async throws -> Bool {
        try await pool.withConnection { try await retry(id: id, on: $0) }
    }

    /// Pauses or resumes a queue on `connection`: a paused queue's jobs are not claimed.
    /// Returns false, changing nothing, when the queue already was so.
    @discardableResult
    public func setPaused(_ paused: Bool, queue: String, on connection: Connection) async throws -> Bool {
        try await inTransaction(connection) { connection in
            guard try await QueueDriver.lockPaused(queue: queue, on: connection) != paused else { return false }
            try await QueueDriver.setPaused(paused, queue: queue, on: connection)
            return true
        }
    }

    /// ``setPaused(_:queue:on:)`` on a connection of the pool.
    @discardableResult
    public func setPaused(_ paused: Bool, queue: String) async throws -> Bool {
        try await pool.withConnection { try await setPaused(paused, queue: queue, on: $0) }
    }

    /// Whether the queue `name` is known to the database: it has settings (it was paused or
    /// resumed) or jobs. Lets the CLI refuse a misspelt queue instead of creating it.
    public func queueIsKnown(_ name: String) async throws -> Bool {
        try await pool.withConnection { try await QueueDriver.queueIsKnown(name, on: $0) }
    }

    /// One job's row, for inspection.
    public func job(id: Int64) async throws -> JobSummary? {
        try await pool.withConnection { try await QueueDriver.job(id: id, on: $0) }
    }

    /// The jobs matching `filter`, newest first.
    public func jobs(_ filter: JobFilter) async throws -> [JobSummary] {
        try await pool.withConnection { try await QueueDriver.jobs(filter, on: $0) }
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
