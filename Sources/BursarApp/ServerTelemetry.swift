import Foundation
import JobQueue
import Logging
import Postgres
import ServiceLifecycle
import Store
import Telemetry
import Workers

/// What `bursard`'s HTTP endpoint reports about Bursar: readiness is the database answering with
/// the schema this build needs; gauges are read from the database at scrape time.
enum ServerTelemetry {
    static func service(database: Database, host: String, port: Int, logger: Logger) throws -> TelemetryService {
        MetricsRegistry.shared.bootstrap()
        let needed = try Migrator(folder: database.home.appendingPathComponent("db/migrations")).latestVersion
        let readiness = SchemaReadiness(conninfo: database.conninfo, neededVersion: needed, logger: logger)
        let sampler = DatabaseGauges(database: database)
        return TelemetryService(
            configuration: .init(host: host, port: port), readiness: readiness,
            gauges: { await sampler.sample() }, logger: logger,
            onListening: { port in logger.info("HTTP endpoint listening", metadata: ["port": "\(port)"]) })
    }
}

/// `/readyz`: the schema version read on one connection of its own (not the pool, which busy
/// workers may hold), under a statement timeout. Every request within a second shares one
/// answer, and requests that arrive while a check runs wait for that check: however many
/// requests come, readiness holds at most one backend. The reason for "not ready" is logged
/// (once per change), never sent.
actor SchemaReadiness: ReadinessCheck {
    /// How long an answer is reused.
    static let maximumAge: Duration = .seconds(1)

    let conninfo: String
    let neededVersion: Int
    let logger: Logger
    private var connection: Connection?
    private var answer: (readiness: Readiness, at: ContinuousClock.Instant)?
    private var running: Task<Readiness, Never>?

    init(conninfo: String, neededVersion: Int, logger: Logger) {
        self.conninfo = conninfo
        self.neededVersion = neededVersion
        self.logger = logger
    }

    func check() async -> Readiness {
        if let answer, answer.at.duration(to: .now) < Self.maximumAge { return answer.readiness }
        if let running { return await running.value }
        let task = Task { await self.probe() }
        running = task
        let readiness = await task.value
        running = nil
        if case .notReady(let reason) = readiness, answer?.readiness != readiness {
            logger.warning("not ready", metadata: ["reason": "\(reason)"])
        }
        answer = (readiness, .now)
        return readiness
    }

    private func probe() async -> Readiness {
        do {
            let connection: Connection
            if let open = self.connection {
                connection = open
            } else {
                connection = try await Connection.connect(conninfo)
                self.connection = connection
            }
            let current = try await QueryLimits.$statementTimeout.withValue(.seconds(2)) {
                try await Migrator.currentVersion(connection)
            }
            if current < neededVersion {
                return .notReady(
                    "the schema is at version \(current), this build needs \(neededVersion): run bursar db migrate")
            }
            return .ready
        } catch {
            // A broken connection is opened again by the next check.
            await connection?.close()
            connection = nil
            return .notReady("the database does not answer: \(error)")
        }
    }
}

/// Gauges read at scrape: jobs by queue and state (the cheap counts of `bursar status`), the
/// pool's use, decisions by outcome and payments by status (those two scan their tables, so they
/// are read at most every 30 s).
actor DatabaseGauges {
    let database: Database
    private var slow: [GaugeSample] = []
    private var slowReadAt: ContinuousClock.Instant?

    init(database: Database) {
        self.database = database
    }

    func sample() async -> [GaugeSample] {
        let usage = await database.pool.usage
        var samples = [
            GaugeSample(
                name: "bursar_pool_connections_in_use", value: Double(usage.inUse),
                help: "Database connections handed out now."),
            GaugeSample(
                name: "bursar_pool_waiting", value: Double(usage.waiting),
                help: "Callers waiting for a database connection."),
            GaugeSample(
                name: "bursar_pool_size", value: Double(database.pool.size),
                help: "The most database connections the pool opens."),
        ]
        do {
            let stats = try await QueueStatistics.load(pool: database.pool)
            for queue in stats.queues {
                for state in JobState.allCases {
                    samples.append(
                        GaugeSample(
                            name: "bursar_jobs", labels: [.init("queue", queue.name), .init("state", state.rawValue)],
                            value: Double(queue.counts[state] ?? 0),
                            help:
                                "Jobs by queue and state (completed, discarded, cancelled: finished in the last hour).")
                    )
                }
            }
            samples += try await slowSamples()
            samples.append(
                GaugeSample(
                    name: "bursar_database_up", value: 1, help: "1 when the last scrape could read the database."))
        } catch {
            samples.append(
                GaugeSample(
                    name: "bursar_database_up", value: 0, help: "1 when the last scrape could read the database."))
        }
        return samples
    }

    private func slowSamples() async throws -> [GaugeSample] {
        if let slowReadAt, slowReadAt.duration(to: .now) < .seconds(30) { return slow }
        let counts = try await database.pool.withConnection { connection in
            try await ServiceCounts.load(on: connection)
        }
        var samples: [GaugeSample] = []
        for (outcome, count) in counts.decisionsByOutcome {
            samples.append(
                GaugeSample(
                    name: "bursar_decisions", labels: [.init("outcome", outcome)],
                    value: Double(count), help: "Decisions recorded, by outcome."))
        }
        for (status, count) in counts.paymentsByStatus {
            samples.append(
                GaugeSample(
                    name: "bursar_payments", labels: [.init("status", status)],
                    value: Double(count), help: "Payments recorded, by status."))
        }
        slow = samples
        slowReadAt = .now
        return samples
    }
}

extension WorkerProcess {
    /// `bursard`'s services: the heartbeat in `bursar_workers` (listed first, so it stops last),
    /// the supervisor, and the HTTP endpoint unless its port is 0.
    static func services(around supervisor: Supervisor, database: Database, options: ServiceOptions, logger: Logger)
        throws -> [any Service]
    {
        let started = Date().formatted(.iso8601)
        let worker = WorkerRegistry.Worker(
            id: supervisor.configuration.workerID, startedAt: started,
            queues: supervisor.configuration.queues.keys.sorted())
        var services: [any Service] = [HeartbeatService(pool: database.pool, worker: worker), supervisor]
        if let port = try options.resolvedHTTPPort() {
            services.append(
                try ServerTelemetry.service(
                    database: database, host: options.resolvedHTTPHost, port: port, logger: logger))
        }
        return services
    }
}
