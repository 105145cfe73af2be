-- vpr-store schema 2. The chain of custody of each session: the SHA-256 of
-- the package file the station ran and the fingerprint of the issuer key that
-- signed it (both from the verified package; NULL for sessions written before
-- stations recorded them, and for unsigned training folders).

ALTER TABLE session ADD COLUMN package_sha256 TEXT
    CHECK (package_sha256 IS NULL OR length(package_sha256) = 64);
ALTER TABLE session ADD COLUMN issuer_fingerprint TEXT
    CHECK (issuer_fingerprint IS NULL OR length(issuer_fingerprint) BETWEEN 8 AND 128);
