import ArgumentParser
import Foundation
import JobQueue
import Store

/// `bursar queues pause|resume NAME`: exit 1 for a queue that does not exist (none is created).
/// Each leaves one audit row (`queues.pause`, `queues.resume`) with its `--reason`.
struct Queues: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Pause or resume a queue.",
        discussion: "Example: bursar queues pause lifecycle --reason \"payment run\"; bursar queues resume lifecycle",
        subcommands: [Pause.self, Resume.self])

    /// Fails with exit status 1 unless `name` is one of Bursar's queues or one the database knows.
    static func requireKnown(_ name: String, database: Database) async throws {
        if JobKinds.queues[name] != nil { return }
        if try await database.queue.queueIsKnown(name) { return }
        CLI.printError("no queue \(name) (the queues are \(JobKinds.queues.keys.sorted().joined(separator: ", ")))")
        throw ExitCode(1)
    }

    /// Pauses or resumes `name` and records it, in one transaction; exit status 1 (nothing
    /// recorded) when the queue already was so — the action does not apply (interface §5).
    static func set(paused: Bool, queue name: String, reason: String?) async throws {
        let changed = try await Runner.withDatabase { database in
            try await requireKnown(name, database: database)
            return try await database.pool.withTransaction { connection in
                guard try await database.queue.setPaused(paused, queue: name, on: connection) else { return false }
                try await AuditLog.record(
                    on: connection, action: paused ? "queues.pause" : "queues.resume", program: nil,
                    reason: reason, detail: ["queue": name])
                return true
            }
        }
        guard changed else {
            CLI.printError("queue \(name) is already \(paused ? "paused" : "running (not paused)"): nothing changed")
            throw ExitCode(1)
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pause a queue: its jobs wait until it is resumed.",
            discussion: "Example: bursar queues pause lifecycle --reason \"checking the May events first\"")
        @Argument(help: "The queue.") var name: String
        @OptionGroup var why: ReasonOption

        func run() async throws {
            try await Queues.set(paused: true, queue: name, reason: why.text)
            printLine("queue \(name) paused: its jobs wait until it is resumed")
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resume a paused queue.",
            discussion: "Example: bursar queues resume lifecycle --reason \"events checked\"")
        @Argument(help: "The queue.") var name: String
        @OptionGroup var why: ReasonOption

        func run() async throws {
            try await Queues.set(paused: false, queue: name, reason: why.text)
            printLine("queue \(name) resumed")
        }
    }
}
