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
END
$$;
ALTER ROLE bursar_migrate SET role = 'bursar_owner';
-- PostgreSQL 15 gives PUBLIC no CREATE on schema public: without this the first migration fails
-- with "permission denied for schema public". Only the owner creates objects.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO bursar_owner;
GRANT USAGE ON SCHEMA public TO bursar_worker, bursar_officer;
