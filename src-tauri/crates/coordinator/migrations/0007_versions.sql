-- vpr-coordinator schema 7: the version a participant sat (issue 12 item 5,
-- issue 13 item 5). scoring/submissions.rs: the adapted version (ОВЗ) the
-- station recorded for the session (its package adaptation id, e.g.
-- `no_listening`); NULL for the standard version and for works imported
-- before schema 7, which stay scored as the standard version.
ALTER TABLE submissions ADD COLUMN adaptation TEXT;
-- model/seating.rs: the variant the coordinator's seating gives a participant
-- (NULL: the station's default, variants alternating by station number). The
-- protocol prints it for the organizer; an import that brings another
-- variant says so (the variant sat is the one scored).
ALTER TABLE seating ADD COLUMN variant INTEGER;
