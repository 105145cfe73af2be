//! PIN hashing with PBKDF2-HMAC-SHA256 (ring).

use serde::{Deserialize, Serialize};
use vpr_integrity::kdf;

use crate::{AccessError, Result};

/// Iterations for new hashes (OWASP 2023 guidance for PBKDF2-HMAC-SHA256).
pub const ITERATIONS: u32 = 600_000;
const SALT_LEN: usize = 16;
const HASH_LEN: usize = 32;

/// Who a PIN belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PinRole {
    /// The room organizer: exits the kiosk, pauses, overrides the headset check.
    Organizer,
    /// The technical specialist: opens technician mode.
    Technician,
}

impl PinRole {
    pub fn name_ru(self) -> &'static str {
        match self {
            Self::Organizer => "организатора",
            Self::Technician => "технического специалиста",
        }
    }
}

/// A stored PIN hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinHash {
    pub iterations: u32,
    pub salt: String,
    pub hash: String,
}

/// Shortest PIN a new hash accepts.
pub const MIN_LEN: usize = 6;
/// Longest PIN.
pub const MAX_LEN: usize = 8;

/// A new PIN is 6 to 8 ASCII digits and not trivial (see [`trivial`]).
pub fn check_format(pin: &str) -> Result<()> {
    if !(MIN_LEN..=MAX_LEN).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AccessError::BadFormat);
    }
    match trivial(pin) {
        Some(why) => Err(AccessError::Trivial(why)),
        None => Ok(()),
    }
}

/// Why a PIN of digits is easy to guess, if it is. The rule, in full:
/// one digit repeated (`111111`); digits in order up or down, 9→0 and 0→9
/// counting as neighbours (`123456`, `987654`, `890123`); the last four
/// digits a year 1900–2099 (`041987`, `112024`).
pub fn trivial(pin: &str) -> Option<&'static str> {
    let d: Vec<i8> = pin.bytes().map(|b| (b - b'0') as i8).collect();
    if d.windows(2).all(|w| w[0] == w[1]) {
        return Some("одна и та же цифра");
    }
    for step in [1, 9] {
        if d.windows(2).all(|w| (w[1] - w[0]).rem_euclid(10) == step) {
            return Some("цифры идут подряд");
        }
    }
    if d.len() >= 4 {
        let tail = &d[d.len() - 4..];
        if (tail[0], tail[1]) == (1, 9) || (tail[0], tail[1]) == (2, 0) {
            return Some("последние четыре цифры — год");
        }
    }
    None
}

impl PinHash {
    /// Hash a new PIN with a fresh random salt.
    pub fn new(pin: &str) -> Result<Self> {
        check_format(pin)?;
        let salt: [u8; SALT_LEN] = kdf::random_bytes()
            .map_err(|_| AccessError::Corrupt("нет источника случайных чисел".into()))?;
        let hash = derive(pin, &salt, ITERATIONS)?;
        Ok(Self {
            iterations: ITERATIONS,
            salt: hex::encode(salt),
            hash: hex::encode(hash),
        })
    }

    /// Constant-time check of a PIN against this hash.
    pub fn matches(&self, pin: &str) -> Result<bool> {
        let salt = from_hex(&self.salt)?;
        let expected = from_hex(&self.hash)?;
        let iterations = checked_iterations(self.iterations)?;
        kdf::pbkdf2_sha256_verify(pin.as_bytes(), &salt, iterations, &expected)
            .map_err(|e| AccessError::Corrupt(e.to_string()))
    }
}

/// The most rounds a stored hash may ask for: an edited file must not make
/// every PIN check take minutes.
const MAX_ITERATIONS: u32 = 10 * ITERATIONS;

fn checked_iterations(iterations: u32) -> Result<u32> {
    match iterations {
        0 => Err(AccessError::Corrupt("число итераций равно нулю".into())),
        n if n > MAX_ITERATIONS => Err(AccessError::Corrupt(format!(
            "число итераций {n} больше допустимого {MAX_ITERATIONS}"
        ))),
        n => Ok(n),
    }
}

fn derive(pin: &str, salt: &[u8], iterations: u32) -> Result<[u8; HASH_LEN]> {
    let iterations = checked_iterations(iterations)?;
    let mut out = [0u8; HASH_LEN];
    kdf::pbkdf2_sha256(pin.as_bytes(), salt, iterations, &mut out)
        .map_err(|e| AccessError::Corrupt(e.to_string()))?;
    Ok(out)
}

fn from_hex(s: &str) -> Result<Vec<u8>> {
    hex::decode(s).map_err(|_| AccessError::Corrupt("не шестнадцатеричная строка".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_matches_only_its_pin() {
        let h = PinHash::new("274915").unwrap();
        assert!(h.matches("274915").unwrap());
        assert!(!h.matches("274916").unwrap());
        assert!(!h.matches("").unwrap());
        assert_eq!(h.iterations, ITERATIONS);
        assert_ne!(
            PinHash::new("274915").unwrap().salt,
            h.salt,
            "salts are random"
        );
    }

    #[test]
    fn an_edited_iteration_count_is_refused_before_hashing() {
        let mut h = PinHash::new("274915").unwrap();
        h.iterations = u32::MAX;
        assert!(matches!(h.matches("274915"), Err(AccessError::Corrupt(_))));
        h.iterations = 0;
        assert!(matches!(h.matches("274915"), Err(AccessError::Corrupt(_))));
    }

    #[test]
    fn format_is_enforced() {
        for bad in [
            "",
            "123",
            "2749",
            "27491",
            "274915381",
            "2749a5",
            "２７４９１５",
            "274 915",
        ] {
            assert!(
                matches!(PinHash::new(bad), Err(AccessError::BadFormat)),
                "{bad:?}"
            );
        }
        assert!(PinHash::new("27491538").is_ok());
    }

    #[test]
    fn trivial_pins_are_refused_by_the_named_rule() {
        for (bad, why) in [
            ("000000", "одна"),
            ("77777777", "одна"),
            ("123456", "подряд"),
            ("654321", "подряд"),
            ("890123", "подряд"),
            ("21098765", "подряд"),
            ("041987", "год"),
            ("112024", "год"),
            ("35192000", "год"),
        ] {
            match PinHash::new(bad) {
                Err(e @ AccessError::Trivial(_)) => {
                    let msg = e.to_string();
                    assert!(msg.contains(why), "{bad}: {msg}");
                    // The message names the whole rule.
                    assert!(msg.contains("111111") && msg.contains("19") && msg.contains("20"));
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
        for good in ["274915", "135790", "112233", "041899", "302187", "120100"] {
            assert!(PinHash::new(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn corrupt_hash_is_an_error_not_a_panic() {
        let h = PinHash {
            iterations: 1,
            salt: "zz".into(),
            hash: "00".into(),
        };
        assert!(matches!(h.matches("274915"), Err(AccessError::Corrupt(_))));
        let h = PinHash {
            iterations: 0,
            salt: "00".into(),
            hash: "00".into(),
        };
        assert!(matches!(h.matches("274915"), Err(AccessError::Corrupt(_))));
    }
}
