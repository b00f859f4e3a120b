-- Returned transfers in the ledger of paid months (issues 21, 25, 27). `payments` holds paid
-- months only (031); the bank may return a transfer (`bursar payments returned`), and the month
-- is then paid again by a later run. So a month may have several rows — at most one `paid`, any
-- number `returned` — and the one change a paid row may ever see is paid → returned (status and
-- reason only), once.
ALTER TABLE payments DROP CONSTRAINT payments_pkey;
CREATE UNIQUE INDEX payments_paid_once ON payments (program, applicant_id, month) WHERE status = 'paid';
CREATE INDEX payments_by_month ON payments (program, applicant_id, month);

CREATE OR REPLACE FUNCTION payments_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'payments are never removed: % is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF (NEW.program, NEW.applicant_id, NEW.month, NEW.amount_yen, NEW.run_id, NEW.run_month, NEW.paid_at)
           IS DISTINCT FROM (OLD.program, OLD.applicant_id, OLD.month, OLD.amount_yen, OLD.run_id, OLD.run_month,
                             OLD.paid_at)
           OR NEW.bank_file IS DISTINCT FROM OLD.bank_file THEN
            RAISE EXCEPTION 'a payment''s program, applicant, month, amount, run and file never change'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.status = 'paid' AND NEW.status = 'returned' THEN
            RETURN NEW;
        END IF;
        IF OLD.status IN ('paid', 'returned') THEN
            RAISE EXCEPTION 'a paid month is never changed but to returned, once (% %)', OLD.applicant_id, OLD.month
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
