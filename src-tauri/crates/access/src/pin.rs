//! PIN hashing with PBKDF2-HMAC-SHA256 (ring).

use std::num::NonZeroU32;

use ring::{pbkdf2, rand::SecureRandom};
use serde::{Deserialize, Serialize};

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

/// A PIN is 4 to 8 ASCII digits.
pub fn check_format(pin: &str) -> Result<()> {
    if (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(AccessError::BadFormat)
    }
}

impl PinHash {
    /// Hash a new PIN with a fresh random salt.
    pub fn new(pin: &str) -> Result<Self> {
        check_format(pin)?;
        let mut salt = [0u8; SALT_LEN];
        ring::rand::SystemRandom::new()
            .fill(&mut salt)
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
        let iterations = NonZeroU32::new(self.iterations)
            .ok_or_else(|| AccessError::Corrupt("число итераций равно нулю".into()))?;
        Ok(pbkdf2::verify(
            pbkdf2::PBKDF2_HMAC_SHA256,
            iterations,
            &salt,
            pin.as_bytes(),
            &expected,
        )
        .is_ok())
    }
}

fn derive(pin: &str, salt: &[u8], iterations: u32) -> Result<[u8; HASH_LEN]> {
    let iterations = NonZeroU32::new(iterations)
        .ok_or_else(|| AccessError::Corrupt("число итераций равно нулю".into()))?;
    let mut out = [0u8; HASH_LEN];
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA256,
        iterations,
        salt,
        pin.as_bytes(),
        &mut out,
    );
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
        let h = PinHash::new("2468").unwrap();
        assert!(h.matches("2468").unwrap());
        assert!(!h.matches("2469").unwrap());
        assert!(!h.matches("").unwrap());
        assert_eq!(h.iterations, ITERATIONS);
        assert_ne!(
            PinHash::new("2468").unwrap().salt,
            h.salt,
            "salts are random"
        );
    }

    #[test]
    fn format_is_enforced() {
        for bad in ["", "123", "123456789", "12a4", "１２３４", "12 34"] {
            assert!(
                matches!(PinHash::new(bad), Err(AccessError::BadFormat)),
                "{bad:?}"
            );
        }
        assert!(PinHash::new("00000000").is_ok());
    }

    #[test]
    fn corrupt_hash_is_an_error_not_a_panic() {
        let h = PinHash {
            iterations: 1,
            salt: "zz".into(),
            hash: "00".into(),
        };
        assert!(matches!(h.matches("1234"), Err(AccessError::Corrupt(_))));
        let h = PinHash {
            iterations: 0,
            salt: "00".into(),
            hash: "00".into(),
        };
        assert!(matches!(h.matches("1234"), Err(AccessError::Corrupt(_))));
    }
}
