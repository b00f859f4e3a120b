-- Person matching by blocking key (issue 26): each applicant's latest revision carries the
-- letters of its folded name in sorted order (Screening `PersonName.letterKey`, written by Bursar
-- when it stores the revision), and duplicate lookups probe (program, birth_date, name_key)
-- instead of reading every applicant born on the same day — with a placeholder birth date shared
-- by thousands, that read made each screening job grow with the batch. Rows stored before this
-- migration keep a null key until their next revision; lookups read them as candidates of every
-- name. The new index's prefix serves the lookups by birth date that used applicants_identity.
ALTER TABLE applicants ADD COLUMN name_key text;
CREATE INDEX applicants_name_key ON applicants (program, birth_date, name_key);
DROP INDEX applicants_identity;
