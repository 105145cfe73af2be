-- vpr-coordinator schema 6: every recorded answer kept (issue: recordings lost
-- at import). scoring/submissions.rs: an interview's or a «ask questions»
-- task's answers are recorded apart (part = question number, 1-based; 0 for
-- a task recorded as one answer), and an answer continued after a pause or a
-- restart comes in segments 1, 2, …; the key holds both, so no file replaces
-- another. Rows of schema 5 become part 0, segment 1.
CREATE TABLE recordings_v6 (
    work_id INTEGER NOT NULL, code INTEGER NOT NULL, task INTEGER NOT NULL,
    part INTEGER NOT NULL DEFAULT 0, segment INTEGER NOT NULL DEFAULT 1,
    path TEXT NOT NULL, sha256 TEXT NOT NULL, duration_ms INTEGER NOT NULL,
    silent INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (work_id, code, task, part, segment)
);
INSERT INTO recordings_v6 (work_id, code, task, part, segment, path, sha256, duration_ms, silent)
    SELECT work_id, code, task, 0, 1, path, sha256, duration_ms, silent FROM recordings;
DROP TABLE recordings;
ALTER TABLE recordings_v6 RENAME TO recordings;
