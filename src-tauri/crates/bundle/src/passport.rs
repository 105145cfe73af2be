//! The station passport: what the technician carries to the coordinator on
//! a USB drive (and on a printed page) so the coordinator enrols the station
//! before any bundle arrives. It is not signed — a signature by the key it
//! introduces proves nothing; the trust comes from the coordinator comparing
//! the fingerprint with the printed page. It is parsed with a size cap and
//! its fingerprint must be the key's.

use serde::{Deserialize, Serialize};
use vpr_integrity::PublicKey;

use crate::{BundleError, Result};

/// The `format` of a passport file.
pub const PASSPORT_FORMAT: &str = "vpr-station-passport";
/// The passport format version written now.
pub const PASSPORT_VERSION: u32 = 1;
/// Passports larger than this are refused before parsing.
pub const PASSPORT_MAX_BYTES: u64 = 16 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StationPassport {
    pub format: String,
    pub version: u32,
    pub school_id: String,
    pub room: String,
    pub number: u32,
    /// Hex Ed25519 public key of the station's signing key.
    pub public_key: String,
    /// Its fingerprint as `vpr-integrity` displays it (`3f2a-9c01-…`).
    pub fingerprint: String,
    /// RFC 3339, when the technician exported it.
    pub created_at: String,
}

impl StationPassport {
    pub fn new(
        school_id: &str,
        room: &str,
        number: u32,
        key: &PublicKey,
        created_at: &str,
    ) -> Self {
        Self {
            format: PASSPORT_FORMAT.into(),
            version: PASSPORT_VERSION,
            school_id: school_id.into(),
            room: room.into(),
            number,
            public_key: key.to_hex(),
            fingerprint: key.fingerprint().to_string(),
            created_at: created_at.into(),
        }
    }

    /// Parse a passport file's bytes (`name` is for messages).
    pub fn parse(name: &str, bytes: &[u8]) -> Result<Self> {
        let bad = |reason: String| BundleError::Refused {
            entry: name.to_string(),
            reason,
        };
        if bytes.len() as u64 > PASSPORT_MAX_BYTES {
            return Err(bad(format!(
                "паспорт станции больше {} КБ",
                PASSPORT_MAX_BYTES / 1024
            )));
        }
        let p: Self =
            serde_json::from_slice(bytes).map_err(|e| bad(format!("не паспорт станции: {e}")))?;
        if p.format != PASSPORT_FORMAT {
            return Err(bad(format!("неизвестный формат «{}»", p.format)));
        }
        if p.version != PASSPORT_VERSION {
            return Err(bad(format!("неизвестная версия паспорта {}", p.version)));
        }
        let key = p
            .key()
            .map_err(|_| bad("открытый ключ не из 64 шестнадцатеричных цифр".into()))?;
        if key.fingerprint().to_string() != p.fingerprint {
            return Err(bad(
                "отпечаток не соответствует ключу: паспорт изменён".into()
            ));
        }
        if p.number == 0 || p.school_id.trim().is_empty() || p.room.trim().is_empty() {
            return Err(bad("не указаны школа, аудитория или номер станции".into()));
        }
        Ok(p)
    }

    /// Read and parse a passport file, capped before reading.
    pub fn read(path: &std::path::Path) -> Result<Self> {
        let name = path.display().to_string();
        let unreadable = |reason: String| BundleError::Unreadable {
            path: name.clone(),
            reason,
        };
        let len = std::fs::metadata(path)
            .map_err(|e| unreadable(e.to_string()))?
            .len();
        if len > PASSPORT_MAX_BYTES {
            return Err(BundleError::Refused {
                entry: name,
                reason: format!("паспорт станции больше {} КБ", PASSPORT_MAX_BYTES / 1024),
            });
        }
        let bytes = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
        Self::parse(&name, &bytes)
    }

    /// The station's public key.
    pub fn key(&self) -> Result<PublicKey> {
        Ok(PublicKey::from_hex(&self.public_key)?)
    }

    /// The file's bytes (pretty JSON, newline at the end).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut v = serde_json::to_vec_pretty(self).map_err(|e| BundleError::Write {
            path: "паспорт станции".into(),
            reason: e.to_string(),
        })?;
        v.push(b'\n');
        Ok(v)
    }

    /// The file name for a USB drive: `station-passport-<school>-<room>-<n>.json`
    /// (only letters, digits and `-` kept from the school and room).
    pub fn file_name(&self) -> String {
        let clean = |s: &str| -> String {
            s.chars()
                .map(|c| if c.is_alphanumeric() { c } else { '-' })
                .collect()
        };
        format!(
            "station-passport-{}-{}-{}.json",
            clean(&self.school_id),
            clean(&self.room),
            self.number
        )
    }
}

#[cfg(test)]
mod tests {
    use vpr_integrity::StationKey;

    use super::*;

    fn passport() -> StationPassport {
        let dir = tempfile::tempdir().expect("tempdir");
        let key = StationKey::load_or_create(dir.path()).expect("key");
        StationPassport::new("123456", "12", 3, &key.public_key(), "2026-04-20T09:00:00Z")
    }

    #[test]
    fn a_passport_round_trips_and_an_edited_one_is_refused() {
        let p = passport();
        let bytes = p.to_bytes().expect("bytes");
        assert_eq!(StationPassport::parse("p.json", &bytes).expect("parse"), p);
        let mut forged = p.clone();
        forged.public_key = "ab".repeat(32);
        let err = StationPassport::parse("p.json", &forged.to_bytes().expect("bytes"))
            .expect_err("fingerprint no longer the key's");
        assert!(err.to_string().contains("отпечаток"), "{err}");
        let huge = vec![b' '; PASSPORT_MAX_BYTES as usize + 1];
        assert!(StationPassport::parse("p.json", &huge).is_err());
        assert!(StationPassport::parse("p.json", b"{\"format\":1}").is_err());
        assert_eq!(p.file_name(), "station-passport-123456-12-3.json");
    }
}
