-- Each document check is kept in `document_check_versions` (050) by a trigger that ran once per
-- row, a PL/pgSQL call and an INSERT each: for the documents job's 100 checks a statement, it
-- was most of the statement's time in `bench pipeline` (issue 26; 30,000 checks: 2.0 s with the
-- row triggers, 0.4 s without). The rows are now kept with one INSERT per statement from its
-- transition table. A statement with ON CONFLICT DO UPDATE (`documents recheck`) fires both: the
-- rows it inserted are in the INSERT trigger's table, the rows it updated in the UPDATE one's,
-- each row once, numbered as before by `document_checks_number` (still per row: it runs first).
DROP TRIGGER document_checks_keep ON document_checks;
DROP FUNCTION document_checks_keep();

CREATE FUNCTION document_checks_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO document_check_versions (program, applicant_id, revision, version, checks, checked_at)
    SELECT program, applicant_id, revision, version, checks, checked_at FROM kept;
    RETURN NULL;
END
$$;
-- A trigger with a transition table names one event: two triggers share the function.
CREATE TRIGGER document_checks_keep_inserted AFTER INSERT ON document_checks
    REFERENCING NEW TABLE AS kept FOR EACH STATEMENT EXECUTE FUNCTION document_checks_keep();
CREATE TRIGGER document_checks_keep_updated AFTER UPDATE ON document_checks
    REFERENCING NEW TABLE AS kept FOR EACH STATEMENT EXECUTE FUNCTION document_checks_keep();
