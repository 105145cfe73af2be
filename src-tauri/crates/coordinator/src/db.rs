//! The coordinator's SQLite file: WAL, `synchronous=FULL`, migrations in one
//! transaction refusing a newer schema, opened only with the right password.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};

use crate::{
    crypto::{random_bytes, Vault, ITERATIONS, SALT_LEN},
    CoordinatorError, Result,
};

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 2;

const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE school (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL, login TEXT NOT NULL DEFAULT '', region TEXT NOT NULL DEFAULT '',
    municipality TEXT NOT NULL DEFAULT '', settlement TEXT NOT NULL DEFAULT 'город',
    students_total INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE classes (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, grade INTEGER NOT NULL,
    foreign_language TEXT NOT NULL DEFAULT ''
);
CREATE TABLE used_codes (code INTEGER PRIMARY KEY);
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
CREATE TABLE works (
    id INTEGER PRIMARY KEY, subject TEXT NOT NULL, grade INTEGER NOT NULL,
    date TEXT NOT NULL, reserve_dates TEXT NOT NULL DEFAULT '[]',
    upload_deadline TEXT NOT NULL, spec TEXT NOT NULL, keys TEXT,
    stations_per_room INTEGER NOT NULL DEFAULT 4,
    UNIQUE (subject, grade, date)
);
CREATE TABLE rooms (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE stations (
    id INTEGER PRIMARY KEY, room_id INTEGER NOT NULL REFERENCES rooms(id),
    number INTEGER NOT NULL, public_key TEXT NOT NULL UNIQUE, fingerprint TEXT NOT NULL UNIQUE,
    UNIQUE (room_id, number)
);
CREATE TABLE slots (
    id INTEGER PRIMARY KEY, work_id INTEGER NOT NULL REFERENCES works(id),
    room_id INTEGER NOT NULL REFERENCES rooms(id), starts TEXT NOT NULL, ends TEXT NOT NULL
);
CREATE TABLE seating (
    work_id INTEGER NOT NULL REFERENCES works(id),
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    slot_id INTEGER NOT NULL REFERENCES slots(id),
    PRIMARY KEY (work_id, participant_id)
);
CREATE TABLE staff (
    id INTEGER PRIMARY KEY, role TEXT NOT NULL, name_sealed BLOB NOT NULL,
    subjects TEXT NOT NULL DEFAULT '[]', teaches_classes TEXT NOT NULL DEFAULT '[]',
    experience_years INTEGER NOT NULL DEFAULT 0, school_employee INTEGER NOT NULL DEFAULT 1,
    parent_of_participant INTEGER NOT NULL DEFAULT 0, organization TEXT NOT NULL DEFAULT ''
);
CREATE TABLE staff_rooms (
    staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    work_id INTEGER NOT NULL REFERENCES works(id), room_id INTEGER NOT NULL REFERENCES rooms(id),
    PRIMARY KEY (staff_id, work_id)
);
CREATE TABLE absences (
    work_id INTEGER NOT NULL REFERENCES works(id),
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    reason TEXT NOT NULL, document TEXT NOT NULL DEFAULT '', reserve_date TEXT,
    PRIMARY KEY (work_id, participant_id)
);
CREATE TABLE bundles (
    sha256 TEXT PRIMARY KEY, station_fingerprint TEXT NOT NULL, imported_at TEXT NOT NULL,
    stored_path TEXT NOT NULL
);
CREATE TABLE submissions (
    work_id INTEGER NOT NULL REFERENCES works(id), code INTEGER NOT NULL,
    variant INTEGER NOT NULL, station_fingerprint TEXT NOT NULL, bundle_sha256 TEXT NOT NULL,
    interrupted INTEGER NOT NULL DEFAULT 0, answers TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (work_id, code)
);
CREATE TABLE recordings (
    work_id INTEGER NOT NULL, code INTEGER NOT NULL, task INTEGER NOT NULL,
    path TEXT NOT NULL, sha256 TEXT NOT NULL, duration_ms INTEGER NOT NULL,
    silent INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (work_id, code, task)
);
CREATE TABLE auto_scores (
    work_id INTEGER NOT NULL, code INTEGER NOT NULL, task INTEGER NOT NULL, score INTEGER NOT NULL,
    PRIMARY KEY (work_id, code, task)
);
CREATE TABLE assignments (
    work_id INTEGER NOT NULL, code INTEGER NOT NULL, task INTEGER NOT NULL, round INTEGER NOT NULL,
    expert TEXT NOT NULL,
    PRIMARY KEY (work_id, code, task, round)
);
CREATE TABLE expert_scores (
    work_id INTEGER NOT NULL, code INTEGER NOT NULL, task INTEGER NOT NULL, round INTEGER NOT NULL,
    criterion TEXT NOT NULL, score INTEGER NOT NULL, note TEXT NOT NULL DEFAULT '',
    expert TEXT NOT NULL, scored_at TEXT NOT NULL,
    PRIMARY KEY (work_id, code, task, round, criterion)
);
CREATE TABLE cross_packages (
    token TEXT PRIMARY KEY, work_id INTEGER NOT NULL, code INTEGER NOT NULL, task INTEGER NOT NULL
);
"#,
    r#"
ALTER TABLE works ADD COLUMN package_id TEXT NOT NULL DEFAULT '';
CREATE INDEX works_package ON works (package_id);
CREATE TABLE bundle_codes (
    bundle_sha256 TEXT NOT NULL, work_id INTEGER NOT NULL, code INTEGER NOT NULL,
    PRIMARY KEY (bundle_sha256, work_id, code)
);
"#,
];

/// An open coordinator database; every method needs the password-derived key.
#[derive(Debug)]
pub struct Coordinator {
    pub(crate) conn: Connection,
    pub(crate) vault: Vault,
    pub(crate) dir: PathBuf,
}

fn configure(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction()?;
    let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(CoordinatorError::TooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate() {
        let version = i as i64 + 1;
        if version > found {
            tx.execute_batch(sql)?;
        }
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}

fn meta(conn: &Connection, key: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

impl Coordinator {
    /// Create a new database at `path` protected by `password`.
    pub fn create(path: &Path, password: &str) -> Result<Self> {
        Self::create_with_iterations(path, password, ITERATIONS)
    }

    /// As [`Coordinator::create`] with a chosen PBKDF2 work factor (tests and
    /// benchmarks use a small one; the app always uses [`ITERATIONS`]).
    pub fn create_with_iterations(path: &Path, password: &str, iterations: u32) -> Result<Self> {
        if password.chars().count() < 8 {
            return Err(CoordinatorError::WeakPassword);
        }
        if path.exists() {
            return Err(CoordinatorError::AlreadyExists);
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut conn = Connection::open(path)?;
        configure(&conn)?;
        migrate(&mut conn)?;
        let salt = random_bytes::<SALT_LEN>()?;
        let vault = Vault::derive(password, &salt, iterations)?;
        let check = vault.check_value()?;
        {
            let tx = conn.transaction()?;
            for (k, v) in [
                ("salt", salt.to_vec()),
                ("iterations", iterations.to_le_bytes().to_vec()),
                ("check", check),
                ("created_at", crate::model::now_string().into_bytes()),
            ] {
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                    params![k, v],
                )?;
            }
            tx.commit()?;
        }
        Ok(Self {
            conn,
            vault,
            dir: dir_of(path),
        })
    }

    /// Open an existing database; a wrong password is refused before any
    /// data is read.
    pub fn open(path: &Path, password: &str) -> Result<Self> {
        if !path.is_file() {
            return Err(CoordinatorError::NotFound);
        }
        let mut conn = Connection::open(path)?;
        configure(&conn)?;
        // Check the version before touching anything else.
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(CoordinatorError::TooNew {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        let salt =
            meta(&conn, "salt")?.ok_or_else(|| CoordinatorError::Corrupt("нет соли".into()))?;
        let iterations = meta(&conn, "iterations")?
            .and_then(|b| <[u8; 4]>::try_from(b.as_slice()).ok())
            .map(u32::from_le_bytes)
            .ok_or_else(|| CoordinatorError::Corrupt("нет числа итераций".into()))?;
        let check = meta(&conn, "check")?
            .ok_or_else(|| CoordinatorError::Corrupt("нет проверочного значения".into()))?;
        let vault = Vault::derive(password, &salt, iterations)?;
        if !vault.verify_check(&check) {
            return Err(CoordinatorError::WrongPassword);
        }
        migrate(&mut conn)?;
        Ok(Self {
            conn,
            vault,
            dir: dir_of(path),
        })
    }

    /// The folder next to the database where imported recordings are kept.
    pub fn data_dir(&self) -> &Path {
        &self.dir
    }
}

fn dir_of(path: &Path) -> PathBuf {
    path.parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_password_opens_nothing_and_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("coord.sqlite");
        assert!(matches!(
            Coordinator::create_with_iterations(&path, "short", 1000),
            Err(CoordinatorError::WeakPassword)
        ));
        drop(Coordinator::create_with_iterations(&path, "пароль-координатора", 1000).unwrap());
        assert!(matches!(
            Coordinator::create_with_iterations(&path, "пароль-координатора", 1000),
            Err(CoordinatorError::AlreadyExists)
        ));
        assert!(matches!(
            Coordinator::open(&path, "другой-пароль"),
            Err(CoordinatorError::WrongPassword)
        ));
        Coordinator::open(&path, "пароль-координатора").unwrap();
        {
            let c = Connection::open(&path).unwrap();
            c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        assert!(matches!(
            Coordinator::open(&path, "пароль-координатора"),
            Err(CoordinatorError::TooNew { .. })
        ));
        assert!(matches!(
            Coordinator::open(&dir.path().join("none.sqlite"), "x"),
            Err(CoordinatorError::NotFound)
        ));
    }
}
