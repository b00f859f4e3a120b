-- Inputs kept whole (issue 23, interface §7): a decision can be made again from what it records.
--
-- Document checks: `documents recheck` replaces a revision's checks, so the checks a decision
-- read were lost. Every check is now also appended to `document_check_versions` (never updated,
-- never deleted), numbered per revision, and each decision records the number it read
-- (`documents_version`: 0 = no checks yet; NULL = decided before this migration, when the first
-- kept version — the checks as they stood at this migration — is the best that can be said).
ALTER TABLE document_checks ADD COLUMN version integer NOT NULL DEFAULT 1;

CREATE TABLE document_check_versions (
    program      text        NOT NULL,
    applicant_id text        NOT NULL,
    revision     integer     NOT NULL,
    version      integer     NOT NULL CHECK (version > 0),
    checks       text        NOT NULL,
    checked_at   timestamptz NOT NULL,
    PRIMARY KEY (program, applicant_id, revision, version)
);

INSERT INTO document_check_versions (program, applicant_id, revision, version, checks, checked_at)
SELECT program, applicant_id, revision, version, checks, checked_at FROM document_checks;

-- Numbers a check after the last kept one of its revision (a revision whose checks were removed
-- and written again — the pipeline bench clears its own program — continues its numbering).
CREATE FUNCTION document_checks_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := coalesce((SELECT max(v.version) FROM document_check_versions v
                             WHERE v.program = NEW.program AND v.applicant_id = NEW.applicant_id
                               AND v.revision = NEW.revision), 0) + 1;
    RETURN NEW;
END
$$;
CREATE TRIGGER document_checks_number BEFORE INSERT OR UPDATE ON document_checks
    FOR EACH ROW EXECUTE FUNCTION document_checks_number();

CREATE FUNCTION document_checks_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO document_check_versions (program, applicant_id, revision, version, checks, checked_at)
    VALUES (NEW.program, NEW.applicant_id, NEW.revision, NEW.version, NEW.checks, NEW.checked_at);
    RETURN NULL;
END
$$;
CREATE TRIGGER document_checks_keep AFTER INSERT OR UPDATE ON document_checks
    FOR EACH ROW EXECUTE FUNCTION document_checks_keep();

-- Duplicates: `identity.duplicate` reads the other applications of the same person as they stood
-- (their latest revisions then), which no program-data version holds. Each decision records the
-- applicants it found (NULL: decided before this migration; its trace's facts name them).
ALTER TABLE decisions
    ADD COLUMN documents_version integer,
    ADD COLUMN duplicate_hits    text[];

-- Nothing a decision was made from is ever changed or deleted. Rows of data versions and kept
-- document checks are final; an application revision and a decision are never updated, and a
-- revision is deleted only with its decisions gone first (the pipeline bench clears its program).
CREATE FUNCTION history_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are history (what decisions were made from): they are never %d',
        TG_TABLE_NAME, lower(TG_OP) USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER program_data_versions_final BEFORE UPDATE OR DELETE ON program_data_versions
    FOR EACH ROW EXECUTE FUNCTION history_is_final();
CREATE TRIGGER document_check_versions_final BEFORE UPDATE OR DELETE ON document_check_versions
    FOR EACH ROW EXECUTE FUNCTION history_is_final();
CREATE TRIGGER decisions_final BEFORE UPDATE ON decisions
    FOR EACH ROW EXECUTE FUNCTION history_is_final();
CREATE TRIGGER applications_final BEFORE UPDATE ON applications
    FOR EACH ROW EXECUTE FUNCTION history_is_final();

CREATE FUNCTION applications_keep_decided() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM decisions d WHERE d.program = OLD.program AND d.applicant_id = OLD.applicant_id
                                           AND d.revision = OLD.revision) THEN
        RAISE EXCEPTION 'application revisions that a decision was made from are never deleted'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
END
$$;
CREATE TRIGGER applications_keep_decided BEFORE DELETE ON applications
    FOR EACH ROW EXECUTE FUNCTION applications_keep_decided();
