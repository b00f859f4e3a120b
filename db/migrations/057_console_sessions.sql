-- The officers' console (issue 24): its sessions live here, not in the process, so any number of
-- consoles run behind one proxy. The session id itself is never stored: only its SHA-256 (a
-- stolen dump cannot be replayed as a cookie). Officer is the PostgreSQL role the session acts
-- as (`SET role` on each request); the CSRF token is compared with every form's hidden field.
CREATE TABLE console_sessions (
    id_hash text PRIMARY KEY,
    officer text NOT NULL,
    csrf text NOT NULL,
    language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'ja')),
    -- What the applicants search form asked last (kept here so that no name is in a URL).
    search text,
    flash text,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX console_sessions_last_seen ON console_sessions (last_seen_at);

-- Grants by need (docs/security.md): only the console's own login reads and writes sessions;
-- officers and workers have no business with them.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bursar_console') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON console_sessions TO bursar_console;
    END IF;
END
$$;
