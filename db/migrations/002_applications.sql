-- Programs, applications, decisions (append-only history), partner lists, exclusion lists.
CREATE TABLE programs (
    id          text PRIMARY KEY,
    rule_set    text        NOT NULL,
    definition  jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The latest revision of each applicant; its row lock serializes concurrent submissions.
CREATE TABLE applicants (
    program         text    NOT NULL REFERENCES programs (id),
    applicant_id    text    NOT NULL,
    latest_revision integer NOT NULL,
    content_hash    text    NOT NULL,
    PRIMARY KEY (program, applicant_id)
);

-- Every revision ever submitted (never updated, never deleted).
CREATE TABLE applications (
    program       text        NOT NULL,
    applicant_id  text        NOT NULL,
    revision      integer     NOT NULL,
    content       jsonb       NOT NULL,
    content_hash  text        NOT NULL,
    batch_dir     text        NOT NULL,
    source_line   integer,
    birth_date    date        NOT NULL,
    family_name   text        NOT NULL,
    given_name    text        NOT NULL,
    citizenships  text[]      NOT NULL,
    submitted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (program, applicant_id, revision),
    FOREIGN KEY (program, applicant_id) REFERENCES applicants (program, applicant_id)
);
-- Person-level lookups (duplicates) go through birth date.
CREATE INDEX applications_identity ON applications (program, birth_date);

CREATE TABLE document_checks (
    program      text        NOT NULL,
    applicant_id text        NOT NULL,
    revision     integer     NOT NULL,
    checks       jsonb       NOT NULL,
    checked_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (program, applicant_id, revision)
);

-- Every decision ever made (never updated); the latest per applicant is the current one.
CREATE TABLE decisions (
    id             bigserial PRIMARY KEY,
    program        text        NOT NULL,
    applicant_id   text        NOT NULL,
    revision       integer     NOT NULL,
    outcome        text        NOT NULL,
    gpa            text,
    categories     text[]      NOT NULL,
    failed         text[]      NOT NULL,
    review         text[]      NOT NULL,
    conditions     text[]      NOT NULL,
    rule_set       text        NOT NULL,
    trace          jsonb       NOT NULL,
    -- The institution spelling whose partner match was uncertain, for re-screening on confirmation.
    partner_key    text,
    decided_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX decisions_latest ON decisions (program, applicant_id, id DESC);
CREATE INDEX decisions_partner_key ON decisions (program, partner_key) WHERE partner_key IS NOT NULL;

CREATE TABLE partners (
    program        text  NOT NULL,
    position       integer NOT NULL,
    name           text  NOT NULL,
    japanese_name  text  NOT NULL DEFAULT '',
    country        text  NOT NULL,
    agreements     jsonb NOT NULL,
    aliases        text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (program, name, country)
);

CREATE TABLE partner_lists (
    program      text PRIMARY KEY,
    source       text        NOT NULL,
    partners     integer     NOT NULL,
    imported_at  timestamptz NOT NULL DEFAULT now()
);

-- Officers' decisions on uncertain spellings: confirmed (partner set) or rejected (partner NULL).
CREATE TABLE partner_decisions (
    program      text        NOT NULL,
    spelling_key text        NOT NULL,
    spelling     text        NOT NULL,
    partner      text,
    reason       text        NOT NULL DEFAULT '',
    decided_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (program, spelling_key)
);

CREATE TABLE exclusion_lists (
    program      text        NOT NULL,
    list         text        NOT NULL,
    entries      integer     NOT NULL,
    source       text        NOT NULL,
    imported_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (program, list)
);

CREATE TABLE exclusion_entries (
    program      text NOT NULL,
    list         text NOT NULL,
    family_name  text NOT NULL,
    given_name   text NOT NULL,
    birth_date   date NOT NULL,
    citizenship  text NOT NULL,
    clause       text NOT NULL,
    reference    text NOT NULL
);
-- One index lookup per application: entries of the program born that day.
CREATE INDEX exclusion_entries_lookup ON exclusion_entries (program, birth_date);

-- An officer's resolution of a duplicate pair: `applicant_id` is withdrawn in favour of `kept`.
CREATE TABLE duplicate_resolutions (
    program      text        NOT NULL,
    applicant_id text        NOT NULL,
    kept         text        NOT NULL,
    resolved_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (program, applicant_id)
);

-- Who did what, without personal data.
CREATE TABLE audit_log (
    id           bigserial PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    action       text        NOT NULL,
    program      text,
    applicant_id text,
    detail       jsonb       NOT NULL DEFAULT '{}'
);
