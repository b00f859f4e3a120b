-- Grants by need (035) for the columns and tables added beside it in the same release: the
-- applicant's name key (045, written by `bursar submit`), the fold's event columns (031: the
-- lifecycle worker records what an event voids from and the decision in force at admission, and
-- which retraction withdrew an event), and the month and baseline decision of a flag action
-- (031, written by the decision side in bursard and by officers' clears and holds); the worker
-- no longer writes payments at all. The bank
-- tables (047) carry their own grants; the kept document checks and decisions' inputs (050) and
-- the officer's program imports (issue 23) are granted here. docs/security.md lists them all.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bursar_officer') THEN
        GRANT UPDATE (name_key) ON applicants TO bursar_officer;
        GRANT INSERT (month, decision_id) ON flag_actions TO bursar_officer;
        -- `bursar programs import` (issue 23): a new definition version, audited.
        GRANT INSERT, UPDATE ON programs TO bursar_officer;
        GRANT SELECT ON document_check_versions TO bursar_officer;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bursar_worker') THEN
        GRANT UPDATE (void_from, decision_id, retracted_by) ON lifecycle_events TO bursar_worker;
        -- The ledger of paid months (031) is written by the officer's payment run alone.
        REVOKE UPDATE (status, reason) ON payments FROM bursar_worker;
        GRANT INSERT (month, decision_id) ON flag_actions TO bursar_worker;
        -- What each decision read (050): its kept document checks and the duplicates it found.
        GRANT INSERT (documents_version, duplicate_hits) ON decisions TO bursar_worker;
        GRANT SELECT, INSERT ON document_check_versions TO bursar_worker;
    END IF;
END
$$;
