-- bursar: statements one by one, outside a transaction
-- The index of decisions holding an uncertain partner spelling (058) had its predicate parse
-- every new decision's trace (~5 KB) into jsonb and walk it: four fifths of the time of each
-- decision's INSERT, the largest single cost of the database in `bench pipeline` (issue 26:
-- 100,000 decisions, 45.6 s of COPY). The screening worker knows the answer when it writes the
-- trace, and now stores it: `partner_uncertain` (true or false). Decisions written before this
-- column, or by a worker of the previous version during a rolling deploy, have it null, and the
-- index reads their trace as before. `ReviewStore.uncertainSpellings` tests the same predicate
-- word for word (a partial index serves only a query whose condition matches its predicate).
-- The index is built CONCURRENTLY beside running workers, and each statement can run again: a
-- build that an interruption left INVALID is dropped (instantly, under the migrator's
-- lock_timeout) and built again; a valid one is kept. A console or `bursar review` of the previous
-- version still asks with 058's predicate: until it is upgraded, its list of uncertain spellings
-- reads the traces again (slower, not wrong) — upgrade readers with the workers.
ALTER TABLE decisions ADD COLUMN IF NOT EXISTS partner_uncertain boolean;
DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_index
               WHERE indexrelid = to_regclass('decisions_partner_uncertain') AND NOT indisvalid) THEN
        DROP INDEX decisions_partner_uncertain;
    END IF;
END $$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS decisions_partner_uncertain ON decisions (program, applicant_id, id)
    WHERE partner_key IS NOT NULL AND (partner_uncertain OR (partner_uncertain IS NULL
        AND jsonb_path_exists(trace::jsonb,
            'strict $.clauses[*] ? (@.id == "eligibility.2")'
            '.facts[*] ? (@[0] == "partner match" && @[1] starts with "uncertain")',
            '{}', true)));
DROP INDEX CONCURRENTLY IF EXISTS decisions_uncertain_partner;
DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bursar_worker') THEN
        GRANT INSERT (partner_uncertain) ON decisions TO bursar_worker;
    END IF;
END $$;
