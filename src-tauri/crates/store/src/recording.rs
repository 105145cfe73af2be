//! The `recording` table: spoken answers on disk (paths relative to the
//! station data directory), their hash, duration, status and level flags.

use std::path::{Component, Path};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use time::OffsetDateTime;
use vpr_integrity::Sha256Hash;

use crate::{
    event,
    journal::{seq_sql, Expectations, Writer},
    parse_at, Result, Store, StoreError,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RecordingStatus {
    /// Being written now (or the station died while writing it).
    Recording,
    Complete,
    /// Stopped by a device error or crash; the file may need repair.
    Interrupted,
    /// An interrupted file whose WAV header was rebuilt.
    Repaired,
}

impl RecordingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Recording => "recording",
            Self::Complete => "complete",
            Self::Interrupted => "interrupted",
            Self::Repaired => "repaired",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "recording" => Self::Recording,
            "complete" => Self::Complete,
            "interrupted" => Self::Interrupted,
            "repaired" => Self::Repaired,
            _ => return Err(StoreError::Corrupt(format!("состояние записи {s:?}"))),
        })
    }
}

/// What the level meter noticed during the recording.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct LevelFlags {
    /// Nothing above the noise floor.
    pub silent: bool,
    /// Speech much quieter than expected.
    pub too_quiet: bool,
    /// Samples hit full scale.
    pub clipped: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRecording {
    pub session_id: i64,
    pub task: String,
    /// The answer item the recording belongs to, if the task has several.
    pub item: Option<String>,
    /// Path relative to the station data directory.
    pub file: String,
}

/// The outcome of a recording (or of its repair).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordingUpdate {
    pub status: RecordingStatus,
    pub sha256: Option<Sha256Hash>,
    pub duration_ms: u64,
    pub level_flags: LevelFlags,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recording {
    pub id: i64,
    pub session_id: i64,
    pub task: String,
    pub item: Option<String>,
    pub file: String,
    pub sha256: Option<Sha256Hash>,
    pub duration_ms: u64,
    pub status: RecordingStatus,
    pub level_flags: LevelFlags,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub seq: u64,
}

struct Raw {
    r: Recording,
    started_at: String,
    updated_at: String,
}

fn data(r: &Recording, started_at: &str) -> Value {
    json!({
        "id": r.id,
        "session_id": r.session_id,
        "task": r.task,
        "item": r.item,
        "file": r.file,
        "sha256": r.sha256.map(|h| h.to_hex()),
        "duration_ms": r.duration_ms,
        "status": r.status.as_str(),
        "level_flags": r.level_flags,
        "started_at": started_at,
    })
}

const COLUMNS: &str =
    "id, session_id, task, item, file, sha256, duration_ms, status, level_flags, \
                       started_at, updated_at, seq";

fn from_row(row: &rusqlite::Row<'_>) -> Result<Raw> {
    let id: i64 = row.get(0)?;
    let sha: Option<String> = row.get(5)?;
    let flags: String = row.get(8)?;
    let started_at: String = row.get(9)?;
    let updated_at: String = row.get(10)?;
    let r = Recording {
        id,
        session_id: row.get(1)?,
        task: row.get(2)?,
        item: row.get(3)?,
        file: row.get(4)?,
        sha256: sha.as_deref().map(Sha256Hash::from_hex).transpose()?,
        duration_ms: row.get::<_, i64>(6)? as u64,
        status: RecordingStatus::parse(&row.get::<_, String>(7)?)?,
        level_flags: serde_json::from_str(&flags)
            .map_err(|_| StoreError::Corrupt(format!("флаги уровня записи {id}")))?,
        started_at: parse_at(&started_at)?,
        updated_at: parse_at(&updated_at)?,
        seq: row.get::<_, i64>(11)? as u64,
    };
    Ok(Raw {
        r,
        started_at,
        updated_at,
    })
}

fn load(conn: &Connection, id: i64) -> Result<Raw> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM recording WHERE id = ?1"))?
        .query_row([id], |r| Ok(from_row(r)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("запись ответа {id}")))?
}

fn write_row(tx: &rusqlite::Transaction<'_>, w: &mut Writer, raw: &mut Raw) -> Result<()> {
    let seq = w.append(tx, "recording", &data(&raw.r, &raw.started_at))?;
    raw.r.seq = seq;
    raw.updated_at = w.at().to_string();
    raw.r.updated_at = parse_at(w.at())?;
    let r = &raw.r;
    let flags =
        serde_json::to_string(&r.level_flags).map_err(|e| StoreError::Invalid(e.to_string()))?;
    tx.prepare_cached(&format!(
        "INSERT INTO recording({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT(id) DO UPDATE SET sha256 = ?6, duration_ms = ?7, status = ?8, level_flags = ?9,
           updated_at = ?11, seq = ?12"
    ))?
    .execute(params![
        r.id,
        r.session_id,
        r.task,
        r.item,
        r.file,
        r.sha256.map(|h| h.to_hex()),
        i64::try_from(r.duration_ms).map_err(|_| StoreError::Invalid("длительность".into()))?,
        r.status.as_str(),
        flags,
        raw.started_at,
        raw.updated_at,
        seq_sql(seq)?
    ])?;
    Ok(())
}

pub(crate) fn verify_rows(conn: &Connection, exp: &mut Expectations) -> Result<()> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM recording ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let raw = from_row(row)?;
        exp.check(
            "recording",
            raw.r.id,
            raw.r.seq,
            &raw.updated_at,
            &data(&raw.r, &raw.started_at),
        );
    }
    Ok(())
}

/// A recording file name must be a plain relative path inside the data
/// directory: no root, no `..`, no backslashes or NUL.
pub fn check_relative_file(file: &str) -> Result<()> {
    let bad = || StoreError::Invalid(format!("имя файла записи {file:?}"));
    if file.is_empty() || file.contains('\\') || file.contains('\0') || file.len() > 255 {
        return Err(bad());
    }
    if !Path::new(file)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return Err(bad());
    }
    Ok(())
}

fn query(conn: &Connection, sql: &str, args: impl rusqlite::Params) -> Result<Vec<Recording>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(args)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(from_row(r)?.r);
    }
    Ok(out)
}

impl Store {
    /// Register a recording as it starts (status `recording`), with a
    /// `record_start` event.
    pub fn start_recording(&self, new: &NewRecording) -> Result<Recording> {
        check_relative_file(&new.file)?;
        self.write(|tx, w| {
            // The session must exist (the foreign key would say so too, but
            // only after the journal record was built).
            let exists: Option<i64> = tx
                .query_row(
                    "SELECT id FROM session WHERE id = ?1",
                    [new.session_id],
                    |r| r.get(0),
                )
                .optional()?;
            if exists.is_none() {
                return Err(StoreError::NotFound(format!("сеанс {}", new.session_id)));
            }
            let id: i64 =
                tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM recording", [], |r| {
                    r.get(0)
                })?;
            let mut raw = Raw {
                r: Recording {
                    id,
                    session_id: new.session_id,
                    task: new.task.clone(),
                    item: new.item.clone(),
                    file: new.file.clone(),
                    sha256: None,
                    duration_ms: 0,
                    status: RecordingStatus::Recording,
                    level_flags: LevelFlags::default(),
                    started_at: parse_at(w.at())?,
                    updated_at: parse_at(w.at())?,
                    seq: 0,
                },
                started_at: w.at().to_string(),
                updated_at: w.at().to_string(),
            };
            write_row(tx, w, &mut raw)?;
            event::insert(
                tx,
                w,
                Some(new.session_id),
                event::kinds::RECORD_START,
                &json!({"recording": id, "task": new.task, "file": new.file}),
            )?;
            Ok(raw.r)
        })
    }

    /// Record the outcome of a recording or its repair, with a `record_stop`
    /// event.
    pub fn update_recording(&self, id: i64, update: &RecordingUpdate) -> Result<Recording> {
        self.write(|tx, w| {
            let mut raw = load(tx, id)?;
            raw.r.status = update.status;
            raw.r.sha256 = update.sha256;
            raw.r.duration_ms = update.duration_ms;
            raw.r.level_flags = update.level_flags;
            write_row(tx, w, &mut raw)?;
            event::insert(
                tx,
                w,
                Some(raw.r.session_id),
                event::kinds::RECORD_STOP,
                &json!({"recording": id, "status": update.status.as_str(), "duration_ms": update.duration_ms}),
            )?;
            Ok(raw.r)
        })
    }

    pub fn recording(&self, id: i64) -> Result<Recording> {
        self.read(|c| Ok(load(c, id)?.r))
    }

    /// The recordings of a session, in order.
    pub fn recordings(&self, session_id: i64) -> Result<Vec<Recording>> {
        self.read(|c| {
            query(
                c,
                &format!("SELECT {COLUMNS} FROM recording WHERE session_id = ?1 ORDER BY id"),
                [session_id],
            )
        })
    }

    /// Recordings still marked `recording` or `interrupted`: what start-up
    /// must repair.
    pub fn unfinished_recordings(&self) -> Result<Vec<Recording>> {
        self.read(|c| {
            query(
                c,
                &format!(
                    "SELECT {COLUMNS} FROM recording WHERE status IN ('recording', 'interrupted') ORDER BY id"
                ),
                [],
            )
        })
    }
}
