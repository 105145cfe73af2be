-- vpr-coordinator schema 7: the version a participant sat (issue 12 item 5,
-- issue 13 item 5). scoring/submissions.rs: the adapted version (ОВЗ) the
-- station recorded for the session (its package adaptation id, e.g.
-- `no_listening`); NULL for the standard version and for works imported
-- before schema 7, which stay scored as the standard version.
ALTER TABLE submissions ADD COLUMN adaptation TEXT;
