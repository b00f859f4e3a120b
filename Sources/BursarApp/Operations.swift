import ArgumentParser
import Foundation
import JobQueue
import Store

/// `bursar db migrate|stop`.
struct DB: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "db", abstract: "The database: migrate the schema, stop the embedded cluster.", subcommands: [Migrate.self, Stop.self])

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create or upgrade the schema and load program data (safe from several machines at once).")
        func run() async throws {
            let done = try await Runner.withDatabase(requireSchema: false) { try await $0.migrate() }
            printLine(done.isEmpty ? "the database is up to date" : done.map { "applied \($0)" }.joined(separator: "\n"))
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded cluster under .bursar/ (if it runs).")
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

/// `bursar jobs show|cancel|retry`.
struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Inspect, cancel or retry one job.", subcommands: [Show.self, Cancel.self, Retry.self])

    struct Show: AsyncParsableCommand {
        @Argument(help: "The job id.") var id: Int64
        func run() async throws {
            try await Runner.withDatabase { database in
                guard let job = try await database.queue.job(id: id) else { throw BursarError.notFound("no job \(id)") }
                printLine("job \(job.id): \(job.kind) on \(job.queue), \(job.state.rawValue), attempt \(job.attempt) of \(job.maxAttempts)")
                printLine("errors: \(job.errors)")
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        @Argument(help: "The job id.") var id: Int64
        func run() async throws {
            try await Runner.withDatabase { database in
                guard let state = try await database.queue.cancel(id: id) else { throw BursarError.notFound("no job \(id)") }
                switch state {
                case .running: printLine("job \(id) is running; its worker was asked to stop")
                case .completed, .discarded, .cancelled: printLine("job \(id) had already ended (\(state.rawValue))")
                default: printLine("job \(id) cancelled")
                }
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        @Argument(help: "The job id.") var id: Int64
        func run() async throws {
            try await Runner.withDatabase { database in
                printLine(try await database.queue.retry(id: id) ? "job \(id) will run again" : "job \(id) cannot be retried (running, completed, or unknown)")
            }
        }
    }
}

/// `bursar queues pause|resume NAME`.
struct Queues: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Pause or resume a queue.", subcommands: [Pause.self, Resume.self])

    struct Pause: AsyncParsableCommand {
        @Argument(help: "The queue.") var name: String
        func run() async throws {
            try await Runner.withDatabase { try await $0.queue.setPaused(true, queue: name) }
            printLine("queue \(name) paused: its jobs wait until it is resumed")
        }
    }

    struct Resume: AsyncParsableCommand {
        @Argument(help: "The queue.") var name: String
        func run() async throws {
            try await Runner.withDatabase { try await $0.queue.setPaused(false, queue: name) }
            printLine("queue \(name) resumed")
        }
    }
}
