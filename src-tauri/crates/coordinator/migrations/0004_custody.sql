-- vpr-coordinator schema 4: the chain of custody (issue 11).
-- custody/issuers.rs: the coordinator's own issuer trust list.
CREATE TABLE issuers (
    fingerprint TEXT PRIMARY KEY, public_key TEXT NOT NULL UNIQUE, label TEXT NOT NULL,
    added_at TEXT NOT NULL
);
-- custody/sealed.rs: a work taken from a signed package records the package it was
-- taken from (its copy in the coordinator's folder, its SHA-256, its signer) and
-- the materials' package.json as decrypted from it (keys are validated against it).
ALTER TABLE works ADD COLUMN package_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE works ADD COLUMN issuer_fingerprint TEXT NOT NULL DEFAULT '';
ALTER TABLE works ADD COLUMN package_file TEXT NOT NULL DEFAULT '';
ALTER TABLE works ADD COLUMN materials TEXT;
-- model/stations.rs: enrolled from a passport (school and room as the station knows them).
ALTER TABLE stations ADD COLUMN school_id TEXT NOT NULL DEFAULT '';
ALTER TABLE stations ADD COLUMN station_room TEXT NOT NULL DEFAULT '';
-- custody/held.rs: sessions kept out of the form for the coordinator to decide:
-- a code not on the roster, or a second, different work for a participant.
CREATE TABLE held_sessions (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('unknown_code', 'conflict')),
    work_id INTEGER NOT NULL REFERENCES works(id), code INTEGER NOT NULL,
    bundle_sha256 TEXT NOT NULL, station TEXT NOT NULL, started_at TEXT NOT NULL,
    submission TEXT NOT NULL, recordings TEXT NOT NULL DEFAULT '[]', receipt TEXT,
    UNIQUE (kind, work_id, code, bundle_sha256)
);
-- custody/receipts.rs: the receipt computed from the imported bundle and the one
-- written on the paper protocol.
CREATE TABLE receipts (
    work_id INTEGER NOT NULL REFERENCES works(id), code INTEGER NOT NULL,
    computed TEXT, paper TEXT,
    PRIMARY KEY (work_id, code)
);
-- scoring/submissions.rs: when the imported session started (shown beside a conflict).
ALTER TABLE submissions ADD COLUMN started_at TEXT NOT NULL DEFAULT '';
