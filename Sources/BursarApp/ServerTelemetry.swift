import Foundation
import JobQueue
import Logging
import Postgres
import ServiceLifecycle
import Store
import Telemetry

/// What `bursard`'s HTTP endpoint reports about Bursar: readiness is the database answering with
/// the schema this build needs; gauges are read from the database at scrape time.
enum ServerTelemetry {
    static func service(database: Database, host: String, port: Int, logger: Logger) throws -> TelemetryService {
        MetricsRegistry.shared.bootstrap()
        let needed = try Migrator(folder: database.home.appendingPathComponent("db/migrations")).latestVersion
        let readiness = SchemaReadiness(conninfo: database.conninfo, neededVersion: needed)
        let sampler = DatabaseGauges(database: database)
        return TelemetryService(configuration: .init(host: host, port: port), readiness: readiness,
                                gauges: { await sampler.sample() }, logger: logger,
                                onListening: { port in logger.info("HTTP endpoint listening", metadata: ["port": "\(port)"]) })
    }
}

/// `/readyz`: a fresh connection (not the pool, which busy workers may hold) that reads the
/// schema version.
struct SchemaReadiness: ReadinessCheck {
    let conninfo: String
    let neededVersion: Int

    func check() async -> Readiness {
        do {
            let connection = try await Connection.connect(conninfo)
            let current: Int
            do {
                current = try await Migrator.currentVersion(connection)
            } catch {
                await connection.close()
                throw error
            }
            await connection.close()
            if current < neededVersion {
                return .notReady("the schema is at version \(current), this build needs \(neededVersion): run bursar db migrate")
            }
            return .ready
        } catch {
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
            GaugeSample(name: "bursar_pool_connections_in_use", value: Double(usage.inUse), help: "Database connections handed out now."),
            GaugeSample(name: "bursar_pool_waiting", value: Double(usage.waiting), help: "Callers waiting for a database connection."),
            GaugeSample(name: "bursar_pool_size", value: Double(database.pool.size), help: "The most database connections the pool opens."),
        ]
        do {
            let stats = try await QueueStatistics.load(pool: database.pool)
            for queue in stats.queues {
                for state in JobState.allCases {
                    samples.append(GaugeSample(name: "bursar_jobs", labels: [.init("queue", queue.name), .init("state", state.rawValue)],
                                               value: Double(queue.counts[state] ?? 0),
                                               help: "Jobs by queue and state (completed, discarded, cancelled: finished in the last hour)."))
                }
            }
            samples += try await slowSamples()
            samples.append(GaugeSample(name: "bursar_database_up", value: 1, help: "1 when the last scrape could read the database."))
        } catch {
            samples.append(GaugeSample(name: "bursar_database_up", value: 0, help: "1 when the last scrape could read the database."))
        }
        return samples
    }

    private func slowSamples() async throws -> [GaugeSample] {
        if let slowReadAt, slowReadAt.duration(to: .now) < .seconds(30) { return slow }
        let (decisions, payments) = try await database.pool.withConnection { connection in
            (try await connection.query("SELECT outcome, count(*)::bigint AS n FROM decisions GROUP BY outcome ORDER BY outcome"),
             try await connection.query("SELECT status, count(*)::bigint AS n FROM payments GROUP BY status ORDER BY status"))
        }
        var samples: [GaugeSample] = []
        for row in decisions {
            samples.append(GaugeSample(name: "bursar_decisions", labels: [.init("outcome", try row.string("outcome"))],
                                       value: Double(try row.int("n")), help: "Decisions recorded, by outcome."))
        }
        for row in payments {
            samples.append(GaugeSample(name: "bursar_payments", labels: [.init("status", try row.string("status"))],
                                       value: Double(try row.int("n")), help: "Payments recorded, by status."))
        }
        slow = samples
        slowReadAt = .now
        return samples
    }
}

extension WorkerProcess {
    /// `bursard`'s services: the heartbeat in `bursar_workers` (listed first, so it stops last),
    /// the supervisor, and the HTTP endpoint unless its port is 0.
    static func services(around supervisor: Supervisor, database: Database, options: ServiceOptions, logger: Logger) throws -> [any Service] {
        let started = Date().formatted(.iso8601)
        let worker = WorkerRegistry.Worker(id: supervisor.configuration.workerID, startedAt: started,
                                           queues: supervisor.configuration.queues.keys.sorted())
        var services: [any Service] = [HeartbeatService(pool: database.pool, worker: worker), supervisor]
        if let port = try options.resolvedHTTPPort() {
            services.append(try ServerTelemetry.service(database: database, host: options.resolvedHTTPHost, port: port, logger: logger))
        }
        return services
    }
}
