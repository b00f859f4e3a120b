-- Versions of each program's data (interface §7): every change to the program definition, the
-- partner list with the officers' partner decisions, the exclusion lists or the duplicate
-- resolutions appends a version holding the whole data of that kind as it stood after the change
-- (never updated, never deleted). Each decision records the version of each kind it read, so what
-- a decision was made from can be read back (re-deciding, replay) after the data moved on.
CREATE TABLE program_data_versions (
    program    text        NOT NULL,
    kind       text        NOT NULL CHECK (kind IN ('definition', 'partners', 'exclusions', 'duplicates')),
    version    integer     NOT NULL CHECK (version > 0),
    -- What changed it (an audit action such as `partners.import`), without personal data.
    change     text        NOT NULL,
    -- The data of this kind after the change, as `program_data_snapshot` writes it.
    snapshot   text        NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (program, kind, version)
);
ALTER TABLE program_data_versions ALTER COLUMN snapshot SET COMPRESSION lz4;

-- The data of one kind as it stands, as canonical jsonb text; one writer for the versions
-- recorded by this migration and by every later change.
CREATE FUNCTION program_data_snapshot(p text, k text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT CASE k
    WHEN 'definition' THEN (SELECT definition::text FROM programs WHERE id = p)
    WHEN 'partners' THEN jsonb_build_object(
        'source', (SELECT source FROM partner_lists WHERE program = p),
        'partners', coalesce((SELECT jsonb_agg(jsonb_build_object(
                'name', name, 'japanese_name', japanese_name, 'country', country,
                'agreements', agreements, 'aliases', to_jsonb(aliases)) ORDER BY position)
            FROM partners WHERE program = p), '[]'::jsonb),
        'decisions', coalesce((SELECT jsonb_agg(jsonb_build_object(
                'spelling_key', spelling_key, 'spelling', spelling, 'partner', partner, 'reason', reason) ORDER BY spelling_key)
            FROM partner_decisions WHERE program = p), '[]'::jsonb))::text
    WHEN 'exclusions' THEN coalesce((SELECT jsonb_agg(jsonb_build_object(
                'list', list, 'family_name', family_name, 'given_name', given_name, 'birth_date', birth_date,
                'citizenship', citizenship, 'clause', clause, 'reference', reference)
                ORDER BY list, birth_date, reference, family_name, given_name, citizenship, clause)
            FROM exclusion_entries WHERE program = p), '[]'::jsonb)::text
    WHEN 'duplicates' THEN coalesce((SELECT jsonb_agg(jsonb_build_object('applicant_id', applicant_id, 'kept', kept) ORDER BY applicant_id)
            FROM duplicate_resolutions WHERE program = p), '[]'::jsonb)::text
    END
$$;

-- The data already there becomes version 1 of its kind.
INSERT INTO program_data_versions (program, kind, version, change, snapshot)
SELECT p.id, k.kind, 1, 'migration 010', program_data_snapshot(p.id, k.kind)
FROM programs p
CROSS JOIN (VALUES ('definition'), ('partners'), ('exclusions'), ('duplicates')) AS k(kind)
WHERE k.kind = 'definition'
   OR (k.kind = 'partners' AND (EXISTS (SELECT 1 FROM partner_lists l WHERE l.program = p.id)
                                OR EXISTS (SELECT 1 FROM partner_decisions d WHERE d.program = p.id)))
   OR (k.kind = 'exclusions' AND EXISTS (SELECT 1 FROM exclusion_lists l WHERE l.program = p.id))
   OR (k.kind = 'duplicates' AND EXISTS (SELECT 1 FROM duplicate_resolutions r WHERE r.program = p.id));

-- What each decision read: the version of each kind (0: the program had no data of that kind;
-- NULL: decided before versions were recorded), and the institution as written, so that a change
-- of the partner list finds the decisions whose match it changes. `partner_key` is now the key of
-- the institution's spelling on every decision, not only an uncertain one: an officer's decision
-- on a spelling changes every decision that read it.
ALTER TABLE decisions
    ADD COLUMN definition_version integer,
    ADD COLUMN partners_version   integer,
    ADD COLUMN exclusions_version integer,
    ADD COLUMN duplicates_version integer,
    ADD COLUMN institution        text,
    ADD COLUMN institution_country text;
