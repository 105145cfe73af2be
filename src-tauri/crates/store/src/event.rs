//! The `event` table: the audit journal (logins, plays, recording start and
//! stop, organizer actions, PIN exits, device errors, restarts).

use rusqlite::{params, Connection};
use serde::Serialize;
use serde_json::{json, Value};
use time::OffsetDateTime;

use crate::{
    journal::{seq_sql, Expectations},
    parse_at, Result, Store, StoreError,
};

/// Event kinds the core writes; any other short snake_case kind is accepted too.
pub mod kinds {
    pub const LOGIN: &str = "login";
    pub const PLAY: &str = "play";
    pub const RECORD_START: &str = "record_start";
    pub const RECORD_STOP: &str = "record_stop";
    pub const ORGANIZER: &str = "organizer";
    pub const PIN_EXIT: &str = "pin_exit";
    pub const DEVICE_ERROR: &str = "device_error";
    pub const RESTART: &str = "restart";
    pub const RESUME: &str = "resume";
    pub const FINISH: &str = "finish";
    pub const EXPORT: &str = "export";
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub seq: u64,
    pub session_id: Option<i64>,
    pub kind: String,
    pub payload: Value,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

pub(crate) fn data(session_id: Option<i64>, kind: &str, payload: &Value) -> Value {
    json!({"session_id": session_id, "kind": kind, "payload": payload})
}

type Row = (i64, Option<i64>, String, String, String);

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

pub(crate) fn verify_rows(conn: &Connection, exp: &mut Expectations) -> Result<()> {
    let mut stmt =
        conn.prepare("SELECT seq, session_id, kind, payload, at FROM event ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (seq, session_id, kind, payload, at) = from_row(r)?;
        let payload: Value = serde_json::from_str(&payload).unwrap_or(Value::String(payload));
        exp.check(
            "event",
            seq,
            seq as u64,
            &at,
            &data(session_id, &kind, &payload),
        );
    }
    Ok(())
}

pub(crate) fn check_kind(kind: &str) -> Result<()> {
    if kind.is_empty()
        || kind.len() > 64
        || !kind
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(StoreError::Invalid(format!("вид события {kind:?}")));
    }
    Ok(())
}

pub(crate) fn insert(
    tx: &rusqlite::Transaction<'_>,
    w: &mut crate::journal::Writer,
    session_id: Option<i64>,
    kind: &str,
    payload: &Value,
) -> Result<u64> {
    check_kind(kind)?;
    let stored = vpr_integrity::canonical_json(payload)?;
    let seq = w.append(tx, "event", &data(session_id, kind, payload))?;
    tx.prepare_cached(
        "INSERT INTO event(seq, session_id, kind, payload, at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![seq_sql(seq)?, session_id, kind, stored, w.at()])?;
    Ok(seq)
}

impl Store {
    /// Append an audit event (durable on return); returns its sequence number.
    pub fn log_event(&self, session_id: Option<i64>, kind: &str, payload: &Value) -> Result<u64> {
        self.write(|tx, w| insert(tx, w, session_id, kind, payload))
    }

    /// All events, or those of one session, in order.
    pub fn events(&self, session_id: Option<i64>) -> Result<Vec<Event>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT seq, session_id, kind, payload, at FROM event
                 WHERE ?1 IS NULL OR session_id = ?1 ORDER BY seq",
            )?;
            let rows = stmt
                .query_map([session_id], from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows.into_iter()
                .map(|(seq, session_id, kind, payload, at)| {
                    Ok(Event {
                        seq: seq as u64,
                        session_id,
                        kind,
                        payload: serde_json::from_str(&payload)
                            .map_err(|_| StoreError::Corrupt(format!("событие № {seq}")))?,
                        at: parse_at(&at)?,
                    })
                })
                .collect()
        })
    }
}
