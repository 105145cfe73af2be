//! Table `stations`: enrolled station keys (from the station passport).

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Coordinator, CoordinatorError, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Station {
    pub id: i64,
    pub room_id: i64,
    pub number: u32,
    /// Hex Ed25519 public key of the station's signing key.
    pub public_key: String,
    /// SHA-256 of the public key as `vpr-integrity` displays it (`3f2a-9c01-…`).
    pub fingerprint: String,
}

impl Coordinator {
    /// Record a station's public signing key (hex, as `station-key.pub`
    /// holds it); its bundles are trusted from then on.
    pub fn add_station(&self, room_id: i64, number: u32, public_key_hex: &str) -> Result<Station> {
        let key = vpr_integrity::PublicKey::from_hex(public_key_hex).map_err(|_| {
            CoordinatorError::Invalid(
                "открытый ключ станции: ожидается 64 шестнадцатеричные цифры".into(),
            )
        })?;
        let fingerprint = key.fingerprint().to_string();
        self.conn.execute(
            "INSERT INTO stations (room_id, number, public_key, fingerprint) VALUES (?1, ?2, ?3, ?4)",
            params![room_id, number, key.to_hex(), fingerprint],
        )?;
        Ok(Station {
            id: self.conn.last_insert_rowid(),
            room_id,
            number,
            public_key: key.to_hex(),
            fingerprint,
        })
    }

    pub fn stations(&self) -> Result<Vec<Station>> {
        let mut st = self.conn.prepare("SELECT id, room_id, number, public_key, fingerprint FROM stations ORDER BY room_id, number")?;
        let rows = st.query_map([], |r| {
            Ok(Station {
                id: r.get(0)?,
                room_id: r.get(1)?,
                number: r.get(2)?,
                public_key: r.get(3)?,
                fingerprint: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
