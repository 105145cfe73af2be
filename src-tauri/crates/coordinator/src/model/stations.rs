//! Table `stations`: enrolled station keys, from the station passport or a
//! typed fingerprint and key — never from a bundle being imported.

use std::path::Path;

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use vpr_bundle::StationPassport;

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
    /// The school id the station was set up with (its passport).
    pub school_id: String,
    /// The room as the station names it in its bundles (its passport).
    pub station_room: String,
}

/// A fingerprint as typed or printed: hex digits only, lower case.
fn fingerprint_digits(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The school id stations are set up with: the ФИС ОКО login without its
/// `sch` prefix (`sch770123` → `770123`).
pub(crate) fn school_id_of(login: &str) -> String {
    let login = login.trim();
    login
        .strip_prefix("sch")
        .or_else(|| login.strip_prefix("SCH"))
        .unwrap_or(login)
        .to_string()
}

impl Coordinator {
    /// The coordinator's school id (from the school's login), refused when
    /// the school is not filled in: bundles are checked against it.
    pub fn school_id(&self) -> Result<String> {
        let id = self
            .school()?
            .map(|s| school_id_of(&s.login))
            .unwrap_or_default();
        if id.is_empty() {
            return Err(CoordinatorError::Invalid(
                "не указан логин ОО в ФИС ОКО (раздел «Школа»): без него нельзя проверить, что станция из этой школы".into(),
            ));
        }
        Ok(id)
    }

    /// Enrol a station by its typed key and the fingerprint read from its
    /// printed passport: they must agree. `station_room` is the room as the
    /// station names it (empty: the coordinator's room name).
    pub fn add_station(
        &self,
        room_id: i64,
        number: u32,
        station_room: &str,
        public_key_hex: &str,
        fingerprint: &str,
    ) -> Result<Station> {
        let key = vpr_integrity::PublicKey::from_hex(public_key_hex.trim()).map_err(|_| {
            CoordinatorError::Invalid(
                "открытый ключ станции: ожидается 64 шестнадцатеричные цифры".into(),
            )
        })?;
        let actual = key.fingerprint().to_string();
        if fingerprint_digits(fingerprint) != fingerprint_digits(&actual) {
            return Err(CoordinatorError::Invalid(format!(
                "отпечаток {} не соответствует ключу станции (отпечаток ключа {actual}): сверьте с паспортом станции",
                fingerprint.trim()
            )));
        }
        let school = self.school_id()?;
        self.insert_station(room_id, number, station_room, &key, &school)
    }

    /// Enrol a station from its passport. The passport's school must be
    /// this coordinator's; the fingerprint to compare with the printed page
    /// is in the returned station.
    pub fn enrol_station(&self, room_id: i64, passport: &StationPassport) -> Result<Station> {
        let key = passport
            .key()
            .map_err(|e| CoordinatorError::Invalid(format!("паспорт станции: {e}")))?;
        let school = self.school_id()?;
        if passport.school_id.trim() != school {
            return Err(CoordinatorError::Invalid(format!(
                "паспорт станции другой школы: «{}», а у координатора «{school}»",
                passport.school_id.trim()
            )));
        }
        self.insert_station(room_id, passport.number, &passport.room, &key, &school)
    }

    /// [`Coordinator::enrol_station`] from a passport file (capped at 16 KB).
    pub fn enrol_station_file(&self, room_id: i64, path: &Path) -> Result<Station> {
        let passport =
            StationPassport::read(path).map_err(|e| CoordinatorError::Invalid(e.to_string()))?;
        self.enrol_station(room_id, &passport)
    }

    fn insert_station(
        &self,
        room_id: i64,
        number: u32,
        station_room: &str,
        key: &vpr_integrity::PublicKey,
        school: &str,
    ) -> Result<Station> {
        if number == 0 {
            return Err(CoordinatorError::Invalid("номер станции — от 1".into()));
        }
        let room_name = self
            .rooms()?
            .into_iter()
            .find(|r| r.id == room_id)
            .map(|r| r.name)
            .ok_or(CoordinatorError::Missing {
                what: "аудитория",
                id: room_id,
            })?;
        let station_room = if station_room.trim().is_empty() {
            room_name
        } else {
            station_room.trim().to_string()
        };
        let fingerprint = key.fingerprint().to_string();
        if let Some(s) = self
            .stations()?
            .into_iter()
            .find(|s| s.public_key == key.to_hex())
        {
            return Err(CoordinatorError::Invalid(format!(
                "этот ключ уже зарегистрирован: станция {} (аудитория «{}»)",
                s.number, s.station_room
            )));
        }
        self.conn
            .execute(
                "INSERT INTO stations (room_id, number, public_key, fingerprint, school_id, station_room)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![room_id, number, key.to_hex(), fingerprint, school, station_room],
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    CoordinatorError::Invalid(format!(
                        "в этой аудитории уже зарегистрирована станция № {number}"
                    ))
                }
                other => CoordinatorError::Db(other),
            })?;
        Ok(Station {
            id: self.conn.last_insert_rowid(),
            room_id,
            number,
            public_key: key.to_hex(),
            fingerprint,
            school_id: school.to_string(),
            station_room,
        })
    }

    /// Remove an enrolled station (its imported works stay).
    pub fn remove_station(&self, id: i64) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM stations WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(CoordinatorError::Missing {
                what: "станция",
                id,
            });
        }
        Ok(())
    }

    pub fn stations(&self) -> Result<Vec<Station>> {
        let mut st = self.conn.prepare(
            "SELECT s.id, s.room_id, s.number, s.public_key, s.fingerprint, s.school_id,
                    CASE WHEN s.station_room = '' THEN r.name ELSE s.station_room END
             FROM stations s JOIN rooms r ON r.id = s.room_id ORDER BY s.room_id, s.number",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Station {
                id: r.get(0)?,
                room_id: r.get(1)?,
                number: r.get(2)?,
                public_key: r.get(3)?,
                fingerprint: r.get(4)?,
                school_id: r.get(5)?,
                station_room: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_compare_as_typed_and_school_ids_lose_their_prefix() {
        assert_eq!(fingerprint_digits("3F2A-9c01 ab"), "3f2a9c01ab");
        assert_eq!(school_id_of(" sch770123 "), "770123");
        assert_eq!(school_id_of("770123"), "770123");
    }
}
