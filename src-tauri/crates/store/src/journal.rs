//! The `journal` table: the hash chain every write extends, and the check
//! that every table row matches the record that wrote it.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use serde_json::Value;
use vpr_integrity::{canonical_json, verify_chain, ChainBreak, ChainLink, Sha256Hash, GENESIS};

use crate::{answer, event, recording, session, station, Result, StoreError};

/// The last record of the chain: what the bundle manifest carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ChainHead {
    pub seq: u64,
    pub hash: Sha256Hash,
}

/// Appends records within one transaction.
pub(crate) struct Writer {
    at: String,
    head: ChainHead,
}

impl Writer {
    pub fn start(tx: &Transaction<'_>, at: String) -> Result<Self> {
        Ok(Self {
            at,
            head: head(tx)?,
        })
    }

    /// The timestamp every record of this transaction carries.
    pub fn at(&self) -> &str {
        &self.at
    }

    /// Append one record; returns its sequence number.
    pub fn append(&mut self, tx: &Transaction<'_>, kind: &str, data: &Value) -> Result<u64> {
        let link = ChainLink::new(self.head.seq + 1, kind, &self.at, data, self.head.hash)?;
        tx.prepare_cached(
            "INSERT INTO journal(seq, kind, body, prev, hash) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            seq_sql(link.seq)?,
            link.kind,
            link.body,
            &link.prev.as_bytes()[..],
            &link.hash.as_bytes()[..]
        ])?;
        self.head = ChainHead {
            seq: link.seq,
            hash: link.hash,
        };
        Ok(link.seq)
    }
}

pub(crate) fn seq_sql(seq: u64) -> Result<i64> {
    i64::try_from(seq).map_err(|_| StoreError::Corrupt(format!("номер записи {seq}")))
}

fn hash_col(row: &rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<Sha256Hash> {
    let bytes: Vec<u8> = row.get(idx)?;
    let arr: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            idx,
            rusqlite::types::Type::Blob,
            "хеш не 32 байта".into(),
        )
    })?;
    Ok(Sha256Hash(arr))
}

pub(crate) fn head(conn: &Connection) -> Result<ChainHead> {
    let row = conn
        .prepare_cached("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get::<_, i64>(0)?, hash_col(r, 1)?)))
        .optional()?;
    Ok(match row {
        Some((seq, hash)) => ChainHead {
            seq: seq as u64,
            hash,
        },
        None => ChainHead {
            seq: 0,
            hash: GENESIS,
        },
    })
}

/// A link from a row of `SELECT seq, kind, body, prev, hash FROM journal`.
pub(crate) fn link_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<ChainLink> {
    Ok(ChainLink {
        seq: r.get::<_, i64>(0)? as u64,
        kind: r.get(1)?,
        body: r.get(2)?,
        prev: hash_col(r, 3)?,
        hash: hash_col(r, 4)?,
    })
}

pub(crate) fn all(conn: &Connection) -> Result<Vec<ChainLink>> {
    let mut stmt = conn.prepare("SELECT seq, kind, body, prev, hash FROM journal ORDER BY seq")?;
    let links = stmt
        .query_map([], link_of)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(links)
}

/// What the journal says a row must look like now.
pub(crate) struct Expected {
    seq: u64,
    at: String,
    data: String,
}

/// Rows keyed by (table, key): the latest record for each.
#[derive(Default)]
pub(crate) struct Expectations {
    rows: HashMap<(&'static str, i64), Expected>,
    problems: Vec<ChainBreak>,
}

impl Expectations {
    /// Check one table row (its key, the seq it claims, its timestamp and
    /// its data as the journal would encode it).
    pub fn check(&mut self, table: &'static str, key: i64, seq: u64, at: &str, data: &Value) {
        let canon = canonical_json(data).unwrap_or_default();
        match self.rows.remove(&(table, key)) {
            Some(e) if e.seq == seq && e.at == at && e.data == canon => {}
            Some(e) => self.problems.push(ChainBreak {
                seq: e.seq,
                reason: format!("строка {key} таблицы {table} не совпадает с этой записью"),
            }),
            None => self.problems.push(ChainBreak {
                seq,
                reason: format!("строка {key} таблицы {table} не записана в журнал"),
            }),
        }
    }
}

fn table_for(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "station" => "station",
        "session" => "session",
        "answer" => "answer",
        "recording" => "recording",
        "event" => "event",
        _ => return None,
    })
}

/// Verify the chain, then every row against it; the first bad record wins.
pub(crate) fn verify_all(conn: &Connection) -> Result<ChainHead> {
    let links = all(conn)?;
    let (hash, seq) = verify_chain(links.iter().cloned())?;
    let mut exp = Expectations::default();
    for link in &links {
        let bad = |reason: &str| ChainBreak {
            seq: link.seq,
            reason: reason.to_string(),
        };
        let body: Value =
            serde_json::from_str(&link.body).map_err(|_| bad("содержимое не JSON"))?;
        let table = table_for(&link.kind).ok_or_else(|| bad("неизвестный вид записи"))?;
        let data = body.get("data").cloned().unwrap_or(Value::Null);
        let key = match table {
            "answer" | "event" => link.seq as i64,
            "station" => 1,
            _ => data
                .get("id")
                .and_then(Value::as_i64)
                .ok_or_else(|| bad("нет номера строки"))?,
        };
        let at = body
            .get("at")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let canon = canonical_json(&data)?;
        exp.rows.insert(
            (table, key),
            Expected {
                seq: link.seq,
                at,
                data: canon,
            },
        );
    }
    station::verify_rows(conn, &mut exp)?;
    session::verify_rows(conn, &mut exp)?;
    answer::verify_rows(conn, &mut exp)?;
    recording::verify_rows(conn, &mut exp)?;
    event::verify_rows(conn, &mut exp)?;
    for ((table, key), e) in exp.rows {
        exp.problems.push(ChainBreak {
            seq: e.seq,
            reason: format!("строка {key} таблицы {table} отсутствует"),
        });
    }
    if let Some(first) = exp.problems.into_iter().min_by_key(|p| p.seq) {
        return Err(StoreError::ChainBroken(first));
    }
    Ok(ChainHead { seq, hash })
}
