-- Run once per PostgreSQL cluster as a superuser (psql -f deploy/roles.sql) when the role that
-- runs `bursar db migrate` may not create roles itself. Migration 029 then grants the rights.
-- Passwords: set them afterwards with \password in psql, never in this file.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['bursar_owner', 'bursar_worker', 'bursar_officer'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END
$$;
-- Login roles: one per use. `SET role` makes the migrating login create objects as bursar_owner.
CREATE ROLE bursar_migrate LOGIN IN ROLE bursar_owner;
ALTER ROLE bursar_migrate SET role = 'bursar_owner';
CREATE ROLE bursard LOGIN IN ROLE bursar_worker;
CREATE ROLE bursar_cli LOGIN IN ROLE bursar_officer;
