-- Payments and payment runs change only the way the payment run changes them (issue 27), for
-- every role, the owner included. Written against the tables of migrations 003 and 005; a table
-- or column redesign (issue 21) carries these rules over to its own tables.
--
-- payments: never deleted; a paid row never changes; program, applicant, month, amount and the
-- stored path never change; a row becomes paid only inside the transaction that created its run
-- (the payment run), naming that run.
-- payment_runs: never deleted; program, month, id and time never change; counts, total and the
-- file name are set by the transaction that created the run; written_at is set once, never unset
-- (a stopped run's file is rewritten from its committed rows, never from a stored path).

-- Whether the row of payment_runs `run` was created (or last written) by the current transaction.
-- SECURITY DEFINER: the worker, which may not read payment_runs, gets this refusal, not another.
CREATE FUNCTION payment_run_is_current(run bigint) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM payment_runs r WHERE r.id = run AND r.xmin::text = (txid_current() % 4294967296)::text)
$$;

CREATE FUNCTION payments_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'payments are never removed: % is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD.status = 'paid' THEN
            RAISE EXCEPTION 'a paid month is never changed (% %)', OLD.applicant_id, OLD.month
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF (NEW.program, NEW.applicant_id, NEW.month, NEW.amount_yen) IS DISTINCT FROM
           (OLD.program, OLD.applicant_id, OLD.month, OLD.amount_yen)
           OR NEW.bank_file IS DISTINCT FROM OLD.bank_file THEN
            RAISE EXCEPTION 'a payment''s program, applicant, month, amount and file never change'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    IF NEW.status = 'paid' AND (NEW.run_id IS NULL OR NOT payment_run_is_current(NEW.run_id)) THEN
        RAISE EXCEPTION 'a month is paid only by the payment run that pays it'
            USING ERRCODE = 'insufficient_privilege', HINT = 'run bursar payments run';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER payments_guard BEFORE INSERT OR UPDATE OR DELETE ON payments
    FOR EACH ROW EXECUTE FUNCTION payments_guard();
CREATE TRIGGER payments_no_truncate BEFORE TRUNCATE ON payments FOR EACH STATEMENT EXECUTE FUNCTION payments_guard();

CREATE FUNCTION payment_runs_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'payment runs are never removed: % is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW.id, NEW.program, NEW.month, NEW.ran_at) IS DISTINCT FROM (OLD.id, OLD.program, OLD.month, OLD.ran_at) THEN
        RAISE EXCEPTION 'a payment run''s id, program, month and time never change'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.written_at IS NOT NULL AND NEW.written_at IS DISTINCT FROM OLD.written_at THEN
        RAISE EXCEPTION 'run %: its bank-transfer file is recorded as written; that never changes', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW.paid, NEW.held, NEW.due, NEW.voided, NEW.total_yen, NEW.bank_file) IS DISTINCT FROM
       (OLD.paid, OLD.held, OLD.due, OLD.voided, OLD.total_yen, OLD.bank_file)
       AND NOT payment_run_is_current(OLD.id) THEN
        RAISE EXCEPTION 'run %: counts, total and file are set by the run itself, never afterwards', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER payment_runs_guard BEFORE UPDATE OR DELETE ON payment_runs
    FOR EACH ROW EXECUTE FUNCTION payment_runs_guard();
CREATE TRIGGER payment_runs_no_truncate BEFORE TRUNCATE ON payment_runs FOR EACH STATEMENT
    EXECUTE FUNCTION payment_runs_guard();
