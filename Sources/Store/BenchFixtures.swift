import Postgres

/// The tables the benchmarks (`bursar bench …`) and the queue's multi-process tests set up and
/// read: their own program's rows, their own queues' jobs and `bench_effects`. Nothing here
/// touches a real program's data.
public enum BenchFixtures {
    /// Empties `program` (decisions, document checks, applications, applicants) and then vacuums
    /// and analyses the tables, so each run starts as a service's program does before its first
    /// batch: the previous run's rows dead and gone, statistics taken that have not seen the
    /// program (deploy/SCALING.md, "A program's first batch"). No `VACUUM FULL`: its lock would
    /// stop a service sharing the database.
    public static func emptyProgram(_ program: String, on connection: Connection) async throws {
        let tables = ["decisions", "document_checks", "applications", "applicants"]
        try await connection.withTransaction { transaction in
            for table in tables {
                try await transaction.query("DELETE FROM \(table) WHERE program = $1", program)
            }
        }
        for table in tables {
            try await connection.simpleQuery("VACUUM (ANALYZE) \(table)")
        }
    }

    /// Deletes the jobs of the given bench queues, then vacuums and analyses `bursar_jobs`.
    public static func clearQueues(_ queues: [String], on connection: Connection) async throws {
        try await connection.query("DELETE FROM bursar_jobs WHERE queue = ANY($1::text[])", TextArray(queues))
        try await connection.simpleQuery("VACUUM (ANALYZE) bursar_jobs")
    }

    /// Leaves exactly `retained` finished jobs of `kind` in the `bench-history` queue (one
    /// server-side insert when the count differs), finished over the last day as the cleaner's
    /// retention keeps them.
    public static func retainFinishedJobs(_ retained: Int, kind: String, on connection: Connection) async throws {
        let held = try await connection.query(
            "SELECT count(*)::bigint AS n FROM bursar_jobs WHERE queue = 'bench-history'"
        ).first?.int("n")
        guard held != retained else { return }
        try await connection.query("DELETE FROM bursar_jobs WHERE queue = 'bench-history'")
        try await connection.query(
            """
            INSERT INTO bursar_jobs (kind, queue, args, state, attempt, attempted_at, attempted_by, scheduled_at,
                                     finalized_at, created_at)
            SELECT $1, 'bench-history', jsonb_build_object('key', g::text), 'completed', 1, t, 'history', t, t, t
            FROM generate_series(1, $2::int) AS g,
                 LATERAL (SELECT now() - (g % 86400) * interval '1 second' AS t) AS at
            """, kind, retained)
    }

    /// Creates `bench_effects`, where `bench.record` writes one row per job under a unique key.
    /// Several processes may start at once, and concurrent `CREATE TABLE IF NOT EXISTS` can
    /// collide, so they take turns under an advisory lock.
    public static func createEffectsTable(on connection: Connection) async throws {
        try await connection.withTransaction { transaction in
            try await transaction.query("SELECT pg_advisory_xact_lock($1)", Int64(0x6265_6e63_68))
            try await transaction.simpleQuery(
                """
                CREATE TABLE IF NOT EXISTS bench_effects (
                    key text PRIMARY KEY, job_id bigint NOT NULL, worker integer NOT NULL,
                    at timestamptz NOT NULL DEFAULT now())
                """)
        }
    }

    /// Records one job's effect; a second run of the same job fails on the key.
    public static func recordEffect(key: String, jobID: Int64, worker: Int32, on connection: Connection) async throws {
        try await connection.query(
            "INSERT INTO bench_effects (key, job_id, worker) VALUES ($1, $2, $3)", key, jobID, worker)
    }
}
