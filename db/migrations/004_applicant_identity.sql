-- The identity of each applicant's latest revision lives on `applicants`, so that person-level
-- lookups (duplicates, the applications an exclusion list may affect) are one index scan there
-- instead of a scan of every revision joined back to `applicants` — a join the planner hashed over
-- the whole table, making each screening job slower as the program grew.
ALTER TABLE applicants
    ADD COLUMN birth_date   date,
    ADD COLUMN family_name  text,
    ADD COLUMN given_name   text,
    ADD COLUMN citizenships text[];

UPDATE applicants h
SET birth_date = a.birth_date, family_name = a.family_name, given_name = a.given_name, citizenships = a.citizenships
FROM applications a
WHERE a.program = h.program AND a.applicant_id = h.applicant_id AND a.revision = h.latest_revision;

ALTER TABLE applicants
    ALTER COLUMN birth_date SET NOT NULL,
    ALTER COLUMN family_name SET NOT NULL,
    ALTER COLUMN given_name SET NOT NULL,
    ALTER COLUMN citizenships SET NOT NULL;

CREATE INDEX applicants_identity ON applicants (program, birth_date);
-- Every revision keeps its own identity columns (history); nothing looks them up by birth date.
DROP INDEX applications_identity;

-- An application's content is kept as the exact canonical text whose sha256 is content_hash
-- (jsonb would re-serialize it), and a decision's trace and a revision's document checks as the
-- text Bursar wrote. They are only ever read whole; building jsonb for them was most of the
-- database's time per application.
-- SQL that wants to look inside casts: `content::jsonb ->> 'course'`.
ALTER TABLE applications ALTER COLUMN content TYPE text USING content::text;
ALTER TABLE decisions ALTER COLUMN trace TYPE text USING trace::text;
ALTER TABLE document_checks ALTER COLUMN checks TYPE text USING checks::text;
-- Traces are ~5 KB each: lz4 compresses them several times faster than pglz.
ALTER TABLE decisions ALTER COLUMN trace SET COMPRESSION lz4;
