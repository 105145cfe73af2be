-- vpr-coordinator schema 1: every table of the first release. Each table is
-- read and written only by the module named above it. Applied files are never
-- edited: a change is a new numbered file.

-- db.rs (salt, iterations, password check, archive key)
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);

-- model/school.rs
CREATE TABLE school (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL, login TEXT NOT NULL DEFAULT '', region TEXT NOT NULL DEFAULT '',
    municipality TEXT NOT NULL DEFAULT '', settlement TEXT NOT NULL DEFAULT 'город',
    students_total INTEGER NOT NULL DEFAULT 0
);

-- model/school.rs
CREATE TABLE classes (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, grade INTEGER NOT NULL,
    foreign_language TEXT NOT NULL DEFAULT ''
);

-- model/participants.rs
CREATE TABLE used_codes (code INTEGER PRIMARY KEY);

-- model/participants.rs
CREATE TABLE participants (
    id INTEGER PRIMARY KEY,
    code INTEGER NOT NULL UNIQUE REFERENCES used_codes(code),
    class_id INTEGER NOT NULL REFERENCES classes(id),
    name_sealed BLOB NOT NULL,
    name_index BLOB NOT NULL UNIQUE,
    sex TEXT NOT NULL DEFAULT '',
    special_needs INTEGER NOT NULL DEFAULT 0,
    previous_mark INTEGER
);

-- model/works.rs
CREATE TABLE works (
    id INTEGER PRIMARY KEY, subject TEXT NOT NULL, grade INTEGER NOT NULL,
    date TEXT NOT NULL, reserve_dates TEXT NOT NULL DEFAULT '[]',
    upload_deadline TEXT NOT NULL, spec TEXT NOT NULL, keys TEXT,
    stations_per_room INTEGER NOT NULL DEFAULT 4,
    UNIQUE (subject, grade, date)
);

-- model/rooms.rs
CREATE TABLE rooms (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);

-- model/stations.rs
CREATE TABLE stations (
    id INTEGER PRIMARY KEY, room_id INTEGER NOT NULL REFERENCES rooms(id),
    number INTEGER NOT NULL, public_key TEXT NOT NULL UNIQUE, fingerprint TEXT NOT NULL UNIQUE,
    UNIQUE (room_id, number)
);

-- model/seating.rs
CREATE TABLE slots (
    id INTEGER PRIMARY KEY, work_id INTEGER NOT NULL REFERENCES works(id),
    room_id INTEGER NOT NULL REFERENCES rooms(id), starts TEXT NOT NULL, ends TEXT NOT NULL
);

-- model/seating.rs
CREATE TABLE seating (
    work_id INTEGER NOT NULL REFERENCES works(id),
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    slot_id INTEGER NOT NULL REFERENCES slots(id),
    PRIMARY KEY (work_id, participant_id)
);

-- model/staff.rs
CREATE TABLE staff (
    id INTEGER PRIMARY KEY, role TEXT NOT NULL, name_sealed BLOB NOT NULL,
    subjects TEXT NOT NULL DEFAULT '[]', teaches_classes TEXT NOT NULL DEFAULT '[]',
    experience_years INTEGER NOT NULL DEFAULT 0, school_employee INTEGER NOT NULL DEFAULT 1,
    parent_of_participant INTEGER NOT NULL DEFAULT 0, organization TEXT NOT NULL DEFAULT ''
);

-- model/staff.rs
CREATE TABLE staff_rooms (
    staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    work_id INTEGER NOT NULL REFERENCES works(id), room_id INTEGER NOT NULL REFERENCES rooms(id),
    PRIMARY KEY (staff_id, work_id)
);

-- model/absences.rs
CREATE TABLE absences (
    work_id INTEGER NOT NULL REFERENCES works(id),
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    reason TEXT NOT NULL, document TEXT NOT NULL DEFAULT '', reserve_date TEXT,
    PRIMARY KEY (work_id, participant_id)
);

-- import.rs
CREATE TABLE bundles (
    sha256 TEXT PRIMARY KEY, station_fingerprint TEXT NOT NULL, imported_at TEXT NOT NULL,
    stored_path TEXT NOT NULL
);

-- scoring/submissions.rs
CREATE TABLE submissions (
    work_id INTEGER NOT NULL REFERENCES works(id), code INTEGER NOT NULL,
    variant INTEGER NOT NULL, station_fingerprint TEXT NOT NULL, bundle_sha256 TEXT NOT NULL,
    interrupted INTEGER NOT NULL DEFAULT 0, answers TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (work_id, code)
);

-- scoring/submissions.rs
CREATE TABLE recordings (
    work_id INTEGER NOT NULL, code INTEGER NOT NULL, task INTEGER NOT NULL,
    path TEXT NOT NULL, sha256 TEXT NOT NULL, duration_ms INTEGER NOT NULL,
    silent INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (work_id, code, task)
);

-- scoring/scores.rs
CREATE TABLE auto_scores (
    work_id INTEGER NOT NULL, code INTEGER NOT NULL, task INTEGER NOT NULL, score INTEGER NOT NULL,
    PRIMARY KEY (work_id, code, task)
);

-- scoring/assignments.rs
CREATE TABLE assignments (
    work_id INTEGER NOT NULL, code INTEGER NOT NULL, task INTEGER NOT NULL, round INTEGER NOT NULL,
    expert TEXT NOT NULL,
    PRIMARY KEY (work_id, code, task, round)
);

-- scoring/scores.rs
CREATE TABLE expert_scores (
    work_id INTEGER NOT NULL, code INTEGER NOT NULL, task INTEGER NOT NULL, round INTEGER NOT NULL,
    criterion TEXT NOT NULL, score INTEGER NOT NULL, note TEXT NOT NULL DEFAULT '',
    expert TEXT NOT NULL, scored_at TEXT NOT NULL,
    PRIMARY KEY (work_id, code, task, round, criterion)
);

-- crosscheck.rs
CREATE TABLE cross_packages (
    token TEXT PRIMARY KEY, work_id INTEGER NOT NULL, code INTEGER NOT NULL, task INTEGER NOT NULL
);
