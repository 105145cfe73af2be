//! The `station` table: this station's identity (one row).

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use vpr_integrity::Fingerprint;

use crate::{journal::seq_sql, journal::Expectations, Result, Store, StoreError};

/// Who this station is; set by the technician.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationInfo {
    /// Stable id of the station (e.g. generated at set-up).
    pub station_id: String,
    /// The school (ОО) code.
    pub school_id: String,
    pub room: String,
    /// Station number in the room.
    pub number: u32,
    /// Fingerprint of the station's Ed25519 key.
    pub key_fingerprint: Fingerprint,
}

fn data(s: &StationInfo) -> Value {
    json!({
        "station_id": s.station_id,
        "school_id": s.school_id,
        "room": s.room,
        "number": s.number,
        "key_fingerprint": s.key_fingerprint.to_hex(),
    })
}

type Row = (StationInfo, String, u64);

fn load(conn: &Connection) -> Result<Option<Row>> {
    let row = conn
        .query_row(
            "SELECT station_id, school_id, room, number, key_fingerprint, updated_at, seq FROM station WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, i64>(6)?,
                ))
            },
        )
        .optional()?;
    row.map(|(station_id, school_id, room, number, fp, at, seq)| {
        Ok((
            StationInfo {
                station_id,
                school_id,
                room,
                number: u32::try_from(number)
                    .map_err(|_| StoreError::Corrupt(format!("номер станции {number}")))?,
                key_fingerprint: fp.parse()?,
            },
            at,
            seq as u64,
        ))
    })
    .transpose()
}

pub(crate) fn verify_rows(conn: &Connection, exp: &mut Expectations) -> Result<()> {
    if let Some((info, at, seq)) = load(conn)? {
        exp.check("station", 1, seq, &at, &data(&info));
    }
    Ok(())
}

impl Store {
    /// Set or replace the station's identity.
    pub fn set_station(&self, info: &StationInfo) -> Result<()> {
        if info.station_id.is_empty() || info.school_id.is_empty() {
            return Err(StoreError::Invalid(
                "не заданы код ОО или номер станции".into(),
            ));
        }
        self.write(|tx, w| {
            let seq = w.append(tx, "station", &data(info))?;
            tx.execute(
                "INSERT INTO station(id, station_id, school_id, room, number, key_fingerprint, updated_at, seq)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(id) DO UPDATE SET station_id = ?1, school_id = ?2, room = ?3, number = ?4,
                   key_fingerprint = ?5, updated_at = ?6, seq = ?7",
                params![
                    info.station_id,
                    info.school_id,
                    info.room,
                    info.number,
                    info.key_fingerprint.to_hex(),
                    w.at(),
                    seq_sql(seq)?
                ],
            )?;
            Ok(())
        })
    }

    /// The station's identity, once the technician has set it.
    pub fn station(&self) -> Result<Option<StationInfo>> {
        self.read(|c| Ok(load(c)?.map(|(info, _, _)| info)))
    }
}
