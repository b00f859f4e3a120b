-- Grants by need (issue 27; docs/security.md lists the same, table by table and column by column).
-- Migration 029 let bursar_worker and bursar_officer UPDATE every table: a stolen worker password
-- rewrote decisions, payments and the office's lists with no trace. From here each role holds
-- exactly what its statements need, and nothing is granted by default: a table a later migration
-- adds has no rights for either role until a migration grants them by name (fail closed; the
-- test GrantsByNeedTests fails for a table without an explicit decision for each role).
--
-- Tables or columns that do not exist (yet) are skipped: a skipped grant is a right withheld,
-- never one given, and GrantsByNeedTests reports it.

-- 1. Nothing by default, nothing left from 029.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM bursar_worker, bursar_officer;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM bursar_worker, bursar_officer;
DO $$
BEGIN
    IF pg_has_role(current_user, 'bursar_owner', 'USAGE') THEN
        ALTER DEFAULT PRIVILEGES FOR ROLE bursar_owner IN SCHEMA public
            REVOKE ALL ON TABLES FROM bursar_worker, bursar_officer;
    END IF;
END
$$;

-- 2. The grants, one line per role, table and privilege (columns: NULL for the whole table).
DO $$
DECLARE
    g record;
    cols text;
BEGIN
    FOR g IN SELECT * FROM (VALUES
        -- The queue (bursard claims, renews, completes, cleans; officers enqueue, retry, cancel).
        ('bursar_worker',  'bursar_jobs', 'SELECT, INSERT, UPDATE, DELETE', NULL),
        ('bursar_officer', 'bursar_jobs', 'SELECT, INSERT, UPDATE, DELETE', NULL),
        ('bursar_worker',  'bursar_queues', 'SELECT', NULL),
        ('bursar_officer', 'bursar_queues', 'SELECT, INSERT', NULL),
        ('bursar_officer', 'bursar_queues', 'UPDATE', 'paused updated_at'),
        ('bursar_worker',  'bursar_leaders', 'SELECT, INSERT, UPDATE, DELETE', NULL),
        ('bursar_officer', 'bursar_leaders', 'SELECT', NULL),
        ('bursar_worker',  'bursar_workers', 'SELECT, INSERT, UPDATE, DELETE', NULL),
        ('bursar_officer', 'bursar_workers', 'SELECT', NULL),
        ('bursar_worker',  'bursar_queue_migrations', 'SELECT', NULL),
        ('bursar_officer', 'bursar_queue_migrations', 'SELECT', NULL),
        ('bursar_worker',  'schema_migrations', 'SELECT', NULL),
        ('bursar_officer', 'schema_migrations', 'SELECT', NULL),
        -- The office's data: written by officers (and by `bursar db migrate` for programs).
        ('bursar_worker',  'programs', 'SELECT', NULL),
        ('bursar_officer', 'programs', 'SELECT', NULL),
        ('bursar_worker',  'partners', 'SELECT', NULL),
        ('bursar_officer', 'partners', 'SELECT, INSERT, DELETE', NULL),
        ('bursar_worker',  'partner_lists', 'SELECT', NULL),
        ('bursar_officer', 'partner_lists', 'SELECT, INSERT', NULL),
        ('bursar_officer', 'partner_lists', 'UPDATE', 'source partners imported_at'),
        ('bursar_worker',  'partner_decisions', 'SELECT', NULL),
        ('bursar_officer', 'partner_decisions', 'SELECT, INSERT', NULL),
        ('bursar_officer', 'partner_decisions', 'UPDATE', 'spelling partner reason decided_at'),
        ('bursar_worker',  'exclusion_lists', 'SELECT', NULL),
        ('bursar_officer', 'exclusion_lists', 'SELECT, INSERT', NULL),
        ('bursar_officer', 'exclusion_lists', 'UPDATE', 'entries source imported_at'),
        ('bursar_worker',  'exclusion_entries', 'SELECT', NULL),
        ('bursar_officer', 'exclusion_entries', 'SELECT, INSERT, DELETE', NULL),
        ('bursar_worker',  'duplicate_resolutions', 'SELECT', NULL),
        ('bursar_officer', 'duplicate_resolutions', 'SELECT, INSERT, DELETE', NULL),
        ('bursar_officer', 'duplicate_resolutions', 'UPDATE', 'kept resolved_at'),
        ('bursar_worker',  'program_data_versions', 'SELECT', NULL),
        ('bursar_officer', 'program_data_versions', 'SELECT, INSERT', NULL),
        -- Applications: submitted by officers, read by the workers. The worker's one column of
        -- UPDATE lets it lock an applicant (FOR SHARE needs it); the trigger below refuses its updates.
        ('bursar_worker',  'applicants', 'SELECT', NULL),
        ('bursar_worker',  'applicants', 'UPDATE', 'latest_revision'),
        ('bursar_officer', 'applicants', 'SELECT, INSERT', NULL),
        ('bursar_officer', 'applicants', 'UPDATE',
            'latest_revision content_hash birth_date family_name given_name citizenships'),
        ('bursar_worker',  'applications', 'SELECT', NULL),
        ('bursar_officer', 'applications', 'SELECT, INSERT', NULL),
        -- What the workers decide: document checks and decisions (decided_at is the database's).
        ('bursar_worker',  'document_checks', 'SELECT', NULL),
        ('bursar_worker',  'document_checks', 'INSERT', 'program applicant_id revision checks'),
        ('bursar_worker',  'document_checks', 'UPDATE', 'checks checked_at'),
        ('bursar_officer', 'document_checks', 'SELECT', NULL),
        ('bursar_worker',  'decisions', 'SELECT', NULL),
        ('bursar_worker',  'decisions', 'INSERT',
            'id program applicant_id revision outcome gpa categories failed review conditions rule_set trace '
            'partner_key institution institution_country definition_version partners_version exclusions_version '
            'duplicates_version'),
        ('bursar_officer', 'decisions', 'SELECT', NULL),
        -- The lifecycle: officers submit events, the worker applies them to scholarships.
        ('bursar_worker',  'lifecycle_events', 'SELECT', NULL),
        ('bursar_worker',  'lifecycle_events', 'UPDATE', 'status effect message processed_at'),
        ('bursar_officer', 'lifecycle_events', 'SELECT', NULL),
        ('bursar_officer', 'lifecycle_events', 'INSERT', 'program event_id applicant_id type body'),
        ('bursar_worker',  'scholarships', 'SELECT, INSERT', NULL),
        ('bursar_worker',  'scholarships', 'UPDATE', 'status state updated_at'),
        ('bursar_officer', 'scholarships', 'SELECT, INSERT', NULL),
        ('bursar_officer', 'scholarships', 'UPDATE', 'status state updated_at'),
        ('bursar_worker',  'flag_actions', 'SELECT', NULL),
        ('bursar_worker',  'flag_actions', 'INSERT', 'program applicant_id flag action reason'),
        ('bursar_officer', 'flag_actions', 'SELECT', NULL),
        ('bursar_officer', 'flag_actions', 'INSERT', 'program applicant_id flag action reason'),
        -- Money: only the officer's payment run records payments and runs. The worker settles
        -- unpaid months between runs (status and reason), never amounts, runs or paths.
        ('bursar_worker',  'payments', 'SELECT', NULL),
        ('bursar_worker',  'payments', 'UPDATE', 'status reason'),
        ('bursar_officer', 'payments', 'SELECT', NULL),
        ('bursar_officer', 'payments', 'INSERT',
            'program applicant_id month amount_yen status reason run_month run_id paid_at'),
        ('bursar_officer', 'payments', 'UPDATE', 'status reason run_month run_id paid_at'),
        ('bursar_officer', 'payment_runs', 'SELECT', NULL),
        ('bursar_officer', 'payment_runs', 'INSERT', 'program month paid held total_yen'),
        ('bursar_officer', 'payment_runs', 'UPDATE', 'paid held due voided total_yen bank_file written_at'),
        -- The audit trail: appended by both, read by officers; id, time and role are the database's.
        ('bursar_worker',  'audit_log', 'INSERT', 'action program applicant_id reason detail os_user actor'),
        ('bursar_officer', 'audit_log', 'SELECT', NULL),
        ('bursar_officer', 'audit_log', 'INSERT', 'action program applicant_id reason detail os_user actor')
    ) AS t(role, tab, privilege, columns) LOOP
        IF to_regclass(format('public.%I', g.tab)) IS NULL THEN
            RAISE NOTICE 'no table %: % of % not granted', g.tab, g.privilege, g.role;
            CONTINUE;
        END IF;
        IF g.columns IS NULL THEN
            EXECUTE format('GRANT %s ON %I TO %I', g.privilege, g.tab, g.role);
            CONTINUE;
        END IF;
        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
        FROM pg_attribute a
        WHERE a.attrelid = format('public.%I', g.tab)::regclass AND a.attnum > 0 AND NOT a.attisdropped
          AND a.attname = ANY (string_to_array(g.columns, ' '));
        IF cols IS NOT NULL THEN
            EXECUTE format('GRANT %s (%s) ON %I TO %I', g.privilege, cols, g.tab, g.role);
        END IF;
    END LOOP;
END
$$;

-- 3. Append-only, for every role (the owner included): a decision, a version of the office's data,
-- a flag action is never changed or removed; a correction is a new row. The function names the
-- table it refuses for.
CREATE FUNCTION bursar_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'record a new row that corrects the earlier one instead';
END
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['decisions', 'program_data_versions', 'flag_actions'] LOOP
        IF to_regclass(format('public.%I', t)) IS NULL THEN CONTINUE; END IF;
        -- `bursar bench pipeline` starts its own synthetic program afresh (PipelineBench).
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW WHEN (OLD.program <> %L) '
                       'EXECUTE FUNCTION bursar_refuse_change()', t || '_append_only', t, 'bench-pipeline');
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT '
                       'EXECUTE FUNCTION bursar_refuse_change()', t || '_no_truncate', t);
    END LOOP;
END
$$;

-- A decision's id comes from its sequence (DecisionStore reserves them with nextval): an id ahead
-- of the sequence would stay "the latest decision" of its applicant forever. Checked once per
-- statement (COPY included) on the rows it inserted.
CREATE FUNCTION decisions_ids_from_sequence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM inserted WHERE id > (SELECT last_value FROM decisions_id_seq)) THEN
        RAISE EXCEPTION 'a decision id must come from decisions_id_seq (nextval), not from the caller'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER decisions_ids_from_sequence AFTER INSERT ON decisions REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION decisions_ids_from_sequence();

-- The worker locks applicants (see above) but never changes them.
CREATE FUNCTION bursar_refuse_worker() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
               WHERE g.rolname = 'bursar_worker'
                 AND m.member = (SELECT oid FROM pg_roles WHERE rolname = current_user)) THEN
        RAISE EXCEPTION 'bursar_worker may not % %', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER applicants_not_by_worker BEFORE UPDATE ON applicants
    FOR EACH STATEMENT EXECUTE FUNCTION bursar_refuse_worker();

-- 4. The audit trail: the database numbers and stamps every row (id, time, role), whatever the
-- caller sent; os_user and actor are what the client reports (the database cannot see the
-- operating-system user of a TCP client): bounded, printable, one line.
CREATE OR REPLACE FUNCTION audit_log_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.id := nextval('audit_log_id_seq');
    NEW.db_role := current_user;
    NEW.at := now();
    RETURN NEW;
END
$$;
ALTER TABLE audit_log
    ADD CONSTRAINT audit_log_os_user_plain
        CHECK (os_user IS NULL OR (length(os_user) <= 64 AND os_user !~ '[[:cntrl:]]')) NOT VALID,
    ADD CONSTRAINT audit_log_actor_plain
        CHECK (actor IS NULL OR (length(actor) <= 200 AND actor !~ '[[:cntrl:]]')) NOT VALID;
