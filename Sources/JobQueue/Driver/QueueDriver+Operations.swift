import Foundation
import Postgres

/// The statements of operators' commands (`bursar jobs …`, `bursar queues …`), each on the
/// caller's connection so the command can record its audit row in the same transaction.
extension QueueDriver {
    /// The columns an operator sees of a job.
    static let summaryColumns = """
        id, kind, queue, state, attempt, max_attempts, args::text AS args, errors::text AS errors,
        jsonb_array_length(errors) AS error_count, scheduled_at, attempted_at, attempted_by, finalized_at, created_at
        """

    /// One job's row, or nil.
    static func job(id: Int64, on connection: Connection) async throws -> JobSummary? {
        try await connection.query("SELECT \(summaryColumns) FROM bursar_jobs WHERE id = $1", id).first.map(
            JobSummary.init)
    }

    /// Jobs matching every filter given, newest first, at most `limit`, below `before` when set.
    static func jobs(_ filter: JobFilter, on connection: Connection) async throws -> [JobSummary] {
        let (sql, parameters) = jobsQuery(filter)
        return try await connection.query(sql, parameters).map(JobSummary.init)
    }

    /// The statement of ``jobs(_:on:)`` with only the filters given (tests read its plan). A
    /// filter written `($1 IS NULL OR state = $1)` hides the state from a generic plan (a pooled
    /// connection's prepared statement from its sixth run), which then walks the primary key
    /// backwards through millions of finished rows for a rare state. The state is written into
    /// the statement instead — one of ``JobState``'s fixed names, never user input — so every
    /// plan knows it: a rare state's rows are read by an index (`(state, finalized_at)`, the
    /// partial ones) and sorted; a common state still walks the key and stops early.
    static func jobsQuery(_ filter: JobFilter) -> (sql: String, parameters: [any PostgresBindable]) {
        var conditions: [String] = []
        var parameters: [any PostgresBindable] = []
        func add(_ column: String, _ comparison: String, _ value: any PostgresBindable) {
            parameters.append(value)
            conditions.append("\(column) \(comparison) $\(parameters.count)")
        }
        if let state = filter.state { conditions.append("state = '\(state.rawValue)'") }
        if let kind = filter.kind { add("kind", "=", kind) }
        if let queue = filter.queue { add("queue", "=", queue) }
        if let before = filter.before { add("id", "<", before) }
        let filters = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        parameters.append(filter.limit)
        let sql = "SELECT \(summaryColumns) FROM bursar_jobs \(filters) ORDER BY id DESC LIMIT $\(parameters.count)"
        return (sql, parameters)
    }

    /// Locks a job's row and returns its state, or nil when there is no such job.
    static func lockState(id: Int64, on connection: Connection) async throws -> JobState? {
        let rows = try await connection.query("SELECT state FROM bursar_jobs WHERE id = $1 FOR UPDATE", id)
        return try rows.first.flatMap { JobState(rawValue: try $0.string("state")) }
    }

    /// Ends a waiting job as `state` (cancelled or discarded) at once.
    static func finalizeWaiting(id: Int64, as state: JobState, on connection: Connection) async throws {
        try await connection.query(
            """
            UPDATE bursar_jobs SET state = $2, finalized_at = now()
            WHERE id = $1 AND state IN ('available', 'scheduled', 'retryable')
            """, id, state.rawValue)
    }

    /// Asks the worker running a job to stop (it sees the request at its next lease renewal).
    static func requestCancel(id: Int64, on connection: Connection) async throws {
        try await connection.query(
            "UPDATE bursar_jobs SET cancel_requested = true WHERE id = $1 AND state = 'running'", id)
    }

    /// Makes a finished or waiting job available now with a fresh attempt budget, unless another
    /// live job holds its unique key. Returns its queue when it was made available.
    static func retry(id: Int64, on connection: Connection) async throws -> String? {
        let rows = try await connection.query(
            """
            UPDATE bursar_jobs j SET state = 'available', scheduled_at = now(), finalized_at = NULL,
                cancel_requested = false,
                max_attempts = greatest(max_attempts, attempt + 1)
            WHERE id = $1 AND state IN ('retryable', 'discarded', 'cancelled', 'scheduled')
              AND NOT EXISTS (SELECT 1 FROM bursar_jobs o WHERE o.unique_key = j.unique_key AND o.id <> j.id
                              AND o.state IN \(liveStates))
            RETURNING queue
            """, id)
        return try rows.first?.string("queue")
    }

    /// Whether the queue is paused, locking its settings row (when it has one) until the
    /// transaction ends.
    static func lockPaused(queue: String, on connection: Connection) async throws -> Bool {
        try await connection.query("SELECT paused FROM bursar_queues WHERE name = $1 FOR UPDATE", queue).first?.bool(
            "paused") ?? false
    }

    /// Pauses or resumes a queue; a resumed queue's workers are woken.
    static func setPaused(_ paused: Bool, queue: String, on connection: Connection) async throws {
        try await connection.query(
            """
            INSERT INTO bursar_queues (name, paused, updated_at) VALUES ($1, $2, now())
            ON CONFLICT (name) DO UPDATE SET paused = excluded.paused, updated_at = now()
            """, queue, paused)
        if !paused { try await notify(queues: [queue], on: connection) }
    }

    /// Whether the queue has settings (it was paused or resumed) or jobs.
    static func queueIsKnown(_ name: String, on connection: Connection) async throws -> Bool {
        try await connection.query(
            """
            SELECT EXISTS (SELECT 1 FROM bursar_queues WHERE name = $1)
                OR EXISTS (SELECT 1 FROM bursar_jobs WHERE queue = $1) AS known
            """, name
        ).first?.bool("known") ?? false
    }
}
