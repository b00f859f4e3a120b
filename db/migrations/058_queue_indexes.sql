-- What waits for a person, found without reading every decision (issue 24: the console's pages
-- of 20,000 applications in < 300 ms). `review list`, the work queue and the dashboard read the
-- current decisions that are in review, hold an uncertain partner spelling or name a duplicate:
-- before these indexes each of them read the latest decision of every applicant, and the
-- spellings parsed every trace (2.2 s for 20,000). Each partial index holds only the decisions of
-- its kind; the queries keep those that are still current. The spelling index's predicate is the
-- test `ReviewStore.uncertainSpellings` makes, written the same way there: the planner uses a
-- partial index only when the query's condition matches its predicate (the two adjacent string
-- constants of the path are one). No grants: indexes have none; every INSERT into decisions keeps
-- them up, whoever makes it.
CREATE INDEX decisions_uncertain_partner ON decisions (program, applicant_id, id)
    WHERE partner_key IS NOT NULL AND jsonb_path_exists(trace::jsonb,
        'strict $.clauses[*] ? (@.id == "eligibility.2")'
        '.facts[*] ? (@[0] == "partner match" && @[1] starts with "uncertain")',
        '{}', true);
CREATE INDEX decisions_needs_review ON decisions (program, applicant_id, id) WHERE outcome = 'needs_review';
CREATE INDEX decisions_duplicate_review ON decisions (program, applicant_id, id)
    WHERE 'identity.duplicate' = ANY (review);
