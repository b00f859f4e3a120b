-- Bank accounts, the Zengin bank file and returned transfers (issue 25, interface §3 "Bank
-- accounts and the bank file").
--
-- An account is registered per program and applicant; a re-import adds a new version and marks
-- the old one replaced (kept: the history). What a worker may see (bank, branch, type, the holder's
-- name in kana, whether a transfer to it was returned) is in bank_accounts; the number alone is in
-- bank_account_numbers, which only the officer role reads (interface §3: "account numbers are
-- readable by the officer role only, never by the worker role").
CREATE TABLE bank_accounts (
    program        text        NOT NULL,
    applicant_id   text        NOT NULL,
    version        integer     NOT NULL CHECK (version > 0),
    bank_code      text        NOT NULL CHECK (bank_code ~ '^[0-9]{4}$'),
    branch_code    text        NOT NULL CHECK (branch_code ~ '^[0-9]{3}$'),
    account_type   text        NOT NULL CHECK (account_type IN ('ordinary', 'current', 'savings')),
    -- The holder's name converted to the Zengin set (half-width katakana, upper-case Latin).
    holder_name    text        NOT NULL,
    registered_at  timestamptz NOT NULL DEFAULT now(),
    -- Set when a later import replaced this account.
    replaced_at    timestamptz,
    -- Set when the bank returned a transfer to this account: it needs a correction (a new import).
    returned_at    timestamptz,
    PRIMARY KEY (program, applicant_id, version)
);
-- One account in force per applicant.
CREATE UNIQUE INDEX bank_accounts_current ON bank_accounts (program, applicant_id) WHERE replaced_at IS NULL;

CREATE TABLE bank_account_numbers (
    program        text    NOT NULL,
    applicant_id   text    NOT NULL,
    version        integer NOT NULL,
    account_number text    NOT NULL CHECK (account_number ~ '^[0-9]{1,7}$'),
    PRIMARY KEY (program, applicant_id, version),
    FOREIGN KEY (program, applicant_id, version) REFERENCES bank_accounts
);

-- The transfers of a Zengin run: per scholar, the sum of the lines paid in the run, to the account
-- in force when the run committed (so the file, written after the commit or recovered later, and
-- a return name the same account).
CREATE TABLE zengin_runs (
    run_id        bigint PRIMARY KEY,
    program       text   NOT NULL,
    -- 振込指定日.
    transfer_date date   NOT NULL
);

CREATE TABLE zengin_transfers (
    run_id          bigint  NOT NULL REFERENCES zengin_runs,
    applicant_id    text    NOT NULL,
    program         text    NOT NULL,
    account_version integer NOT NULL,
    amount_yen      bigint  NOT NULL CHECK (amount_yen > 0),
    PRIMARY KEY (run_id, applicant_id),
    FOREIGN KEY (program, applicant_id, account_version) REFERENCES bank_accounts
);

-- Transfers the bank sent back (`bursar payments returned`): every month the transfer carried is
-- `returned` (not paid) and the account needs a correction.
CREATE TABLE returned_transfers (
    run_id        bigint      NOT NULL,
    applicant_id  text        NOT NULL,
    program       text        NOT NULL,
    months        text[]      NOT NULL,
    amount_yen    bigint      NOT NULL,
    reason        text        NOT NULL,
    returned_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, applicant_id),
    FOREIGN KEY (run_id, applicant_id) REFERENCES zengin_transfers
);

ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN ('paid', 'held', 'due', 'void', 'returned'));

-- The grants of these tables (the default privileges of 029 gave both roles SELECT, INSERT and
-- UPDATE on every new table): the numbers are the officer's alone.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bursar_worker') THEN
        REVOKE ALL ON bank_account_numbers FROM PUBLIC, bursar_worker, bursar_officer;
        GRANT SELECT, INSERT ON bank_account_numbers TO bursar_officer;
        REVOKE ALL ON bank_accounts, zengin_runs, zengin_transfers, returned_transfers FROM PUBLIC, bursar_worker;
        GRANT SELECT ON bank_accounts, zengin_runs, zengin_transfers, returned_transfers TO bursar_worker;
        GRANT SELECT, INSERT, UPDATE ON bank_accounts, zengin_runs, zengin_transfers, returned_transfers
            TO bursar_officer;
    END IF;
END
$$;
