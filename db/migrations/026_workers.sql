-- The processes working now (`bursar status`): each supervisor upserts its row every few seconds
-- and deletes it on a clean exit; a row whose heartbeat is older than its own stated lifetime
-- belongs to a process that died and is not shown (and is removed by the next heartbeat of any
-- process). Sources/JobQueue/WorkerRegistry.swift holds the statements.
CREATE TABLE bursar_workers (
    worker_id    text PRIMARY KEY,
    host         text        NOT NULL,
    pid          integer     NOT NULL,
    started_at   timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    queues       text[]      NOT NULL DEFAULT '{}'
);
-- Jobs in flight are not stored here: `bursar status` counts each worker's running jobs
-- (bursar_jobs.attempted_by) through the partial index on running rows.
