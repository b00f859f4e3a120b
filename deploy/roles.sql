-- Run once per database as a superuser, connected to Bursar's database
-- (psql -d bursar -v ON_ERROR_STOP=1 -f deploy/roles.sql), before the first `bursar db migrate`.
-- Roles are cluster-wide and created only when missing; the schema grant is the database's own.
-- Passwords: set them afterwards with \password in psql (scram-sha-256, the default of
-- PostgreSQL 14 and later), never in this file. docs/security.md lists what each role may do.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['bursar_owner', 'bursar_worker', 'bursar_officer'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
    -- Login roles: one per use. `SET role` makes the migrating login create objects as bursar_owner.
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bursar_migrate') THEN
        CREATE ROLE bursar_migrate LOGIN IN ROLE bursar_owner;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bursard') THEN
        CREATE ROLE bursard LOGIN IN ROLE bursar_worker;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bursar_cli') THEN
        CREATE ROLE bursar_cli LOGIN IN ROLE bursar_officer;
    END IF;
    -- The officers' console (issue 24): a member of nothing powerful, NOINHERIT, so it holds no
    -- officer's rights by itself. Each officer's login is granted to it (GRANT alice TO
    -- bursar_console) so that the console may `SET role alice` for alice's requests only: the
    -- database then applies alice's grants and stamps alice on the audit rows. Officers are
    -- logins in bursar_officer: CREATE ROLE alice LOGIN IN ROLE bursar_officer; \password alice
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bursar_console') THEN
        CREATE ROLE bursar_console LOGIN NOINHERIT;
    END IF;
END
$$;
ALTER ROLE bursar_migrate SET role = 'bursar_owner';
-- PostgreSQL 15 gives PUBLIC no CREATE on schema public: without this the first migration fails
-- with "permission denied for schema public". Only the owner creates objects.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO bursar_owner;
GRANT USAGE ON SCHEMA public TO bursar_worker, bursar_officer;
GRANT USAGE ON SCHEMA public TO bursar_console;
-- The console's sessions (migration 057 grants the same when this file ran first).
DO $$
BEGIN
    IF to_regclass('public.console_sessions') IS NOT NULL THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON console_sessions TO bursar_console;
    END IF;
END
$$;
