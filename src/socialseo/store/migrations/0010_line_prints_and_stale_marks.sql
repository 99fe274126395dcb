-- Nothing lost, nothing counted twice, no address kept.
--
-- log_lines       one row per access-log line first seen by an import: a 64-bit fingerprint of the line's bytes
--                 (MD5, lower half, after decompression) and which occurrence of those bytes in its file it is.
--                 A rotated, compressed or grown copy of a log imports only the lines not seen before.
--                 No key: it is appended to by every log import and a key's index would slow each commit.
-- derived_stale   derived tables (sessions, page_daily) whose inputs changed since they were last rebuilt. The
--                 mark is written in the import's own transaction and removed in the rebuild's, so an import
--                 interrupted between the two is repaired by the next command that opens the warehouse.
-- imports         gains rows_repeated: lines of the file that earlier imports had already stored.

CREATE TABLE log_lines (
    import_id  BIGINT NOT NULL,
    line_hash  UBIGINT NOT NULL,
    occurrence INTEGER NOT NULL
);

CREATE TABLE derived_stale (
    name      VARCHAR PRIMARY KEY,
    import_id BIGINT
);

ALTER TABLE imports ADD COLUMN rows_repeated BIGINT DEFAULT 0;

-- Quarantined log lines kept whole addresses; mask IPv4 addresses as the hits are masked (a.b.0.0), except for
-- imports run with --keep-ip.
-- (Twice: a match takes the character after it, so of two addresses one space apart the second is left once.)
UPDATE quarantine SET raw = regexp_replace(regexp_replace(
    raw, '(^|[^0-9.])([0-9]{1,3})\.([0-9]{1,3})\.[0-9]{1,3}\.[0-9]{1,3}([^0-9]|$)', '\1\2.\3.0.0\4', 'g'),
    '(^|[^0-9.])([0-9]{1,3})\.([0-9]{1,3})\.[0-9]{1,3}\.[0-9]{1,3}([^0-9]|$)', '\1\2.\3.0.0\4', 'g')
WHERE raw IS NOT NULL AND import_id IN (
    SELECT import_id FROM imports WHERE kind = 'logs' AND coalesce(options, '') NOT LIKE '%"keep_ip": true%'
);
