-- `bursar bench whatif` replaces the applications and decisions of its own program
-- (`bench-whatif`) on every run, as `bench pipeline` does with `bench-pipeline`; the append-only
-- triggers of 035 exempted only the latter, so a second what-if benchmark on a database was
-- refused ("decisions is append-only: DELETE is refused"). The two synthetic programs, named
-- exactly, are exempt; every other program's decisions, data versions and flag actions stay
-- append-only. Each trigger is replaced in the migration's transaction (brief locks, under the
-- migrator's lock_timeout).
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['decisions', 'program_data_versions', 'flag_actions'] LOOP
        IF to_regclass(format('public.%I', t)) IS NULL THEN CONTINUE; END IF;
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_append_only', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW '
                       'WHEN (OLD.program NOT IN (%L, %L)) EXECUTE FUNCTION bursar_refuse_change()',
                       t || '_append_only', t, 'bench-pipeline', 'bench-whatif');
    END LOOP;
END
$$;
