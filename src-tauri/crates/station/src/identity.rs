//! Who this station is: school (ОО) code, room and number, saved in the
//! exam database beside the station's signing key, whose fingerprint the
//! technician reads out to the coordinator.

use vpr_integrity::{Fingerprint, StationKey};
use vpr_store::{StationInfo, Store};

use crate::{
    technician::{Result, StationIdentity, TechnicianError},
    StationLayout,
};

/// The station's identity; the signing key is created on first use.
pub fn identity(layout: &StationLayout) -> Result<StationIdentity> {
    let key = StationKey::load_or_create(layout.key_dir())?;
    let fingerprint = key.public_key().fingerprint();
    let saved = Store::open(&layout.exam_db())?.station()?;
    Ok(match saved {
        Some(s) => StationIdentity {
            configured: true,
            school_id: s.school_id,
            room: s.room,
            number: Some(s.number),
            station_id: s.station_id,
            key_fingerprint: fingerprint.to_string(),
        },
        None => StationIdentity {
            configured: false,
            school_id: String::new(),
            room: String::new(),
            number: None,
            station_id: station_id(&fingerprint),
            key_fingerprint: fingerprint.to_string(),
        },
    })
}

/// The station's number as the technician set it (in the exam database,
/// beside the station key); None before the set-up. Never creates the file.
pub(crate) fn seat_number(layout: &StationLayout) -> Option<u32> {
    let db = layout.exam_db();
    if !db.is_file() {
        return None;
    }
    match Store::open(&db).and_then(|s| s.station()) {
        Ok(info) => info.map(|i| i.number),
        Err(e) => {
            tracing::warn!("station number unreadable, variants start at 1: {e}");
            None
        }
    }
}

/// Check and save school code, room and number.
pub fn set_identity(
    layout: &StationLayout,
    school_id: &str,
    room: &str,
    number: u32,
) -> Result<StationIdentity> {
    let school_id = school_id.trim();
    let room = room.trim();
    validate(school_id, room, number)?;
    let key = StationKey::load_or_create(layout.key_dir())?;
    let fingerprint = key.public_key().fingerprint();
    Store::open(&layout.exam_db())?.set_station(&StationInfo {
        station_id: station_id(&fingerprint),
        school_id: school_id.to_owned(),
        room: room.to_owned(),
        number,
        key_fingerprint: fingerprint,
    })?;
    tracing::info!(school_id, room, number, "station identity saved");
    identity(layout)
}

fn validate(school_id: &str, room: &str, number: u32) -> Result<()> {
    if school_id.is_empty()
        || school_id.len() > 32
        || !school_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(TechnicianError::Invalid(
            "Код ОО — цифры и латинские буквы (до 32 знаков), без пробелов".into(),
        ));
    }
    if room.is_empty() || room.chars().count() > 40 || room.chars().any(char::is_control) {
        return Err(TechnicianError::Invalid(
            "Укажите аудиторию (до 40 знаков)".into(),
        ));
    }
    if !(1..=999).contains(&number) {
        return Err(TechnicianError::Invalid(
            "Номер станции — число от 1 до 999".into(),
        ));
    }
    Ok(())
}

/// `st-` and the first 12 hex digits of the key's fingerprint.
fn station_id(fp: &Fingerprint) -> String {
    let hex = fp.to_hex();
    format!("st-{}", hex.get(..12).unwrap_or(&hex))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn identity_is_validated_and_saved_with_the_station_key() {
        let dir = tempfile::tempdir().unwrap();
        let layout = StationLayout::new(dir.path());
        let fresh = identity(&layout).unwrap();
        assert!(!fresh.configured);
        assert!(set_identity(&layout, "77 01", "12", 3).is_err());
        assert!(set_identity(&layout, "770001", "12", 0).is_err());
        assert!(set_identity(&layout, "770001", "", 3).is_err());
        let saved = set_identity(&layout, "770001", "Каб. 12", 3).unwrap();
        assert!(saved.configured);
        assert_eq!(saved.number, Some(3));
        assert_eq!(saved.key_fingerprint, fresh.key_fingerprint);
        assert!(saved.station_id.starts_with("st-"));
        assert!(dir.path().join(vpr_integrity::KEY_FILE).is_file());
    }
}
