-- vpr-coordinator schema 9: what a paper sheet says beside the answers
-- (issue 13 item 5). paper/sheets.rs: per work and code, the variant the
-- participant sat and the adapted version (NULL: the standard one), who set
-- it (a staff id or an operator label) and when (UTC).
CREATE TABLE paper_sheets (
    work_id INTEGER NOT NULL, code INTEGER NOT NULL,
    variant INTEGER NOT NULL, version TEXT,
    by_staff INTEGER, by_label TEXT NOT NULL, set_at TEXT NOT NULL,
    PRIMARY KEY (work_id, code)
);
