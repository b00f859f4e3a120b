import Foundation
import Postgres
import ServiceLifecycle

/// The processes working now (`bursar status`), in the `bursar_workers` table: each supervisor
/// upserts its row every few seconds (``heartbeat(on:worker:)``), deletes it on a clean exit
/// (``deregister(on:workerID:)``); a process that dies leaves a row that stops counting once its
/// `expires_at` passes and is removed by the next heartbeat of any process.
///
/// Jobs in flight are not reported by the process: ``live(on:)`` counts each worker's running jobs
/// (`attempted_by`) through the partial index on running rows, so the figure is the queue's own.
/// `bursard` runs ``HeartbeatService`` beside its supervisor; a supervisor may instead run
/// ``heartbeats(pool:worker:every:until:onError:)`` as one more child task.
public enum WorkerRegistry {
    /// One process, as it reports itself.
    public struct Worker: Sendable, Equatable {
        /// The supervisor's worker id (`attempted_by` of its jobs).
        public var id: String
        public var host: String
        public var pid: Int
        /// When the process started, ISO 8601 UTC.
        public var startedAt: String
        /// Queues it runs.
        public var queues: [String]
        /// Jobs it runs now (its running jobs in the queue).
        public var inFlight: Int
        /// Seconds since its last heartbeat (filled in by ``live(on:)``).
        public var heartbeatAgeSeconds: Double

        public init(
            id: String, host: String = Worker.hostName, pid: Int = Int(getpid()), startedAt: String, queues: [String],
            inFlight: Int = 0, heartbeatAgeSeconds: Double = 0
        ) {
            self.id = id
            self.host = host
            self.pid = pid
            self.startedAt = startedAt
            self.queues = queues
            self.inFlight = inFlight
            self.heartbeatAgeSeconds = heartbeatAgeSeconds
        }

        /// This machine's short host name.
        public static var hostName: String {
            ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        }
    }

    /// Rows whose heartbeat lapsed this long ago are deleted (a minute of history for a crash).
    static let keepLapsed = "1 minute"

    /// Upserts the worker's row; it counts as live for `lifetime` seconds.
    public static func heartbeat(on connection: Connection, worker: Worker, lifetime: Double = 15) async throws {
        try await connection.query(
            """
            INSERT INTO bursar_workers (worker_id, host, pid, started_at, heartbeat_at, expires_at, queues)
            VALUES ($1, $2, $3, $4::timestamptz, now(), now() + make_interval(secs => $5::float8), $6::text[])
            ON CONFLICT (worker_id) DO UPDATE SET heartbeat_at = now(), expires_at = excluded.expires_at,
                queues = excluded.queues
            """, worker.id, worker.host, worker.pid, worker.startedAt, String(lifetime), TextArray(worker.queues))
        try await connection.query("DELETE FROM bursar_workers WHERE expires_at < now() - $1::interval", keepLapsed)
    }

    /// Deletes the worker's row (a clean exit).
    public static func deregister(on connection: Connection, workerID: String) async throws {
        try await connection.query("DELETE FROM bursar_workers WHERE worker_id = $1", workerID)
    }

    /// The processes whose heartbeat has not lapsed, by host and pid.
    public static func live(on connection: Connection) async throws -> [Worker] {
        let rows = try await connection.query(
            """
            SELECT worker_id, host, pid, to_char(started_at AT TIME ZONE 'UTC',
                'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS started,
                   array_to_string(queues, ',') AS queue_list,
                   (SELECT count(*) FROM bursar_jobs j WHERE j.state = 'running'
                       AND j.attempted_by = w.worker_id)::int AS in_flight,
                   extract(epoch FROM now() - heartbeat_at)::float8 AS age
            FROM bursar_workers w WHERE expires_at > now() ORDER BY host, pid, worker_id
            """)
        return try rows.map { row in
            Worker(
                id: try row.string("worker_id"), host: try row.string("host"), pid: try row.int("pid"),
                startedAt: try row.string("started"),
                queues: try row.string("queue_list").split(separator: ",").map(String.init),
                inFlight: try row.int("in_flight"), heartbeatAgeSeconds: try row.double("age") ?? 0)
        }
    }

    /// Heartbeats every `every` seconds until `stopped()` returns true (or the task is
    /// cancelled), then deregisters. Errors are passed to `onError` and retried at the next beat
    /// (a database restart must not stop the workers).
    public static func heartbeats(
        pool: ConnectionPool, worker: Worker, every: Double = 5,
        until stopped: @escaping @Sendable () -> Bool,
        onError: @escaping @Sendable (any Error) -> Void = { _ in }
    ) async {
        while !Task.isCancelled && !stopped() {
            do {
                try await pool.withConnection { try await heartbeat(on: $0, worker: worker, lifetime: every * 3) }
            } catch {
                onError(error)
            }
            var waited = 0.0
            while waited < every && !Task.isCancelled && !stopped() {
                try? await Task.sleep(for: .milliseconds(100))
                waited += 0.1
            }
        }
        _ = try? await pool.withConnection { try await deregister(on: $0, workerID: worker.id) }
    }
}

/// Keeps this process's row in `bursar_workers` while the service group runs; deregisters on
/// graceful shutdown. List it before the supervisor in the group so that it stops after it
/// (swift-service-lifecycle shuts services down in reverse order).
public struct HeartbeatService: Service {
    let pool: ConnectionPool
    let worker: WorkerRegistry.Worker
    let every: Double

    public init(pool: ConnectionPool, worker: WorkerRegistry.Worker, every: Double = 5) {
        self.pool = pool
        self.worker = worker
        self.every = every
    }

    public func run() async throws {
        let stopping = StopFlag()
        await withGracefulShutdownHandler {
            await WorkerRegistry.heartbeats(pool: pool, worker: worker, every: every, until: { stopping.isSet })
        } onGracefulShutdown: {
            _ = stopping.set()
        }
    }
}
