-- vpr-coordinator schema 5: participant codes from ФИС ОКО (issue 13).
-- model/fis_codes.rs: every imported code in the lists' order, with the class
-- (or parallel, or '' for any class) it was issued for and the file it came in.
-- A code is handed out when a participant holds it (participants.code).
CREATE TABLE fis_codes (
    code INTEGER PRIMARY KEY,
    class_name TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL
);
