-- Least-privilege roles (issue 14; deploy/SCALING.md, "Roles", says how to use them).
-- Three NOLOGIN group roles; a deployment creates login roles IN ROLE one of them:
--   bursar_owner   owns the schema's objects and runs `bursar db migrate` (DDL);
--   bursar_worker  what `bursard` needs: read and write the tables it works on, append to and read
--                  the audit trail, no DDL, no UPDATE/DELETE of audit rows;
--   bursar_officer what the CLI's officer commands need: the worker's rights plus replacing
--                  partner and exclusion lists.
-- Numbered last in this room's range so that it runs after the other rooms' tables (005–024);
-- tables of later migrations get the same rights through the default privileges below.
-- Idempotent: roles are cluster-wide and every database (and every test database) runs this, so an
-- existing role is kept, and a role created meanwhile by another database's migration is accepted.
-- The embedded default keeps its one local superuser role; these roles exist there but nobody
-- logs in with them.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['bursar_owner', 'bursar_worker', 'bursar_officer'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION
                WHEN duplicate_object OR unique_violation THEN NULL;
                WHEN insufficient_privilege THEN
                    RAISE EXCEPTION 'role % does not exist and % may not create roles', r, current_user
                        USING HINT = 'have a superuser run deploy/roles.sql once, then run bursar db migrate again';
            END;
        END IF;
    END LOOP;
END
$$;

-- The migrating role hands its objects to bursar_owner when it may (a superuser, or a member of
-- bursar_owner); otherwise they stay with it and only the grants below apply.
DO $$
DECLARE
    obj record;
    me oid := (SELECT oid FROM pg_roles WHERE rolname = current_user);
BEGIN
    IF NOT pg_has_role(current_user, 'bursar_owner', 'USAGE') THEN
        RAISE NOTICE '% is not a member of bursar_owner: the schema keeps its owner', current_user;
        RETURN;
    END IF;
    FOR obj IN
        SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relowner = me
    LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO bursar_owner', obj.name);
    END LOOP;
    FOR obj IN
        SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.proowner = me
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO bursar_owner', obj.name);
    END LOOP;
    ALTER DEFAULT PRIVILEGES FOR ROLE bursar_owner IN SCHEMA public
        GRANT SELECT, INSERT, UPDATE ON TABLES TO bursar_worker, bursar_officer;
    ALTER DEFAULT PRIVILEGES FOR ROLE bursar_owner IN SCHEMA public
        GRANT USAGE, SELECT ON SEQUENCES TO bursar_worker, bursar_officer;
END
$$;

-- Only the owner creates objects (PostgreSQL 15 already refuses PUBLIC; older servers did not).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO bursar_owner;
GRANT USAGE ON SCHEMA public TO bursar_worker, bursar_officer;

GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO bursar_worker, bursar_officer;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO bursar_worker, bursar_officer;
-- Tables created later by the migrating role (when it is not bursar_owner) get the same rights.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE ON TABLES TO bursar_worker, bursar_officer;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO bursar_worker, bursar_officer;

-- The queue's tables by name (they may move to the JobQueue module's own migrations): the cleaner
-- deletes finished jobs, a leader resigns by deleting its row, a process deregisters on exit.
GRANT SELECT, INSERT, UPDATE, DELETE ON bursar_jobs, bursar_queues, bursar_leaders, bursar_workers
    TO bursar_worker, bursar_officer;
-- Importing a partner or exclusion list replaces the program's previous one.
GRANT DELETE ON partners, exclusion_entries TO bursar_officer;

-- The audit trail: append and read, nothing else (the triggers of 025 refuse changes to anyone).
REVOKE ALL ON audit_log FROM bursar_worker, bursar_officer;
GRANT SELECT, INSERT ON audit_log TO bursar_worker, bursar_officer;
-- The schema version is read (the schema check), written only by the owner.
REVOKE ALL ON schema_migrations FROM bursar_worker, bursar_officer;
GRANT SELECT ON schema_migrations TO bursar_worker, bursar_officer;
