import ArgumentParser
import Foundation
import JobQueue
import Logging
import Postgres

/// How `bursard` is configured, by flag or environment (a flag wins): the database, the queues
/// and their concurrency, the HTTP port, the log format and level.
struct ServiceOptions: ParsableArguments {
    /// The HTTP port when neither `--http-port` nor `BURSAR_HTTP_PORT` says (interface §5).
    static let defaultHTTPPort = 8750

    enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
        case text, json
    }

    @Option(
        help: """
            The database (a libpq connection string or URI) without a password: a command line is visible to every \
            user (ps). Environment: DATABASE_URL; the password in PGPASSFILE or PGPASSWORD.
            """)
    var databaseURL: String?

    @Option(
        help: ArgumentHelp(
            "Port of the HTTP endpoint (/healthz, /readyz, /metrics); 0 for none (default "
                + "\(ServiceOptions.defaultHTTPPort)). Environment: BURSAR_HTTP_PORT.")
    )
    var httpPort: Int?

    @Option(
        help: """
            Address the HTTP endpoint listens on (default 127.0.0.1, this host only; 0.0.0.0 for every interface). \
            Environment: BURSAR_HTTP_HOST.
            """)
    var httpHost: String?

    @Option(
        help: ArgumentHelp(
            "Queues to run with their concurrency, e.g. applications=16,lifecycle=4,payments=1 (default: all). "
                + "Environment: BURSAR_QUEUES.")
    )
    var queues: String?

    @Option(help: "Log format: text or json (one object a line). Environment: BURSAR_LOG_FORMAT.")
    var logFormat: LogFormat?

    @Option(
        help: ArgumentHelp(
            "Log level: trace, debug, info, notice, warning, error, critical (default info). Environment: "
                + "BURSAR_LOG_LEVEL.")
    )
    var logLevel: String?

    /// The environment `bursard` reads, for its help.
    static let environmentHelp = """
        Environment (a flag wins): DATABASE_URL (the database; unset: the embedded cluster under .bursar/), \
        BURSAR_HOME (the folder holding db/), BURSAR_HTTP_PORT, BURSAR_HTTP_HOST, BURSAR_QUEUES, BURSAR_LOG_FORMAT, \
        BURSAR_LOG_LEVEL, BURSAR_ACTOR (a name recorded in the audit trail beside the login); libpq's PG* variables \
        (PGPASSFILE for the password) apply to the connection.
        """

    private var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The HTTP port to serve, nil for none.
    func resolvedHTTPPort() throws -> Int? {
        let port: Int
        if let httpPort {
            port = httpPort
        } else if let text = environment["BURSAR_HTTP_PORT"], !text.isEmpty {
            guard let value = Int(text) else {
                throw ValidationError("BURSAR_HTTP_PORT must be a port number, not \(text)")
            }
            port = value
        } else {
            port = Self.defaultHTTPPort
        }
        guard (0...65535).contains(port) else { throw ValidationError("the HTTP port must be 0–65535, not \(port)") }
        return port == 0 ? nil : port
    }

    /// The HTTP endpoint's address: loopback unless asked otherwise (its metrics are not for everyone).
    var resolvedHTTPHost: String {
        httpHost ?? environment["BURSAR_HTTP_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
    }

    /// Replaces the concurrency of `configuration` with `--queues` / `BURSAR_QUEUES` when given.
    func apply(to configuration: inout Supervisor.Configuration) throws {
        guard let text = queues ?? environment["BURSAR_QUEUES"], !text.isEmpty else { return }
        var chosen: [String: Int] = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let limit = Int(parts[1]), limit > 0, configuration.queues[parts[0]] != nil else {
                throw ValidationError(
                    "--queues takes NAME=N pairs of known queues "
                        + "(\(configuration.queues.keys.sorted().joined(separator: ", "))), not \(item)"
                )
            }
            chosen[parts[0]] = limit
        }
        configuration.queues = chosen
    }

    /// Sets `DATABASE_URL` from `--database-url` (the database layer reads the environment). A
    /// password there is refused: every user of the machine reads command lines (`ps`).
    func applyDatabaseURL() throws {
        guard let databaseURL else { return }
        if ConnectionTarget.password(in: databaseURL) != nil {
            throw ValidationError(
                """
                --database-url carries a password, which every user of this machine can read in `ps`; leave it out \
                and put it in a password file (PGPASSFILE, mode 0600) or set DATABASE_URL in the service's environment
                """)
        }
        setenv("DATABASE_URL", databaseURL, 1)
    }

    /// Starts logging in the chosen format (once per process).
    func bootstrapLogging() throws {
        let formatText = logFormat?.rawValue ?? environment["BURSAR_LOG_FORMAT"] ?? LogFormat.text.rawValue
        guard let format = LogFormat(rawValue: formatText) else {
            throw ValidationError("the log format is text or json, not \(formatText)")
        }
        let levelText = logLevel ?? environment["BURSAR_LOG_LEVEL"] ?? Logger.Level.info.rawValue
        guard let level = Logger.Level(rawValue: levelText) else {
            throw ValidationError("unknown log level \(levelText)")
        }
        guard CLI.once.claim() else { return }
        LoggingSystem.bootstrap { label in
            switch format {
            case .json:
                return JSONLogHandler(label: label, level: level)
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}
