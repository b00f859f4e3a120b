import Foundation
import JobQueue
import Logging
import Store

/// Runs Bursar's workers in this process (shared by `bursar drain`, `bursard` and the benchmark).
public enum WorkerProcess {
    /// The queues Bursar's workers serve, each with `concurrency` slots (payments always one).
    public static func configuration(concurrency: Int?, drain: Bool) -> Supervisor.Configuration {
        var queues = JobKinds.queues
        if let concurrency { for key in queues.keys { queues[key] = key == "payments" ? 1 : concurrency } }
        var configuration = Supervisor.Configuration(queues: queues)
        configuration.drain = drain
        return configuration
    }

    /// Runs `supervisor` to its end with this process's row in `bursar_workers` beside it
    /// (`bursar status` lists the process), removed when it ends.
    public static func runRegistered(_ supervisor: Supervisor, database: Database) async -> Supervisor.Summary {
        let worker = WorkerRegistry.Worker(
            id: supervisor.configuration.workerID, startedAt: Date().formatted(.iso8601),
            queues: supervisor.configuration.queues.keys.sorted())
        let done = StopFlag()
        return await withTaskGroup(of: Supervisor.Summary?.self) { group in
            group.addTask {
                await WorkerRegistry.heartbeats(pool: database.pool, worker: worker, until: { done.isSet })
                return nil
            }
            let summary = await supervisor.runToEnd()
            done.set()
            await group.waitForAll()
            return summary
        }
    }

    /// Runs Bursar's workers until no job is runnable.
    public static func drain(database: Database, concurrency: Int?) async throws -> Supervisor.Summary {
        await supervisor(database: database, concurrency: concurrency, drain: true).runToEnd()
    }

    /// A supervisor running Bursar's workers; with `drain` it stops once no job is runnable.
    public static func supervisor(database: Database, concurrency: Int?, drain: Bool) -> Supervisor {
        Supervisor(
            client: database.queue, conninfo: database.conninfo, registry: BursarWorkers.registry(database: database),
            configuration: configuration(concurrency: concurrency, drain: drain), logger: Logger(label: "bursar.drain"))
    }
}
