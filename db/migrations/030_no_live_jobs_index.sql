-- Drops 027's index of live jobs again (issue 12). The queue's own migration 4 drops it, but the
-- queue migrates first, so on a new database 027 would create it afresh after that; 027 is
-- applied in service and cannot change. Why the index must not exist: a claim matched it on every
-- column, and under statistics taken while a queue was empty the planner walked it, fetched the
-- whole backlog and sorted it for every claim (see QueueMigrationSQL.v4).
DROP INDEX IF EXISTS bursar_jobs_live;
