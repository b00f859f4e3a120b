-- Payments settled on what is recorded: a month reached by a run is paid, held (an open flag),
-- due (not payable yet: the arrival is not recorded, or released for the next run) or void
-- (not owed: before the first payment month an arrival fixed, after a termination). Each run
-- is a row of its own, with the one bank-transfer file written from its committed payments.
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN ('paid', 'held', 'due', 'void'));
ALTER TABLE payments ADD COLUMN reason text;
ALTER TABLE payments ADD COLUMN run_id bigint;
-- A paid month always names the run that transferred it (rows paid before runs had ids excepted).
CREATE INDEX payments_by_run ON payments (run_id) WHERE run_id IS NOT NULL;
CREATE INDEX payments_unpaid ON payments (program, month) WHERE status <> 'paid';

ALTER TABLE payment_runs DROP CONSTRAINT payment_runs_pkey;
ALTER TABLE payment_runs ADD COLUMN id bigserial PRIMARY KEY;
ALTER TABLE payment_runs ADD COLUMN due integer NOT NULL DEFAULT 0;
ALTER TABLE payment_runs ADD COLUMN voided integer NOT NULL DEFAULT 0;
-- Set once the bank-transfer file is written (after the run's commit).
ALTER TABLE payment_runs ADD COLUMN written_at timestamptz;
CREATE INDEX payment_runs_month ON payment_runs (program, month);

-- What an applied event did, in words (`bursar events list`).
ALTER TABLE lifecycle_events ADD COLUMN effect text;
