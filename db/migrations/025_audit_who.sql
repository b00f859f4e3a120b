-- The audit trail says who (interface §5, `bursar audit`): the operating-system user the client
-- reported, the database role that wrote the row (set here from current_user, so a client cannot
-- claim another), an optional person's name (`--as NAME` / BURSAR_ACTOR) and the officer's reason.
-- Rows written before this migration have no who (NULL).
ALTER TABLE audit_log
    ADD COLUMN os_user text,
    ADD COLUMN db_role text,
    ADD COLUMN actor   text,
    ADD COLUMN reason  text;

CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_applicant ON audit_log (applicant_id, at) WHERE applicant_id IS NOT NULL;

-- The database, not the client, stamps the role and the time.
CREATE FUNCTION audit_log_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.db_role := current_user;
    NEW.at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER audit_log_stamp BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_stamp();

-- Append-only: no role, the owner included, updates, deletes or truncates a row. (A superuser can
-- still disable the trigger; that leaves a trace in the server log and needs DDL rights no runtime
-- role has.)
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'record a new row that corrects the earlier one instead';
END
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
