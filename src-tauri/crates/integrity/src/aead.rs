//! AES-256-GCM sealing (ring), the one implementation behind encrypted
//! package parts and the coordinator's sealed names.
//!
//! Two layouts: [`AeadKey::seal`] / [`AeadKey::open`] keep the nonce apart
//! (a package header stores it in its own field); [`AeadKey::seal_framed`] /
//! [`AeadKey::open_framed`] write `nonce ‖ ciphertext ‖ tag` as one blob (a
//! database cell).

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};

use crate::{kdf, IntegrityError, Result};

pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 12;
pub const TAG_LEN: usize = 16;

/// An AES-256-GCM key.
pub struct AeadKey(LessSafeKey);

impl std::fmt::Debug for AeadKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AeadKey(..)")
    }
}

impl AeadKey {
    /// A key from exactly [`KEY_LEN`] bytes.
    pub fn new(bytes: &[u8]) -> Result<Self> {
        if bytes.len() != KEY_LEN {
            return Err(IntegrityError::KeyLength(bytes.len()));
        }
        let unbound = UnboundKey::new(&AES_256_GCM, bytes)
            .map_err(|_| IntegrityError::KeyLength(bytes.len()))?;
        Ok(Self(LessSafeKey::new(unbound)))
    }

    /// The key PBKDF2-HMAC-SHA256 derives from a password (32 bytes).
    pub fn from_password(password: &str, salt: &[u8], iterations: u32) -> Result<Self> {
        let mut bytes = [0u8; KEY_LEN];
        kdf::pbkdf2_sha256(password.as_bytes(), salt, iterations, &mut bytes)?;
        Self::new(&bytes)
    }

    /// Encrypt `plain` under `nonce` (never reuse one with the same key):
    /// ciphertext followed by the 16-byte tag.
    pub fn seal(&self, nonce: [u8; NONCE_LEN], aad: &[u8], mut plain: Vec<u8>) -> Result<Vec<u8>> {
        self.0
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad),
                &mut plain,
            )
            .map_err(|_| IntegrityError::Seal)?;
        Ok(plain)
    }

    /// Decrypt what [`AeadKey::seal`] wrote; `None` when the key, the nonce,
    /// the associated data or a single byte do not match.
    pub fn open(&self, nonce: [u8; NONCE_LEN], aad: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        let mut buf = sealed.to_vec();
        let len = self
            .0
            .open_in_place(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad),
                &mut buf,
            )
            .ok()?
            .len();
        buf.truncate(len);
        Some(buf)
    }

    /// Encrypt under a fresh random nonce: `nonce ‖ ciphertext ‖ tag`.
    pub fn seal_framed(&self, aad: &[u8], plain: &[u8]) -> Result<Vec<u8>> {
        let nonce = kdf::random_bytes::<NONCE_LEN>()?;
        let body = self.seal(nonce, aad, plain.to_vec())?;
        let mut out = Vec::with_capacity(NONCE_LEN + body.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Decrypt what [`AeadKey::seal_framed`] wrote; `None` when it is too
    /// short or does not authenticate.
    pub fn open_framed(&self, aad: &[u8], framed: &[u8]) -> Option<Vec<u8>> {
        if framed.len() < NONCE_LEN + TAG_LEN {
            return None;
        }
        let (nonce, body) = framed.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
        self.open(nonce, aad, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gcm_matches_a_published_vector() {
        // NIST GCM test case 14 (AES-256, zero key, zero nonce, one zero block).
        let key = AeadKey::new(&[0u8; 32]).unwrap();
        let sealed = key.seal([0u8; 12], b"", vec![0u8; 16]).unwrap();
        assert_eq!(
            hex::encode(&sealed),
            "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919"
        );
        assert_eq!(key.open([0u8; 12], b"", &sealed).unwrap(), vec![0u8; 16]);
    }

    #[test]
    fn wrong_key_aad_nonce_or_byte_opens_nothing() {
        let key = AeadKey::from_password("пароль", &[7u8; 16], 1000).unwrap();
        let other = AeadKey::from_password("Пароль", &[7u8; 16], 1000).unwrap();
        let sealed = key.seal([1u8; 12], b"aad", b"secret".to_vec()).unwrap();
        assert_eq!(sealed.len(), 6 + TAG_LEN);
        assert_eq!(key.open([1u8; 12], b"aad", &sealed).unwrap(), b"secret");
        assert!(key.open([1u8; 12], b"aae", &sealed).is_none());
        assert!(key.open([2u8; 12], b"aad", &sealed).is_none());
        assert!(other.open([1u8; 12], b"aad", &sealed).is_none());
        let mut flipped = sealed.clone();
        flipped[0] ^= 1;
        assert!(key.open([1u8; 12], b"aad", &flipped).is_none());

        let framed = key.seal_framed(b"", "Иванов".as_bytes()).unwrap();
        assert_eq!(framed.len(), NONCE_LEN + "Иванов".len() + TAG_LEN);
        assert_eq!(key.open_framed(b"", &framed).unwrap(), "Иванов".as_bytes());
        assert_ne!(framed, key.seal_framed(b"", "Иванов".as_bytes()).unwrap());
        assert!(other.open_framed(b"", &framed).is_none());
        assert!(key
            .open_framed(b"", &framed[..NONCE_LEN + TAG_LEN - 1])
            .is_none());
        assert!(AeadKey::new(&[0u8; 31]).is_err());
        assert!(AeadKey::from_password("p", &[0u8; 16], 0).is_err());
    }
}
