-- #21: a scholarship is a pure fold of its accepted, unretracted events (Sources/Lifecycle);
-- `scholarships.state` is only a cache of it. `payments` is the ledger of paid months: held,
-- due, voided, suspended and overpaid are derived when read, so the rows that said so go.
ALTER TABLE lifecycle_events ADD COLUMN retracted_by bigint;
-- A termination accepted while eligibility.changed was open: the month from which it voids.
ALTER TABLE lifecycle_events ADD COLUMN void_from text;
-- An admission: the decision in force when it was accepted (the baseline of eligibility.changed).
ALTER TABLE lifecycle_events ADD COLUMN decision_id bigint;
-- eligibility.changed raised: the payment month it holds from (the month after the latest run).
ALTER TABLE flag_actions ADD COLUMN month text;
-- eligibility.changed cleared: the decision in force at the clear (the next baseline).
ALTER TABLE flag_actions ADD COLUMN decision_id bigint;
CREATE INDEX flag_actions_by_applicant ON flag_actions (program, applicant_id, flag, id);
CREATE INDEX lifecycle_events_by_applicant ON lifecycle_events (program, applicant_id, seq);
DELETE FROM payments WHERE status <> 'paid';
