import ArgumentParser
import Foundation
import JobQueue
import Store

/// `bursar db migrate|stop`.
struct DB: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "db", abstract: "The database: migrate the schema, stop the embedded cluster.",
                                                    discussion: "Example: bursar db migrate", subcommands: [Migrate.self, Stop.self])

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create or upgrade the schema and load program data (safe from several machines at once).",
                                                        discussion: "Example: DATABASE_URL=postgresql://bursar@db/bursar bursar db migrate")
        func run() async throws {
            let done = try await Runner.withDatabase(requireSchema: false) { try await $0.migrate() }
            printLine(done.isEmpty ? "the database is up to date" : done.map { "applied \($0)" }.joined(separator: "\n"))
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded cluster under .bursar/ (if it runs).", discussion: "Example: bursar db stop")
        func run() async throws {
            do {
                printLine(try await EmbeddedPostgres().stop() ? "stopped the embedded cluster" : "the embedded cluster is not running")
            } catch {
                CLI.printError("\(error)")
                throw ExitCode(1)
            }
        }
    }
}

/// `bursar jobs show|cancel|retry`. Exit status (interface §5): 0 when the action was taken,
/// 1 with a message when the job does not exist or the action does not apply to it.
struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect, cancel or retry one job.",
        discussion: "Example: bursar jobs show 42 --json; bursar jobs retry 42",
        subcommands: [Show.self, Cancel.self, Retry.self])

    /// `jobs show --json`.
    struct JobReport: Encodable {
        let id: Int64
        let kind: String
        let queue: String
        let state: String
        let attempt: Int
        let maxAttempts: Int
        let scheduledAt: Date?
        /// The error history, as the queue records it.
        let errors: StoredJSON

        enum CodingKeys: String, CodingKey {
            case id, kind, queue, state, attempt, errors
            case maxAttempts = "max_attempts"
            case scheduledAt = "scheduled_at"
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One job: kind, queue, state, attempts, error history.",
                                                        discussion: "Example: bursar jobs show 42 --json")
        @Argument(help: "The job id.") var id: Int64
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            try await Runner.withDatabase { database in
                guard let job = try await database.queue.job(id: id) else { throw BursarError.notFound("no job \(id)") }
                if json {
                    printLine(try CLI.json(JobReport(id: job.id, kind: job.kind, queue: job.queue, state: job.state.rawValue, attempt: job.attempt,
                                                     maxAttempts: job.maxAttempts, scheduledAt: job.scheduledAt, errors: StoredJSON(job.errors))))
                    return
                }
                printLine("job \(job.id): \(job.kind) on \(job.queue), \(job.state.rawValue), attempt \(job.attempt) of \(job.maxAttempts)")
                printLine("errors: \(job.errors)")
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a job that has not ended (a running one is asked to stop).",
                                                        discussion: "Example: bursar jobs cancel 42")
        @Argument(help: "The job id.") var id: Int64
        func run() async throws {
            try await Runner.withDatabase { database in
                guard let state = try await database.queue.cancel(id: id) else { throw BursarError.notFound("no job \(id)") }
                switch state {
                case .running: printLine("job \(id) is running; its worker was asked to stop")
                case .completed, .discarded, .cancelled:
                    CLI.printError("job \(id) had already ended (\(state.rawValue)): nothing to cancel")
                    throw ExitCode(1)
                default: printLine("job \(id) cancelled")
                }
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a retryable, discarded, cancelled or scheduled job again now.",
                                                        discussion: "Example: bursar jobs retry 42")
        @Argument(help: "The job id.") var id: Int64
        func run() async throws {
            try await Runner.withDatabase { database in
                if try await database.queue.retry(id: id) {
                    printLine("job \(id) will run again")
                    return
                }
                guard let job = try await database.queue.job(id: id) else { throw BursarError.notFound("no job \(id)") }
                CLI.printError("job \(id) is \(job.state.rawValue) and cannot be retried (only retryable, discarded, cancelled or scheduled jobs can)")
                throw ExitCode(1)
            }
        }
    }
}

/// `bursar queues pause|resume NAME`: exit 1 for a queue that does not exist (none is created).
struct Queues: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Pause or resume a queue.",
                                                    discussion: "Example: bursar queues pause lifecycle; bursar queues resume lifecycle",
                                                    subcommands: [Pause.self, Resume.self])

    /// Fails with exit status 1 unless `name` is one of Bursar's queues or one the database knows.
    static func requireKnown(_ name: String, database: Database) async throws {
        if JobKinds.queues[name] != nil { return }
        if try await database.queue.queueIsKnown(name) { return }
        CLI.printError("no queue \(name) (the queues are \(JobKinds.queues.keys.sorted().joined(separator: ", ")))")
        throw ExitCode(1)
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause a queue: its jobs wait until it is resumed.",
                                                        discussion: "Example: bursar queues pause lifecycle")
        @Argument(help: "The queue.") var name: String
        func run() async throws {
            try await Runner.withDatabase { database in
                try await Queues.requireKnown(name, database: database)
                try await database.queue.setPaused(true, queue: name)
            }
            printLine("queue \(name) paused: its jobs wait until it is resumed")
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a paused queue.", discussion: "Example: bursar queues resume lifecycle")
        @Argument(help: "The queue.") var name: String
        func run() async throws {
            try await Runner.withDatabase { database in
                try await Queues.requireKnown(name, database: database)
                try await database.queue.setPaused(false, queue: name)
            }
            printLine("queue \(name) resumed")
        }
    }
}
