import Foundation
import Postgres

/// One job, for operators: no handler's data beyond its arguments, which never hold personal
/// data (the queue's contract with its users).
public struct JobSummary: Sendable {
    public let id: Int64
    public let kind: String
    public let queue: String
    public let state: JobState
    public let attempt: Int
    public let maxAttempts: Int
    /// The arguments as JSON text.
    public let args: String
    /// The error history as JSON text.
    public let errors: String
    public let errorCount: Int
    public let scheduledAt: Date?
    public let attemptedAt: Date?
    /// The process that ran the latest attempt.
    public let attemptedBy: String?
    public let finalizedAt: Date?
    public let createdAt: Date?

    init(_ row: PostgresRow) throws {
        id = try row.int64("id")
        kind = try row.string("kind")
        queue = try row.string("queue")
        state = JobState(rawValue: try row.string("state")) ?? .available
        attempt = try row.int("attempt")
        maxAttempts = try row.int("max_attempts")
        args = try row.string("args")
        errors = try row.string("errors")
        errorCount = try row.int("error_count")
        scheduledAt = try row.timestamp("scheduled_at")
        attemptedAt = try row.timestamp("attempted_at")
        attemptedBy = try row.optionalString("attempted_by")
        finalizedAt = try row.timestamp("finalized_at")
        createdAt = try row.timestamp("created_at")
    }
}

/// Which jobs `bursar jobs list` shows: every filter given must match.
public struct JobFilter: Sendable {
    public var state: JobState?
    public var kind: String?
    public var queue: String?
    /// At most this many, newest first.
    public var limit: Int
    /// Only jobs with a smaller id: the next page starts below the last id of the previous.
    public var before: Int64?

    public init(
        state: JobState? = nil, kind: String? = nil, queue: String? = nil, limit: Int = 100,
        before: Int64? = nil
    ) {
        self.state = state
        self.kind = kind
        self.queue = queue
        self.limit = limit
        self.before = before
    }
}
