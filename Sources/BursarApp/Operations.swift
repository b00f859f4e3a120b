import ArgumentParser
import Foundation
import Store

/// `bursar db migrate|stop`.
struct DB: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "The database: migrate the schema, stop the embedded cluster.",
        discussion: "Example: bursar db migrate", subcommands: [Migrate.self, Stop.self])

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or upgrade the schema and load program data (safe from several machines at once).",
            discussion: "Example: DATABASE_URL=postgresql://bursar@db/bursar bursar db migrate")
        func run() async throws {
            let done = try await Runner.withDatabase(requireSchema: false) { try await $0.migrate() }
            printLine(
                done.isEmpty ? "the database is up to date" : done.map { "applied \($0)" }.joined(separator: "\n"))
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop the embedded cluster under .bursar/ (if it runs).", discussion: "Example: bursar db stop")
        func run() async throws {
            do {
                printLine(
                    try await EmbeddedPostgres().stop()
                        ? "stopped the embedded cluster" : "the embedded cluster is not running")
            } catch {
                CLI.printError("\(error)")
                throw ExitCode(1)
            }
        }
    }
}
