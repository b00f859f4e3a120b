-- What a scholarship pays is not the worker's to change (issue 27). The lifecycle worker writes
-- scholarships (events move the first and last payment months, raise flags, end them), and the
-- officer's payment run pays what they say: a stolen worker password that could raise
-- `monthlyYen` or stretch the schedule would move money through the officer's next run.
--
-- For every role: a scholarship's amount is the program's stipend when it is granted and never
-- changes; its applicant, course, admission, prescribed end and scheduled last month never change;
-- no month is paid after the scheduled last month nor before the program's enrollment month.
CREATE FUNCTION scholarships_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    stipend jsonb;
    enrollment text;
BEGIN
    SELECT definition -> 'stipend_yen_per_month', left(definition ->> 'enrollment_date', 7) INTO stipend, enrollment
    FROM programs WHERE id = NEW.program;
    -- An upsert of an existing scholarship fires the INSERT trigger too: only a new one is checked here.
    IF TG_OP = 'INSERT'
       AND NOT EXISTS (SELECT 1 FROM scholarships WHERE program = NEW.program AND applicant_id = NEW.applicant_id) THEN
        IF NEW.state -> 'monthlyYen' IS DISTINCT FROM stipend THEN
            RAISE EXCEPTION 'a scholarship''s monthly amount is the program''s stipend (%)', stipend
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        IF (NEW.program, NEW.applicant_id, NEW.course) IS DISTINCT FROM (OLD.program, OLD.applicant_id, OLD.course)
           OR (NEW.state -> 'monthlyYen', NEW.state -> 'applicantID', NEW.state -> 'course', NEW.state -> 'admittedOn',
               NEW.state -> 'prescribedEnd', NEW.state -> 'scheduledLastMonth')
              IS DISTINCT FROM
              (OLD.state -> 'monthlyYen', OLD.state -> 'applicantID', OLD.state -> 'course', OLD.state -> 'admittedOn',
               OLD.state -> 'prescribedEnd', OLD.state -> 'scheduledLastMonth') THEN
            RAISE EXCEPTION 'a scholarship''s amount, applicant, course, admission and prescribed period never change'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    -- YYYY-MM and YYYY-MM-DD texts order as the months and dates they name.
    IF NEW.state ->> 'lastPaymentMonth' > NEW.state ->> 'scheduledLastMonth'
       OR NEW.state ->> 'firstPaymentMonth' < enrollment THEN
        RAISE EXCEPTION 'a scholarship pays no month after its scheduled last month '
                        'nor before the program''s enrollment'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER scholarships_guard BEFORE INSERT OR UPDATE ON scholarships
    FOR EACH ROW EXECUTE FUNCTION scholarships_guard();
