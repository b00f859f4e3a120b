-- The scholarship lifecycle: events, scholarships, payments.
CREATE TABLE lifecycle_events (
    seq          bigserial PRIMARY KEY,
    program      text        NOT NULL,
    event_id     text,
    applicant_id text        NOT NULL,
    type         text        NOT NULL,
    body         jsonb       NOT NULL,
    status       text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'rejected')),
    message      text,
    submitted_at timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz
);
CREATE UNIQUE INDEX lifecycle_events_id ON lifecycle_events (program, event_id) WHERE event_id IS NOT NULL;
CREATE INDEX lifecycle_events_pending ON lifecycle_events (program, applicant_id, seq) WHERE status = 'pending';

CREATE TABLE scholarships (
    program            text    NOT NULL,
    applicant_id       text    NOT NULL,
    course             text    NOT NULL,
    status             text    NOT NULL CHECK (status IN ('active', 'terminated', 'completed')),
    state              jsonb   NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (program, applicant_id)
);

CREATE TABLE payments (
    program      text        NOT NULL,
    applicant_id text        NOT NULL,
    month        text        NOT NULL,
    amount_yen   integer     NOT NULL CHECK (amount_yen >= 0),
    status       text        NOT NULL CHECK (status IN ('paid', 'held')),
    run_month    text        NOT NULL,
    bank_file    text,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    paid_at      timestamptz,
    PRIMARY KEY (program, applicant_id, month)
);

CREATE TABLE payment_runs (
    program      text        NOT NULL,
    month        text        NOT NULL,
    paid         integer     NOT NULL,
    held         integer     NOT NULL,
    total_yen    bigint      NOT NULL,
    bank_file    text,
    ran_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (program, month)
);

CREATE TABLE flag_actions (
    id           bigserial PRIMARY KEY,
    program      text        NOT NULL,
    applicant_id text        NOT NULL,
    flag         text        NOT NULL,
    action       text        NOT NULL CHECK (action IN ('raised', 'cleared')),
    reason       text        NOT NULL,
    at           timestamptz NOT NULL DEFAULT now()
);
