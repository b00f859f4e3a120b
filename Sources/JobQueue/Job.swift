import Foundation
import Postgres

/// The states of a job's life.
public enum JobState: String, Sendable, CaseIterable, Codable {
    /// Ready to run now.
    case available
    /// Waiting for its `scheduled_at`.
    case scheduled
    /// Claimed by a worker that holds a lease on it.
    case running
    /// Failed; waits for its backoff to pass.
    case retryable
    case completed
    /// Failed `max_attempts` times; kept for inspection.
    case discarded
    case cancelled

    /// Waiting to run: not yet claimed, not ended.
    public var isWaiting: Bool { self == .available || self == .scheduled || self == .retryable }

    /// Ended: it will not run again unless an operator retries it.
    public var hasEnded: Bool { self == .completed || self == .discarded || self == .cancelled }
}

/// A job to insert.
public struct JobInsert: Sendable {
    public var kind: String
    public var queue: String
    /// The job's arguments as JSON text.
    public var args: String
    /// Lower runs first.
    public var priority: Int
    public var maxAttempts: Int
    /// When to run; nil for now.
    public var scheduledAt: Date?
    /// At most one live job (waiting or running) per key; a second insert with a live key does nothing.
    public var uniqueKey: String?

    public init(
        kind: String, queue: String = "default", args: String = "{}", priority: Int = 100,
        maxAttempts: Int = 5, scheduledAt: Date? = nil, uniqueKey: String? = nil
    ) {
        self.kind = kind
        self.queue = queue
        self.args = args
        self.priority = priority
        self.maxAttempts = maxAttempts
        self.scheduledAt = scheduledAt
        self.uniqueKey = uniqueKey
    }

    /// A job whose arguments are a `Codable` value.
    public init<Args: Encodable>(
        kind: String, queue: String = "default", arguments: Args, priority: Int = 100,
        maxAttempts: Int = 5, scheduledAt: Date? = nil, uniqueKey: String? = nil
    ) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(arguments), as: UTF8.self)
        self.init(
            kind: kind, queue: queue, args: text, priority: priority, maxAttempts: maxAttempts,
            scheduledAt: scheduledAt, uniqueKey: uniqueKey)
    }
}

/// A job claimed by this process.
public struct ClaimedJob: Sendable, Hashable {
    public let id: Int64
    public let kind: String
    public let queue: String
    public let args: String
    /// This attempt's number (1 for the first run); completion is guarded by it.
    public let attempt: Int
    public let maxAttempts: Int
}

/// One attempt of one job: a job claimed again after a rescue is another attempt, and the
/// process tracks (and completes) attempts, never bare job ids.
public struct JobKey: Sendable, Hashable, CustomStringConvertible {
    public let id: Int64
    public let attempt: Int
    public var description: String { "\(id)#\(attempt)" }
}

extension ClaimedJob {
    public var key: JobKey { JobKey(id: id, attempt: attempt) }
}

/// What an insert did.
public enum EnqueueResult: Sendable, Equatable {
    case inserted(id: Int64)
    /// A live job (waiting or running) holds the same unique key; nothing was inserted.
    case duplicate
}
