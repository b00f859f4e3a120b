-- `bursar status` (issue 14: under 1 s on a jobs table of 2,000,000 finished rows) lists recent
-- failures with `state IN ('retryable', 'discarded') AND scheduled_at > now() - 1 day`; without an
-- index matching that predicate it read the whole table (540 ms of the 1.5 s measured). This
-- partial index holds failed rows only. It belongs with the queue's schema: move it into the
-- JobQueue module's migrations when that module owns them.
CREATE INDEX IF NOT EXISTS bursar_jobs_failures ON bursar_jobs (scheduled_at) WHERE state IN ('retryable', 'discarded');
