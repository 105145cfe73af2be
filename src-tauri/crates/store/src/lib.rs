//! The station's durable answer journal: SQLite (bundled) in WAL mode with
//! `synchronous=FULL`, one module per table, and a SHA-256 hash chain
//! (`journal` table) that every write extends in the same transaction.
//!
//! ```no_run
//! # fn main() -> vpr_store::Result<()> {
//! use vpr_store::{NewSession, Store};
//! let store = Store::open(std::path::Path::new("/var/lib/vpr/station.db"))?;
//! let s = store.start_session(&NewSession::new("12345", "en7-2026", "1"))?;
//! store.save_answer(s.id, "task4", "q1", &serde_json::json!("B"))?; // durable on return
//! store.verify()?; // names the first bad record, if any
//! # Ok(()) }
//! ```
//!
//! A training run uses its own database file ([`training_path`]), so
//! nothing it writes can mix with real answers.
//!
//! The feature `harness` adds test-only harnesses (`bench`, `crashtest`)
//! for `vpr bench store`, `vpr bench crash` and the crash test; the product
//! never enables it.

mod answer;
#[cfg(feature = "harness")]
pub mod bench;
mod clock;
#[cfg(feature = "harness")]
pub mod crashtest;
mod event;
mod journal;
mod recording;
mod schema;
mod session;
mod station;

use std::{
    path::{Path, PathBuf},
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use answer::{Answer, SavedAnswer};
pub use clock::{format_at, parse_at, Clock, FixedClock, SystemClock};
pub use event::{kinds as event_kinds, Event};
pub use journal::ChainHead;
pub use recording::{
    check_relative_file, LevelFlags, NewRecording, Recording, RecordingStatus, RecordingUpdate,
};
pub use schema::SCHEMA_VERSION;
pub use session::{Checkpoint, NewSession, Session, SessionStatus};
pub use station::StationInfo;
pub use vpr_integrity::{ChainBreak, ChainLink};

/// The database file of real work in a station data directory.
pub const DB_FILE: &str = "station.db";
/// The database file of training runs, kept apart from real work.
pub const TRAINING_DB_FILE: &str = "training.db";

/// `dir/station.db`.
pub fn exam_path(dir: &Path) -> PathBuf {
    dir.join(DB_FILE)
}

/// `dir/training.db`.
pub fn training_path(dir: &Path) -> PathBuf {
    dir.join(TRAINING_DB_FILE)
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("Ошибка базы данных станции: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("База данных создана более новой версией программы (схема {found}, поддерживается до {supported}); обновите программу на станции")]
    NewerSchema { found: u32, supported: u32 },
    #[error(
        "Не удалось обновить схему базы данных до версии {version}; база оставлена без изменений"
    )]
    Migration {
        version: u32,
        #[source]
        source: rusqlite::Error,
    },
    #[error("Цепочка целостности нарушена: {0}")]
    ChainBroken(#[from] ChainBreak),
    #[error("Не найдено: {0}")]
    NotFound(String),
    #[error("Недопустимые данные: {0}")]
    Invalid(String),
    #[error("Данные в базе повреждены: {0}")]
    Corrupt(String),
    #[error("Не удалось открыть базу данных {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Integrity(#[from] vpr_integrity::IntegrityError),
}

impl vpr_error::Coded for StoreError {
    fn code(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "store_sqlite",
            Self::NewerSchema { .. } => "store_newer_schema",
            Self::Migration { .. } => "store_migration",
            Self::ChainBroken(_) => "store_chain_broken",
            Self::NotFound(_) => "store_not_found",
            Self::Invalid(_) => "store_invalid",
            Self::Corrupt(_) => "store_corrupt",
            Self::Io { .. } => "store_io",
            Self::Integrity(e) => e.code(),
        }
    }

    fn severity(&self) -> vpr_error::Severity {
        match self {
            Self::Invalid(_) | Self::NotFound(_) => vpr_error::Severity::NonBlocking,
            Self::Sqlite(_) | Self::Io { .. } => vpr_error::Severity::Unrecoverable,
            _ => vpr_error::Severity::Blocking,
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The station journal. Cheap to share (`Arc<Store>`); writes are serialised.
pub struct Store {
    conn: Mutex<Connection>,
    clock: Arc<dyn Clock>,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Open (creating if needed) the database at `path` with the system clock.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with_clock(path, Arc::new(SystemClock))
    }

    /// Open with an injected clock (tests, simulation).
    pub fn open_with_clock(path: &Path, clock: Arc<dyn Clock>) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        // Refuse a newer schema before any pragma writes to the file.
        schema::refuse_newer(&conn, schema::MIGRATIONS)?;
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Corrupt(format!(
                "режим журнала {mode} вместо WAL"
            )));
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrate(&mut conn, schema::MIGRATIONS)?;
        Ok(Self {
            conn: Mutex::new(conn),
            clock,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Run `f` in one IMMEDIATE transaction with a journal writer stamped
    /// with the clock's time; returns after the durable commit.
    fn write<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>, &mut journal::Writer) -> Result<T>,
    ) -> Result<T> {
        let at = format_at(self.clock.now());
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut w = journal::Writer::start(&tx, at)?;
        let out = f(&tx, &mut w)?;
        tx.commit()?;
        Ok(out)
    }

    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.lock();
        f(&conn)
    }

    /// `PRAGMA integrity_check`: Ok when SQLite reports "ok".
    pub fn integrity_check(&self) -> Result<()> {
        self.read(|c| {
            let mut stmt = c.prepare("PRAGMA integrity_check")?;
            let lines: Vec<String> = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if lines.len() == 1 && lines[0] == "ok" {
                Ok(())
            } else {
                Err(StoreError::Corrupt(lines.join("; ")))
            }
        })
    }

    /// Walk the hash chain and check every table row against the record that
    /// wrote it. Names the first bad record.
    pub fn verify(&self) -> Result<ChainHead> {
        self.read(journal::verify_all)
    }

    /// The last record of the chain.
    pub fn head(&self) -> Result<ChainHead> {
        self.read(journal::head)
    }

    /// Every chain record, in order (for the bundle).
    pub fn journal(&self) -> Result<Vec<ChainLink>> {
        self.read(journal::all)
    }
}

#[cfg(test)]
mod tests;
