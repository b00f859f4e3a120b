import ArgumentParser
import Console
import Foundation
import Logging
import Store

/// `bursar console`: the officers' console in a browser (issue 24).
///
/// To run it in a test: `DATABASE_URL=postgresql://postgres@127.0.0.1:PORT/DB bursar console
/// --listen 127.0.0.1:8760` (DATABASE_URL names the host and database, and the login the console
/// keeps its sessions with; in service that is `bursar_console`). An officer for a test:
/// `CREATE ROLE alice LOGIN PASSWORD 'secret' IN ROLE bursar_officer;` and, when the console's
/// login is not a superuser, `GRANT alice TO bursar_console;`. pg_hba must ask alice for a
/// password (scram-sha-256): under trust authentication the console refuses to sign anyone in.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Serve the officers' console: work queue, cases, payments and audit in a browser.",
        discussion: """
            Officers sign in with their own PostgreSQL login (a member of bursar_officer); each request runs as \
            that role, so the database applies its grants and names it in the audit. Sessions live in the database: \
            run as many consoles as you like behind a proxy.
            Example: bursar console --listen 127.0.0.1:8760 --program tgp-2026
            """)

    @Option(help: "Address and port to listen on.") var listen = "127.0.0.1:8760"
    @Option(help: "Take the officer's login from this header set by the reverse proxy (loopback only).")
    var trustedHeader: String?
    @Flag(help: "Behind TLS: Secure, __Host- session cookie.") var secureCookies = false
    @Option(help: "Minutes a session may stay idle.") var idleMinutes = 30
    @OptionGroup var options: ProgramOption

    func run() async throws {
        CLI.bootstrapLoggingOnce(level: .info)
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) else {
            throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:8760")
        }
        let host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let database = try await Database.open()
        let program = try await Runner.existingProgram(options.program, database: database)
        let configuration = ConsoleConfiguration(
            host: host, port: port, program: program, trustedHeader: trustedHeader, secureCookies: secureCookies,
            idleTimeout: .seconds(max(1, idleMinutes) * 60))
        if let problem = configuration.problem { throw ValidationError(problem) }
        let server = try ConsoleServer(configuration: configuration, database: database)
        let logger = Logger(label: "bursar.console")
        try await server.application(logger: logger) { port in
            logger.info("the officers' console listens on http://\(host):\(port)/")
        }.runService()
        await server.close()
        await database.close()
    }
}
