-- A stored application's text (~1.9 KB) with its row passes the 2 KB TOAST threshold, so each
-- was compressed with pglz on COPY and decompressed on every read: pglz was the server's
-- largest single cost in `bench pipeline` (issue 26). lz4, as decisions' traces already use
-- (004), compresses several times faster; rows stored before keep pglz and read as before.
ALTER TABLE applications ALTER COLUMN content SET COMPRESSION lz4;
