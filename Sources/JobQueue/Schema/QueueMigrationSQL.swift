/// The SQL of the queue's migrations. Never edit an applied version: add a new one.
enum QueueMigrationSQL {
    /// Exactly the schema of the application's former `db/migrations/001_job_queue.sql`.
    static let v1 = """
        -- The job queue (Sources/JobQueue). Knows nothing of scholarships.
        CREATE TABLE bursar_jobs (
            id               bigserial PRIMARY KEY,
            kind             text        NOT NULL,
            queue            text        NOT NULL DEFAULT 'default',
            args             jsonb       NOT NULL DEFAULT '{}',
            state            text        NOT NULL DEFAULT 'available'
                             CHECK (state IN ('available', 'scheduled', 'running', 'retryable', 'completed',
                                              'discarded', 'cancelled')),
            priority         smallint    NOT NULL DEFAULT 100,
            attempt          integer     NOT NULL DEFAULT 0,
            max_attempts     integer     NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
            scheduled_at     timestamptz NOT NULL DEFAULT now(),
            attempted_at     timestamptz,
            attempted_by     text,
            lease_expires_at timestamptz,
            finalized_at     timestamptz,
            created_at       timestamptz NOT NULL DEFAULT now(),
            unique_key       text,
            cancel_requested boolean     NOT NULL DEFAULT false,
            -- Error history: [{"attempt": n, "at": "...", "message": "..."}]; never personal data.
            errors           jsonb       NOT NULL DEFAULT '[]'
        ) WITH (
            -- Every job row is updated several times in its life: leave room for HOT updates and
            -- vacuum the table early and often so dead tuples never pile up.
            fillfactor = 70,
            autovacuum_vacuum_scale_factor = 0.01,
            autovacuum_vacuum_threshold = 1000,
            autovacuum_analyze_scale_factor = 0.02,
            autovacuum_vacuum_cost_delay = 0
        );

        -- The claim query's path: runnable rows only, in claim order.
        CREATE INDEX bursar_jobs_claim ON bursar_jobs (queue, priority, scheduled_at, id) WHERE state = 'available';
        -- The scheduler: waiting rows by due time.
        CREATE INDEX bursar_jobs_waiting ON bursar_jobs (scheduled_at) WHERE state IN ('scheduled', 'retryable');
        -- The rescuer: running rows by lease expiry.
        CREATE INDEX bursar_jobs_leases ON bursar_jobs (lease_expires_at) WHERE state = 'running';
        -- The cleaner and "completed in the last minute".
        CREATE INDEX bursar_jobs_finalized ON bursar_jobs (finalized_at) WHERE finalized_at IS NOT NULL;
        -- A unique key is live while its job waits to run.
        CREATE UNIQUE INDEX bursar_jobs_unique ON bursar_jobs (unique_key)
            WHERE unique_key IS NOT NULL AND state IN ('available', 'scheduled', 'retryable');

        CREATE TABLE bursar_queues (
            name       text PRIMARY KEY,
            paused     boolean     NOT NULL DEFAULT false,
            updated_at timestamptz NOT NULL DEFAULT now()
        );

        -- One row per elected role; the holder renews its lease, others take over when it lapses.
        CREATE TABLE bursar_leaders (
            role       text PRIMARY KEY,
            holder     text        NOT NULL,
            expires_at timestamptz NOT NULL
        );
        """

    /// Unique keys hold across `running` (River's default): a second job with the key of a
    /// running one is not inserted, so no return of a job to a waiting state (fail, snooze,
    /// release, rescue) can collide with a duplicate. Duplicates that version 1 let in keep
    /// running but lose their key (the oldest live job keeps it): no work is dropped.
    ///
    /// Lease renewal changes only `lease_expires_at`; with that column in no index and no
    /// predicate, a renewal is a HOT update. The rescuer finds running rows through a small
    /// partial index on id instead (running rows are at most the workers' slots).
    static let v2 = """
        UPDATE bursar_jobs j SET unique_key = NULL
        WHERE unique_key IS NOT NULL AND state IN ('available', 'scheduled', 'running', 'retryable')
          AND EXISTS (SELECT 1 FROM bursar_jobs o
                      WHERE o.unique_key = j.unique_key AND o.id < j.id
                        AND o.state IN ('available', 'scheduled', 'running', 'retryable'));
        DROP INDEX bursar_jobs_unique;
        CREATE UNIQUE INDEX bursar_jobs_unique_live ON bursar_jobs (unique_key)
            WHERE unique_key IS NOT NULL AND state IN ('available', 'scheduled', 'running', 'retryable');
        DROP INDEX bursar_jobs_leases;
        CREATE INDEX bursar_jobs_running ON bursar_jobs (id) WHERE state = 'running';
        """

    /// The indexes of operators' questions (`bursar status`, `bursar jobs list --state …`),
    /// which the application's migration 027 had added from outside the queue: jobs per queue
    /// and state of the live rows, and recent failures. Both hold live or failed rows only,
    /// never the millions of completed ones. `IF NOT EXISTS`: a database that ran 027 keeps
    /// its indexes (027 is applied and cannot change; on a new database it finds these).
    static let v3 = """
        CREATE INDEX IF NOT EXISTS bursar_jobs_live ON bursar_jobs (queue, state, scheduled_at)
            WHERE state IN ('available', 'scheduled', 'running', 'retryable');
        CREATE INDEX IF NOT EXISTS bursar_jobs_failures ON bursar_jobs (scheduled_at)
            WHERE state IN ('retryable', 'discarded');
        """

    /// Drops version 3's index of live jobs, `(queue, state, scheduled_at)` over the four live
    /// states. A claim's `queue = $1 AND state = 'available' AND scheduled_at <= now()` matched
    /// it on every column, and it is a third of the size of `bursar_jobs_claim`; under statistics
    /// taken while the queue held no runnable jobs the planner chose it, fetched the whole backlog
    /// and sorted it for every claim (69 ms a claim on 100,000 jobs against 3 ms; issue 12). It
    /// also cost an index write on every state change. `bursar status` counts live jobs through
    /// the partial indexes each state already has instead (`QueueDriver.liveCountsSQL`).
    static let v4 = """
        DROP INDEX IF EXISTS bursar_jobs_live;
        """

    /// The claim as a function that fixes its own planner settings. Statistics taken while a
    /// queue was empty (the cleaner had removed its history, or a new deployment) estimate one
    /// runnable row after a burst of 100,000, and the planner then finds the rows with a bitmap
    /// scan of `bursar_jobs_claim` and sorts them: the whole backlog read for each claim of 200
    /// (35–55 ms a claim, `auto_explain` in `bursar bench queue`, against 3 ms). PostgreSQL has no
    /// plan hints; a function's `SET` clauses are its way of pinning settings for one statement.
    /// With bitmap and sequential scans and sorts priced out, the one plan left at ordinary cost
    /// is the walk of `bursar_jobs_claim` in its order that stops after `$2` rows, whatever the
    /// statistics say; with hash and merge joins priced out, the claimed rows are updated by
    /// key. (A SQL function's body gets a generic plan, which guesses a tenth of the table for
    /// `LIMIT $2`: without the join settings it hashed the whole table, 80 ms for 10 rows.)
    /// One call, one round trip, as the plain statement was; 0.8 ms for 10 rows either way
    /// (pgbench, 220,000 available).
    static let v5 = """
        CREATE OR REPLACE FUNCTION bursar_claim(claim_queue text, claim_limit bigint, claim_worker text,
                                                lease_seconds float8)
        RETURNS TABLE (id bigint, kind text, queue text, args jsonb, attempt integer, max_attempts integer)
        LANGUAGE sql VOLATILE
        SET enable_indexscan = on
        SET enable_nestloop = on
        SET enable_bitmapscan = off
        SET enable_seqscan = off
        SET enable_sort = off
        SET enable_hashjoin = off
        SET enable_mergejoin = off
        AS $claim$
        WITH picked AS (
            SELECT id FROM bursar_jobs
            WHERE state = 'available' AND queue = $1 AND scheduled_at <= now()
              AND NOT EXISTS (SELECT 1 FROM bursar_queues WHERE name = $1 AND paused)
            ORDER BY priority, scheduled_at, id
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        )
        UPDATE bursar_jobs j
        SET state = 'running', attempt = j.attempt + 1, attempted_at = now(), attempted_by = $3,
            lease_expires_at = now() + make_interval(secs => $4)
        FROM picked WHERE j.id = picked.id
        RETURNING j.id, j.kind, j.queue, j.args, j.attempt, j.max_attempts
        $claim$;
        """

    /// The cleaner's index (River's `(state, finalized_at)`): each state's deletable rows are one
    /// range of it, below that state's cutoff, so a pass reads only rows it deletes — not every
    /// retained discarded row, as the scan of `bursar_jobs_finalized` by time alone did (517,990
    /// rows read and dropped per pass on 2.7 million). Built `CONCURRENTLY`, outside a
    /// transaction: claims and renewals go on while it builds. An interrupted build leaves an
    /// invalid index, which the first statement drops when the migration runs again.
    static let v6 = [
        "DROP INDEX CONCURRENTLY IF EXISTS bursar_jobs_finalized_state",
        """
        CREATE INDEX CONCURRENTLY bursar_jobs_finalized_state ON bursar_jobs (state, finalized_at)
            WHERE finalized_at IS NOT NULL
        """,
    ]
}
