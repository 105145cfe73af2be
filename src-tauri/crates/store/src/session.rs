//! The `session` table: one participant's work at this station, with the
//! checkpoint the exam state machine resumes from after a crash.

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use time::OffsetDateTime;

use crate::{
    event,
    journal::{seq_sql, Expectations, Writer},
    parse_at, Result, Store, StoreError,
};

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Active,
    Finished,
    TechnicalFailure,
    Training,
}

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Finished => "finished",
            Self::TechnicalFailure => "technical_failure",
            Self::Training => "training",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "active" => Self::Active,
            "finished" => Self::Finished,
            "technical_failure" => Self::TechnicalFailure,
            "training" => Self::Training,
            _ => return Err(StoreError::Corrupt(format!("состояние сеанса {s:?}"))),
        })
    }
}

/// A session to start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSession {
    pub participant_code: String,
    pub package_id: String,
    pub variant: String,
    pub extended_time: bool,
    /// Adapted version (ОВЗ), e.g. `"no_listening"`.
    pub adapted_version: Option<String>,
    /// A training run (status `training`); use the training database.
    pub training: bool,
    /// SHA-256 (hex) of the package file the station ran, from the verified package.
    pub package_sha256: Option<String>,
    /// Fingerprint of the issuer key that signed that package.
    pub issuer_fingerprint: Option<String>,
}

impl NewSession {
    pub fn new(code: &str, package_id: &str, variant: &str) -> Self {
        Self {
            participant_code: code.to_string(),
            package_id: package_id.to_string(),
            variant: variant.to_string(),
            extended_time: false,
            adapted_version: None,
            training: false,
            package_sha256: None,
            issuer_fingerprint: None,
        }
    }
}

/// What the exam state machine needs to resume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Opaque state of the exam machine (current task, phase, …).
    pub state: Value,
    /// Named deadlines as Unix milliseconds (e.g. `"work_end"`, `"phase_end"`).
    pub deadlines: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    pub id: i64,
    pub participant_code: String,
    pub package_id: String,
    pub variant: String,
    pub extended_time: bool,
    pub adapted_version: Option<String>,
    pub status: SessionStatus,
    pub checkpoint: Checkpoint,
    /// Plays used so far per listening track.
    pub plays: BTreeMap<String, u32>,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Journal record that wrote this state.
    pub seq: u64,
    /// SHA-256 (hex) of the package file the session ran (`None` before
    /// schema 2 and for unsigned training folders).
    pub package_sha256: Option<String>,
    /// Fingerprint of the issuer key that signed that package.
    pub issuer_fingerprint: Option<String>,
}

struct Raw {
    s: Session,
    started_at: String,
    updated_at: String,
}

pub(crate) fn data(s: &Session, started_at: &str) -> Value {
    let mut v = json!({
        "id": s.id,
        "participant_code": s.participant_code,
        "package_id": s.package_id,
        "variant": s.variant,
        "extended_time": s.extended_time,
        "adapted_version": s.adapted_version,
        "status": s.status.as_str(),
        "checkpoint": s.checkpoint.state,
        "deadlines": s.checkpoint.deadlines,
        "plays": s.plays,
        "started_at": started_at,
    });
    // Written only when known, so records of older sessions verify as before.
    if let Some(obj) = v.as_object_mut() {
        if let Some(sha) = &s.package_sha256 {
            obj.insert("package_sha256".into(), json!(sha));
        }
        if let Some(fp) = &s.issuer_fingerprint {
            obj.insert("issuer_fingerprint".into(), json!(fp));
        }
    }
    v
}

const COLUMNS: &str = "id, participant_code, package_id, variant, extended_time, adapted_version, \
                       status, checkpoint, deadlines, plays, started_at, updated_at, seq, \
                       package_sha256, issuer_fingerprint";

fn from_row(r: &rusqlite::Row<'_>) -> Result<Raw> {
    let id: i64 = r.get(0)?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("{what} сеанса {id}"));
    let checkpoint: String = r.get(7)?;
    let deadlines: String = r.get(8)?;
    let plays: String = r.get(9)?;
    let started_at: String = r.get(10)?;
    let updated_at: String = r.get(11)?;
    let s = Session {
        id,
        participant_code: r.get(1)?,
        package_id: r.get(2)?,
        variant: r.get(3)?,
        extended_time: r.get::<_, i64>(4)? != 0,
        adapted_version: r.get(5)?,
        status: SessionStatus::parse(&r.get::<_, String>(6)?)?,
        checkpoint: Checkpoint {
            state: serde_json::from_str(&checkpoint).map_err(|_| corrupt("состояние"))?,
            deadlines: serde_json::from_str(&deadlines).map_err(|_| corrupt("сроки"))?,
        },
        plays: serde_json::from_str(&plays).map_err(|_| corrupt("прослушивания"))?,
        started_at: parse_at(&started_at)?,
        updated_at: parse_at(&updated_at)?,
        seq: r.get::<_, i64>(12)? as u64,
        package_sha256: r.get(13)?,
        issuer_fingerprint: r.get(14)?,
    };
    Ok(Raw {
        s,
        started_at,
        updated_at,
    })
}

fn load(conn: &Connection, id: i64) -> Result<Raw> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM session WHERE id = ?1"))?
        .query_row([id], |r| Ok(from_row(r)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("сеанс {id}")))?
}

fn json_text(v: &impl Serialize) -> Result<String> {
    let v = serde_json::to_value(v).map_err(|e| StoreError::Invalid(e.to_string()))?;
    Ok(vpr_integrity::canonical_json(&v)?)
}

/// Write the whole row (insert or update) with a new journal record.
fn write_row(tx: &rusqlite::Transaction<'_>, w: &mut Writer, raw: &mut Raw) -> Result<()> {
    let seq = w.append(tx, "session", &data(&raw.s, &raw.started_at))?;
    raw.s.seq = seq;
    raw.updated_at = w.at().to_string();
    raw.s.updated_at = parse_at(w.at())?;
    let s = &raw.s;
    tx.prepare_cached(&format!(
        "INSERT INTO session({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
         ON CONFLICT(id) DO UPDATE SET variant = ?4, extended_time = ?5, adapted_version = ?6,
           status = ?7, checkpoint = ?8, deadlines = ?9, plays = ?10, updated_at = ?12, seq = ?13"
    ))?
    .execute(params![
        s.id,
        s.participant_code,
        s.package_id,
        s.variant,
        s.extended_time as i64,
        s.adapted_version,
        s.status.as_str(),
        json_text(&s.checkpoint.state)?,
        json_text(&s.checkpoint.deadlines)?,
        json_text(&s.plays)?,
        raw.started_at,
        raw.updated_at,
        seq_sql(seq)?,
        s.package_sha256,
        s.issuer_fingerprint
    ])?;
    Ok(())
}

pub(crate) fn verify_rows(conn: &Connection, exp: &mut Expectations) -> Result<()> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM session ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let raw = from_row(r)?;
        exp.check(
            "session",
            raw.s.id,
            raw.s.seq,
            &raw.updated_at,
            &data(&raw.s, &raw.started_at),
        );
    }
    Ok(())
}

/// The package hash is 64 hex digits and the fingerprint plain hex (as
/// `vpr-package` writes them); anything else is not ours.
fn check_custody(new: &NewSession) -> Result<()> {
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    if let Some(sha) = &new.package_sha256 {
        if sha.len() != 64 || !hex(sha) {
            return Err(StoreError::Invalid(format!("SHA-256 пакета {sha:?}")));
        }
    }
    if let Some(fp) = &new.issuer_fingerprint {
        if !(8..=128).contains(&fp.len()) || !hex(fp) {
            return Err(StoreError::Invalid(format!("отпечаток ключа {fp:?}")));
        }
    }
    Ok(())
}

fn check_code(code: &str) -> Result<()> {
    if code.is_empty() || code.len() > 32 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(StoreError::Invalid(format!("код участника {code:?}")));
    }
    Ok(())
}

impl Store {
    /// Start a session (status `active`, or `training`) and log a `login` event.
    pub fn start_session(&self, new: &NewSession) -> Result<Session> {
        check_code(&new.participant_code)?;
        if new.package_id.is_empty() || new.variant.is_empty() {
            return Err(StoreError::Invalid("не указан пакет или вариант".into()));
        }
        check_custody(new)?;
        self.write(|tx, w| {
            let id: i64 =
                tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM session", [], |r| {
                    r.get(0)
                })?;
            let mut raw = Raw {
                s: Session {
                    id,
                    participant_code: new.participant_code.clone(),
                    package_id: new.package_id.clone(),
                    variant: new.variant.clone(),
                    extended_time: new.extended_time,
                    adapted_version: new.adapted_version.clone(),
                    status: if new.training {
                        SessionStatus::Training
                    } else {
                        SessionStatus::Active
                    },
                    checkpoint: Checkpoint {
                        state: Value::Null,
                        deadlines: BTreeMap::new(),
                    },
                    plays: BTreeMap::new(),
                    started_at: parse_at(w.at())?,
                    updated_at: parse_at(w.at())?,
                    seq: 0,
                    package_sha256: new.package_sha256.clone(),
                    issuer_fingerprint: new.issuer_fingerprint.clone(),
                },
                started_at: w.at().to_string(),
                updated_at: w.at().to_string(),
            };
            write_row(tx, w, &mut raw)?;
            event::insert(
                tx,
                w,
                Some(id),
                event::kinds::LOGIN,
                &json!({"code": new.participant_code}),
            )?;
            Ok(raw.s)
        })
    }

    pub fn session(&self, id: i64) -> Result<Session> {
        self.read(|c| Ok(load(c, id)?.s))
    }

    /// All sessions in order of start.
    pub fn sessions(&self) -> Result<Vec<Session>> {
        self.read(|c| {
            let mut stmt = c.prepare(&format!("SELECT {COLUMNS} FROM session ORDER BY id"))?;
            let mut rows = stmt.query([])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                out.push(from_row(r)?.s);
            }
            Ok(out)
        })
    }

    /// The latest active (or training) session of a participant code: what
    /// a restart resumes.
    pub fn active_session(&self, code: &str) -> Result<Option<Session>> {
        self.read(|c| {
            let id: Option<i64> = c
                .query_row(
                    "SELECT id FROM session WHERE participant_code = ?1
                       AND status IN ('active', 'training') ORDER BY id DESC LIMIT 1",
                    [code],
                    |r| r.get(0),
                )
                .optional()?;
            id.map(|id| Ok(load(c, id)?.s)).transpose()
        })
    }

    /// Persist the resume checkpoint (durable on return).
    pub fn checkpoint(&self, id: i64, checkpoint: &Checkpoint) -> Result<Session> {
        self.write(|tx, w| {
            let mut raw = load(tx, id)?;
            raw.s.checkpoint = checkpoint.clone();
            write_row(tx, w, &mut raw)?;
            Ok(raw.s)
        })
    }

    /// Count one play of `track` before it starts, with a `play` event in the
    /// same transaction; refuses when `limit` plays are used up. Returns the
    /// number of plays used including this one.
    pub fn record_play(&self, id: i64, track: &str, limit: u32) -> Result<u32> {
        self.write(|tx, w| {
            let mut raw = load(tx, id)?;
            let used = raw.s.plays.get(track).copied().unwrap_or(0);
            if used >= limit {
                return Err(StoreError::Invalid(format!(
                    "запись {track} уже прослушана {used} раз(а) из {limit}"
                )));
            }
            raw.s.plays.insert(track.to_string(), used + 1);
            write_row(tx, w, &mut raw)?;
            event::insert(
                tx,
                w,
                Some(id),
                event::kinds::PLAY,
                &json!({"track": track, "play": used + 1}),
            )?;
            Ok(used + 1)
        })
    }

    /// The chain link that first recorded session `id` closed (`finished`
    /// or `technical_failure`): its hash gives the paper receipt
    /// (`vpr_integrity::receipt`), the same one `vpr_bundle::session_receipts`
    /// recomputes from an exported journal. `None` while the work is open
    /// (and for training sessions, which keep the `training` status).
    pub fn closing_link(&self, id: i64) -> Result<Option<vpr_integrity::ChainLink>> {
        self.read(|c| {
            Ok(c.prepare_cached(
                "SELECT seq, kind, body, prev, hash FROM journal WHERE kind = 'session'
                   AND json_extract(body, '$.data.id') = ?1
                   AND json_extract(body, '$.data.status') IN ('finished', 'technical_failure')
                 ORDER BY seq LIMIT 1",
            )?
            .query_row([id], crate::journal::link_of)
            .optional()?)
        })
    }

    /// The variant and adapted version the participant sits, as the organizer
    /// set them before the start (a journal record like every change, so
    /// the bundle carries the version actually sat). Refused once closed.
    pub fn set_session_version(
        &self,
        id: i64,
        variant: &str,
        adapted_version: Option<&str>,
        extended_time: bool,
    ) -> Result<Session> {
        if variant.is_empty() || variant.len() > 16 {
            return Err(StoreError::Invalid(format!("вариант {variant:?}")));
        }
        self.write(|tx, w| {
            let mut raw = load(tx, id)?;
            if matches!(
                raw.s.status,
                SessionStatus::Finished | SessionStatus::TechnicalFailure
            ) {
                return Err(StoreError::Invalid(format!(
                    "сеанс {id} закрыт: вариант не меняется"
                )));
            }
            raw.s.variant = variant.to_string();
            raw.s.adapted_version = adapted_version.map(str::to_string);
            raw.s.extended_time = extended_time;
            write_row(tx, w, &mut raw)?;
            Ok(raw.s)
        })
    }

    /// Change a session's status (finished, technical failure, …).
    pub fn set_session_status(&self, id: i64, status: SessionStatus) -> Result<Session> {
        self.write(|tx, w| {
            let mut raw = load(tx, id)?;
            raw.s.status = status;
            write_row(tx, w, &mut raw)?;
            Ok(raw.s)
        })
    }
}
