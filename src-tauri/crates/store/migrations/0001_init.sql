-- vpr-store schema 1. Every row of station/session/answer/recording/event
-- points at the journal record (hash chain) that wrote its current state.

CREATE TABLE journal (
    seq   INTEGER PRIMARY KEY,
    kind  TEXT NOT NULL,
    body  TEXT NOT NULL,
    prev  BLOB NOT NULL CHECK (length(prev) = 32),
    hash  BLOB NOT NULL CHECK (length(hash) = 32)
) STRICT;

CREATE TABLE station (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    station_id      TEXT NOT NULL,
    school_id       TEXT NOT NULL,
    room            TEXT NOT NULL,
    number          INTEGER NOT NULL,
    key_fingerprint TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    seq             INTEGER NOT NULL REFERENCES journal(seq)
) STRICT;

CREATE TABLE session (
    id               INTEGER PRIMARY KEY,
    participant_code TEXT NOT NULL,
    package_id       TEXT NOT NULL,
    variant          TEXT NOT NULL,
    extended_time    INTEGER NOT NULL CHECK (extended_time IN (0, 1)),
    adapted_version  TEXT,
    status           TEXT NOT NULL
        CHECK (status IN ('active', 'finished', 'technical_failure', 'training')),
    checkpoint       TEXT NOT NULL,
    deadlines        TEXT NOT NULL,
    plays            TEXT NOT NULL,
    started_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    seq              INTEGER NOT NULL REFERENCES journal(seq)
) STRICT;
CREATE INDEX session_by_code ON session(participant_code, id);

-- One b-tree per save: the primary key is the lookup order (latest save of
-- an item = largest seq under (session, task, item)).
CREATE TABLE answer (
    session_id INTEGER NOT NULL REFERENCES session(id),
    task       TEXT NOT NULL,
    item       TEXT NOT NULL,
    seq        INTEGER NOT NULL REFERENCES journal(seq),
    value      TEXT NOT NULL,
    saved_at   TEXT NOT NULL,
    PRIMARY KEY (session_id, task, item, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE recording (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES session(id),
    task        TEXT NOT NULL,
    item        TEXT,
    file        TEXT NOT NULL,
    sha256      TEXT,
    duration_ms INTEGER NOT NULL,
    status      TEXT NOT NULL
        CHECK (status IN ('recording', 'complete', 'interrupted', 'repaired')),
    level_flags TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    seq         INTEGER NOT NULL REFERENCES journal(seq)
) STRICT;
CREATE INDEX recording_by_session ON recording(session_id, id);

CREATE TABLE event (
    seq        INTEGER PRIMARY KEY REFERENCES journal(seq),
    session_id INTEGER REFERENCES session(id),
    kind       TEXT NOT NULL,
    payload    TEXT NOT NULL,
    at         TEXT NOT NULL
) STRICT;
CREATE INDEX event_by_session ON event(session_id, seq);
