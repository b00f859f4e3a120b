-- The claim function (queue migration 5) as the roles of 029 expect it (issue 22):
-- its search path pinned, so a role's own search_path (or an object it may create in a schema
-- searched first) cannot change what the claim reads or writes; owned by bursar_owner like every
-- other object; EXECUTE granted by name to the worker role instead of through PUBLIC.
-- An application migration, not a queue one: the queue migrates first, before 029 made the roles.
ALTER FUNCTION bursar_claim(text, bigint, text, float8) SET search_path = pg_catalog, public, pg_temp;

DO $$
BEGIN
    IF pg_has_role(current_user, 'bursar_owner', 'USAGE') THEN
        ALTER FUNCTION bursar_claim(text, bigint, text, float8) OWNER TO bursar_owner;
    ELSE
        RAISE NOTICE '% is not a member of bursar_owner: bursar_claim keeps its owner', current_user;
    END IF;
END
$$;

REVOKE EXECUTE ON FUNCTION bursar_claim(text, bigint, text, float8) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bursar_claim(text, bigint, text, float8) TO bursar_worker;
