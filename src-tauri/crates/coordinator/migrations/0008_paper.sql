-- vpr-coordinator schema 8: works taken on paper (issue 13 item 4).
-- paper/entries.rs: what was typed from a participant's sheet, by code only:
-- a short answer (`item` = the closed item's id, checked against the keys
-- when read) or an expert's score (`item` = the criterion's id). Who typed
-- it is a staff id or an operator label, never a participant's name.
CREATE TABLE paper_entries (
    work_id INTEGER NOT NULL, code INTEGER NOT NULL, task INTEGER NOT NULL,
    item TEXT NOT NULL, value TEXT NOT NULL,
    by_staff INTEGER, by_label TEXT NOT NULL, entered_at TEXT NOT NULL,
    PRIMARY KEY (work_id, code, task, item)
);
-- paper/log.rs: every change of a paper entry (old and new value, who, when in UTC).
CREATE TABLE paper_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    work_id INTEGER NOT NULL, code INTEGER NOT NULL, task INTEGER NOT NULL,
    item TEXT NOT NULL, old_value TEXT, new_value TEXT,
    by_staff INTEGER, by_label TEXT NOT NULL, changed_at TEXT NOT NULL
);
CREATE INDEX paper_log_work ON paper_log (work_id, id);
