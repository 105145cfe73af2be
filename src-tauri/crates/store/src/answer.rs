//! The `answer` table: one row per save (a journal record each); the latest
//! save of a (task, item) wins.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::{json, Value};
use time::OffsetDateTime;

use crate::{
    journal::{seq_sql, Expectations},
    parse_at, Result, Store, StoreError,
};

/// One saved answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub session_id: i64,
    pub task: String,
    pub item: String,
    pub value: Value,
    #[serde(with = "time::serde::rfc3339")]
    pub saved_at: OffsetDateTime,
    /// Journal sequence number of this save.
    pub seq: u64,
}

/// What a save returns once it is durable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SavedAnswer {
    pub seq: u64,
    pub saved_at: OffsetDateTime,
}

pub(crate) fn data(session_id: i64, task: &str, item: &str, value: &Value) -> Value {
    json!({"session_id": session_id, "task": task, "item": item, "value": value})
}

const COLUMNS: &str = "session_id, task, item, value, saved_at, seq";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, String, String, String, String, i64)> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

fn to_answer(
    (session_id, task, item, value, saved_at, seq): (i64, String, String, String, String, i64),
) -> Result<Answer> {
    Ok(Answer {
        session_id,
        task,
        item,
        value: serde_json::from_str(&value)
            .map_err(|_| StoreError::Corrupt(format!("значение ответа № {seq}")))?,
        saved_at: parse_at(&saved_at)?,
        seq: seq as u64,
    })
}

fn query(conn: &Connection, sql: &str, session_id: i64) -> Result<Vec<Answer>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt
        .query_map([session_id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(to_answer).collect()
}

pub(crate) fn verify_rows(conn: &Connection, exp: &mut Expectations) -> Result<()> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM answer ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (session_id, task, item, value, saved_at, seq) = from_row(r)?;
        let value: Value = serde_json::from_str(&value).unwrap_or(Value::String(value));
        exp.check(
            "answer",
            seq,
            seq as u64,
            &saved_at,
            &data(session_id, &task, &item, &value),
        );
    }
    Ok(())
}

impl Store {
    /// Save an answer; returns only after the commit (with its journal
    /// record) is durable. Saving the same (task, item) again adds a new
    /// record; the latest wins. Refused for a finished or failed session.
    pub fn save_answer(
        &self,
        session_id: i64,
        task: &str,
        item: &str,
        value: &Value,
    ) -> Result<SavedAnswer> {
        if task.is_empty() {
            return Err(StoreError::Invalid("пустой номер задания".into()));
        }
        let stored = vpr_integrity::canonical_json(value)?;
        self.write(|tx, w| {
            let status: Option<String> = tx
                .prepare_cached("SELECT status FROM session WHERE id = ?1")?
                .query_row([session_id], |r| r.get(0))
                .optional()?;
            match status.as_deref() {
                None => return Err(StoreError::NotFound(format!("сеанс {session_id}"))),
                Some("active" | "training") => {}
                Some(_) => {
                    return Err(StoreError::Invalid(format!(
                        "сеанс {session_id} уже завершён: ответы не принимаются"
                    )))
                }
            }
            let seq = w.append(tx, "answer", &data(session_id, task, item, value))?;
            tx.prepare_cached(
                "INSERT INTO answer(seq, session_id, task, item, value, saved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![seq_sql(seq)?, session_id, task, item, stored, w.at()])?;
            Ok(SavedAnswer { seq, saved_at: parse_at(w.at())? })
        })
    }

    /// The latest answer of every (task, item) of a session.
    pub fn answers(&self, session_id: i64) -> Result<Vec<Answer>> {
        self.read(|c| {
            query(
                c,
                &format!(
                    "SELECT {COLUMNS} FROM answer a WHERE session_id = ?1 AND seq = (
                       SELECT max(seq) FROM answer b
                       WHERE b.session_id = a.session_id AND b.task = a.task AND b.item = a.item)
                     ORDER BY task, item"
                ),
                session_id,
            )
        })
    }

    /// Every save of a session in order, superseded ones included.
    pub fn answer_history(&self, session_id: i64) -> Result<Vec<Answer>> {
        self.read(|c| {
            query(
                c,
                &format!("SELECT {COLUMNS} FROM answer WHERE session_id = ?1 ORDER BY seq"),
                session_id,
            )
        })
    }
}
