-- bursar: statements one by one, outside a transaction
-- Person lookups by birth date and name key, without `program` first (issue 26, found by `bench
-- pipeline` slowing from 28 s to 52 s over repeated runs). Both indexes of applicants began with
-- `program`: (program, applicant_id) and (program, birth_date, name_key). At a program's first
-- batch the statistics have not seen it, so `program = $1` is estimated at one row and the two
-- indexes cost the same; the planner took either one for the other's lookup, reading the whole
-- program on every probe — the duplicates lookup read 1,000,000 rows for 50 people at 20,000
-- applicants, the duplicate-partners probe 494,900 (StaleStatisticsPlanTests). Now the person
-- index leads with the birth date: `program = $1 AND applicant_id = …` can only use the primary
-- key, and the duplicates lookup keeps `program` out of its index conditions (see
-- `PersonScreening.duplicatesSQL`), so this index is the only one that serves it.
-- Built CONCURRENTLY beside running workers; an INVALID build an interruption left is dropped
-- and built again. A worker of the previous version still finds its lookups served by the new
-- index (same leading conditions) until it is upgraded.
DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_index
               WHERE indexrelid = to_regclass('applicants_person') AND NOT indisvalid) THEN
        DROP INDEX applicants_person;
    END IF;
END $$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS applicants_person ON applicants (birth_date, name_key);
DROP INDEX CONCURRENTLY IF EXISTS applicants_name_key;
