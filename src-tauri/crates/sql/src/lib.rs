//! The one SQLite migration runner of the product (station journal and
//! coordinator database alike).
//!
//! A crate keeps its schema as ordered files `migrations/NNNN_name.sql`,
//! embedded with [`migration!`], and lists them in a [`Schema`]:
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! static MIGRATIONS: &[vpr_sql::Migration] = &[vpr_sql::Migration {
//!     version: 1,
//!     name: "0001_init.sql",
//!     sql: "CREATE TABLE t (x INTEGER);",
//! }];
//! const SCHEMA: vpr_sql::Schema = vpr_sql::Schema::new("база примера", MIGRATIONS);
//! let dir = tempfile::tempdir()?;
//! let conn = SCHEMA.open(&dir.path().join("example.db"))?;
//! assert_eq!(vpr_sql::user_version(&conn)?, 1);
//! # Ok(()) }
//! ```
//!
//! Rules the runner holds to:
//! - the schema version is `PRAGMA user_version`;
//! - a database whose version is newer than the last migration this binary
//!   knows is refused before anything is written to it;
//! - each migration runs in its own IMMEDIATE transaction together with its
//!   `user_version` bump: a failing migration leaves the database exactly at
//!   the version before it, never half-migrated;
//! - the connection runs in WAL mode with `synchronous=FULL` and foreign keys
//!   on ([`durable`]), so every commit survives a power cut.

use std::{path::Path, time::Duration};

use rusqlite::{Connection, TransactionBehavior};

/// One schema step: the SQL that brings version `version - 1` to `version`.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: u32,
    /// The file it came from (`0002_packages.sql`), named in errors.
    pub name: &'static str,
    pub sql: &'static str,
}

/// A [`Migration`] from `migrations/<file>` of the calling crate, embedded at
/// compile time: `vpr_sql::migration!(1, "0001_init.sql")`.
#[macro_export]
macro_rules! migration {
    ($version:literal, $file:literal) => {
        $crate::Migration {
            version: $version,
            name: $file,
            sql: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/", $file)),
        }
    };
}

#[derive(Debug, thiserror::Error)]
pub enum SqlError {
    #[error("{what}: файл создан более новой версией программы (версия схемы {found}, эта программа знает версии до {supported}); обновите программу, база не изменена")]
    Newer {
        what: &'static str,
        found: u32,
        supported: u32,
    },
    #[error("{what}: не удалось обновить схему до версии {version} ({name}); база оставлена на версии {kept}")]
    Migration {
        what: &'static str,
        version: u32,
        name: &'static str,
        kept: u32,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{what}: недопустимая версия схемы {found}")]
    BadVersion { what: &'static str, found: i64 },
    #[error("База данных не перешла в режим WAL (режим журнала «{mode}»)")]
    NotWal { mode: String },
    #[error("Список миграций «{what}» нарушен: {problem}")]
    BadList { what: &'static str, problem: String },
    #[error("Ошибка базы данных: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl vpr_error::Coded for SqlError {
    fn code(&self) -> &'static str {
        match self {
            Self::Newer { .. } => "sql_newer_schema",
            Self::Migration { .. } => "sql_migration",
            Self::BadVersion { .. } => "sql_bad_version",
            Self::NotWal { .. } => "sql_not_wal",
            Self::BadList { .. } => "sql_bad_list",
            Self::Sqlite(_) => "sql",
        }
    }

    fn severity(&self) -> vpr_error::Severity {
        match self {
            Self::BadVersion { .. } | Self::BadList { .. } => vpr_error::Severity::Unrecoverable,
            _ => vpr_error::Severity::Blocking,
        }
    }
}

pub type Result<T> = std::result::Result<T, SqlError>;

/// A database's ordered migrations and the Russian name errors call it by
/// («база станции», «база координатора»).
#[derive(Debug, Clone, Copy)]
pub struct Schema {
    pub what: &'static str,
    pub migrations: &'static [Migration],
}

/// `PRAGMA user_version`.
pub fn user_version(conn: &Connection) -> Result<u32> {
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    u32::try_from(v).map_err(|_| SqlError::BadVersion {
        what: "база данных",
        found: v,
    })
}

/// WAL journal, `synchronous=FULL`, foreign keys on, a 5 s busy timeout.
/// Must run outside a transaction.
pub fn durable(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(SqlError::NotWal { mode });
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

impl Schema {
    pub const fn new(what: &'static str, migrations: &'static [Migration]) -> Self {
        Self { what, migrations }
    }

    /// The version this binary writes: the last migration's.
    pub fn latest(&self) -> u32 {
        self.migrations.last().map_or(0, |m| m.version)
    }

    fn version(&self, conn: &Connection) -> Result<u32> {
        user_version(conn).map_err(|e| match e {
            SqlError::BadVersion { found, .. } => SqlError::BadVersion {
                what: self.what,
                found,
            },
            other => other,
        })
    }

    /// The database's version, or [`SqlError::Newer`] without touching it.
    pub fn refuse_newer(&self, conn: &Connection) -> Result<u32> {
        let found = self.version(conn)?;
        let supported = self.latest();
        if found > supported {
            return Err(SqlError::Newer {
                what: self.what,
                found,
                supported,
            });
        }
        Ok(found)
    }

    /// Versions must run 1, 2, 3, … without gaps.
    pub fn check_order(&self) -> Result<()> {
        for (i, m) in self.migrations.iter().enumerate() {
            let expected = i as u32 + 1;
            if m.version != expected {
                return Err(SqlError::BadList {
                    what: self.what,
                    problem: format!(
                        "на месте {expected} стоит версия {} ({})",
                        m.version, m.name
                    ),
                });
            }
        }
        Ok(())
    }

    /// Every `*.sql` file in `dir` is listed, in file-name order, and
    /// nothing else is (a test of each crate calls this on its folder).
    pub fn check_files(&self, dir: &Path) -> Result<()> {
        self.check_order()?;
        let bad = |problem: String| SqlError::BadList {
            what: self.what,
            problem,
        };
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .map_err(|e| bad(format!("папка {}: {e}", dir.display())))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<&str> = self.migrations.iter().map(|m| m.name).collect();
        if files != listed {
            return Err(bad(format!("в папке {files:?}, в списке {listed:?}")));
        }
        for (m, f) in self.migrations.iter().zip(&files) {
            let on_disk =
                std::fs::read_to_string(dir.join(f)).map_err(|e| bad(format!("{f}: {e}")))?;
            if on_disk != m.sql {
                return Err(bad(format!("{f} отличается от встроенного текста")));
            }
        }
        Ok(())
    }

    /// Apply every pending migration, each in its own transaction with its
    /// version bump. Returns the version reached.
    pub fn migrate(&self, conn: &mut Connection) -> Result<u32> {
        self.check_order()?;
        let found = self.refuse_newer(conn)?;
        let mut current = found;
        for m in self.migrations.iter().filter(|m| m.version > found) {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Another process may have migrated between the check and the lock.
            let now = self.refuse_newer(&tx)?;
            if now >= m.version {
                current = now;
                continue;
            }
            let failed = |source| SqlError::Migration {
                what: self.what,
                version: m.version,
                name: m.name,
                kept: now,
                source,
            };
            tx.execute_batch(m.sql).map_err(failed)?;
            tx.pragma_update(None, "user_version", m.version)
                .map_err(failed)?;
            tx.commit().map_err(failed)?;
            current = m.version;
        }
        Ok(current)
    }

    /// Open (creating) the database at `path`: a newer schema is refused
    /// before any pragma writes to the file, then [`durable`] settings, then
    /// every pending migration.
    pub fn open(&self, path: &Path) -> Result<Connection> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        self.refuse_newer(&conn)?;
        durable(&conn)?;
        self.migrate(&mut conn)?;
        Ok(conn)
    }
}
