-- vpr-coordinator schema 2: the package a work is taken with (model/works.rs)
-- and the codes each imported bundle carried (import.rs).
ALTER TABLE works ADD COLUMN package_id TEXT NOT NULL DEFAULT '';
CREATE INDEX works_package ON works (package_id);
CREATE TABLE bundle_codes (
    bundle_sha256 TEXT NOT NULL, work_id INTEGER NOT NULL, code INTEGER NOT NULL,
    PRIMARY KEY (bundle_sha256, work_id, code)
);
