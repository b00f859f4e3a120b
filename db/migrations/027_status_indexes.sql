-- `bursar status` (issue 14: under 1 s on a jobs table of 2,000,000 finished rows). Two of its
-- statements matched no index and read the whole table:
--  * jobs per queue and state of the live rows, `state IN ('available', 'scheduled', 'running',
--    'retryable')` — no single partial index covers the four states, so the planner scanned every
--    row (2.2 s on 2,005,000 rows; 1 ms with this index, an index-only scan);
--  * recent failures, `state IN ('retryable', 'discarded') AND scheduled_at > …` (540 ms; 5 ms).
-- Both indexes hold live or failed rows only, never the millions of completed ones. They belong
-- with the queue's schema: move them into the JobQueue module's migrations when it owns them.
CREATE INDEX IF NOT EXISTS bursar_jobs_live ON bursar_jobs (queue, state, scheduled_at)
    WHERE state IN ('available', 'scheduled', 'running', 'retryable');
CREATE INDEX IF NOT EXISTS bursar_jobs_failures ON bursar_jobs (scheduled_at) WHERE state IN ('retryable', 'discarded');
