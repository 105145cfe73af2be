//! Keys from passwords (PBKDF2-HMAC-SHA256), keyed tags (HMAC-SHA256) and
//! random bytes, for every crate that seals data under a password: exam
//! packages, the coordinator's database.

use std::num::NonZeroU32;

use ring::{
    hmac, pbkdf2,
    rand::{SecureRandom, SystemRandom},
};

use crate::{IntegrityError, Result};

/// Salt length of every password key we derive.
pub const SALT_LEN: usize = 16;

/// Fill `out` with PBKDF2-HMAC-SHA256 of `password` under `salt` with
/// `iterations` rounds. Zero rounds is refused (a damaged header, not a key).
pub fn pbkdf2_sha256(password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) -> Result<()> {
    let rounds = NonZeroU32::new(iterations).ok_or(IntegrityError::ZeroIterations)?;
    if out.is_empty() {
        return Err(IntegrityError::KeyLength(0));
    }
    pbkdf2::derive(pbkdf2::PBKDF2_HMAC_SHA256, rounds, salt, password, out);
    Ok(())
}

/// Constant-time check that PBKDF2-HMAC-SHA256 of `password` under `salt`
/// with `iterations` rounds is `expected` (a stored PIN hash). Zero rounds
/// is refused like in [`pbkdf2_sha256`].
pub fn pbkdf2_sha256_verify(
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    expected: &[u8],
) -> Result<bool> {
    let rounds = NonZeroU32::new(iterations).ok_or(IntegrityError::ZeroIterations)?;
    Ok(pbkdf2::verify(pbkdf2::PBKDF2_HMAC_SHA256, rounds, salt, password, expected).is_ok())
}

/// `N` bytes from the system's secure random source.
pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    SystemRandom::new()
        .fill(&mut out)
        .map_err(|_| IntegrityError::NoRandom)?;
    Ok(out)
}

/// An HMAC-SHA256 key: equal inputs give equal tags, and without the key a
/// tag reveals nothing about its input (blind indexes of sealed names).
pub struct MacKey(hmac::Key);

impl std::fmt::Debug for MacKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MacKey(..)")
    }
}

impl MacKey {
    pub fn new(key: &[u8]) -> Self {
        Self(hmac::Key::new(hmac::HMAC_SHA256, key))
    }

    /// The 32-byte tag of `data`.
    pub fn tag(&self, data: &[u8]) -> [u8; 32] {
        let mut out = [0u8; 32];
        out.copy_from_slice(hmac::sign(&self.0, data).as_ref());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pbkdf2_verify_accepts_the_derived_key_only() {
        let mut out = [0u8; 32];
        pbkdf2_sha256(b"246813", b"salt-salt-salt-s", 1000, &mut out).unwrap();
        assert!(pbkdf2_sha256_verify(b"246813", b"salt-salt-salt-s", 1000, &out).unwrap());
        assert!(!pbkdf2_sha256_verify(b"246814", b"salt-salt-salt-s", 1000, &out).unwrap());
        assert!(!pbkdf2_sha256_verify(b"246813", b"salt-salt-salt-s", 999, &out).unwrap());
        assert!(pbkdf2_sha256_verify(b"246813", b"salt", 0, &out).is_err());
    }

    #[test]
    fn pbkdf2_matches_the_rfc_7914_vector() {
        // RFC 7914 §11: PBKDF2-HMAC-SHA256 ("passwd", "salt", 1 round, 64 bytes).
        let mut out = [0u8; 64];
        pbkdf2_sha256(b"passwd", b"salt", 1, &mut out).unwrap();
        assert_eq!(
            hex::encode(out),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc\
             49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
        );
        assert!(matches!(
            pbkdf2_sha256(b"p", b"s", 0, &mut out),
            Err(IntegrityError::ZeroIterations)
        ));
        assert!(pbkdf2_sha256(b"p", b"s", 1, &mut []).is_err());
    }

    #[test]
    fn hmac_matches_rfc_4231_and_random_bytes_differ() {
        // RFC 4231 test case 2.
        let tag = MacKey::new(b"Jefe").tag(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(tag),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_ne!(random_bytes::<16>().unwrap(), random_bytes::<16>().unwrap());
    }
}
