//! Password keys (PBKDF2-HMAC-SHA256) and AES-256-GCM parts (ring).

use std::num::NonZeroU32;

use ring::{
    aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN},
    pbkdf2,
    rand::{SecureRandom, SystemRandom},
};

use crate::{PackageError, Result};

pub(crate) const SALT_LEN: usize = 16;

/// One encrypted part as stored.
#[derive(Debug, Clone)]
pub(crate) struct SealedPart {
    pub iterations: u32,
    pub salt: [u8; SALT_LEN],
    pub nonce: [u8; NONCE_LEN],
    /// Ciphertext followed by the 16-byte tag.
    pub ciphertext: Vec<u8>,
}

/// Passwords are typed from paper: surrounding spaces are not part of them.
pub(crate) fn normalise(password: &str) -> Result<&str> {
    let p = password.trim();
    if p.is_empty() {
        return Err(PackageError::EmptyPassword);
    }
    Ok(p)
}

fn key(password: &str, salt: &[u8], iterations: u32) -> Result<LessSafeKey> {
    let rounds = NonZeroU32::new(iterations).ok_or(PackageError::Crypto)?;
    let mut bytes = [0u8; 32];
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA256,
        rounds,
        salt,
        password.as_bytes(),
        &mut bytes,
    );
    let unbound = UnboundKey::new(&AES_256_GCM, &bytes).map_err(|_| PackageError::Crypto)?;
    Ok(LessSafeKey::new(unbound))
}

/// Encrypt `plain` under a fresh salt and nonce.
pub(crate) fn seal(
    mut plain: Vec<u8>,
    password: &str,
    iterations: u32,
    aad: &[u8],
) -> Result<SealedPart> {
    let rng = SystemRandom::new();
    let mut salt = [0u8; SALT_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    rng.fill(&mut salt).map_err(|_| PackageError::Crypto)?;
    rng.fill(&mut nonce).map_err(|_| PackageError::Crypto)?;
    let key = key(password, &salt, iterations)?;
    key.seal_in_place_append_tag(
        Nonce::assume_unique_for_key(nonce),
        Aad::from(aad),
        &mut plain,
    )
    .map_err(|_| PackageError::Crypto)?;
    Ok(SealedPart {
        iterations,
        salt,
        nonce,
        ciphertext: plain,
    })
}

/// Decrypt a part; `None` when the password (or the bytes) do not match.
pub(crate) fn open(part: &SealedPart, password: &str, aad: &[u8]) -> Result<Option<Vec<u8>>> {
    let key = key(password, &part.salt, part.iterations)?;
    let mut buf = part.ciphertext.clone();
    match key.open_in_place(
        Nonce::assume_unique_for_key(part.nonce),
        Aad::from(aad),
        &mut buf,
    ) {
        Ok(plain) => {
            let len = plain.len();
            buf.truncate(len);
            Ok(Some(buf))
        }
        Err(_) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_then_open_and_wrong_password_or_aad_fail() {
        let part = seal(b"secret".to_vec(), "pass", 1000, b"aad").unwrap();
        assert_ne!(&part.ciphertext[..6], b"secret");
        assert_eq!(part.ciphertext.len(), 6 + 16);
        assert_eq!(open(&part, "pass", b"aad").unwrap().unwrap(), b"secret");
        assert!(open(&part, "Pass", b"aad").unwrap().is_none());
        assert!(open(&part, "pass", b"aae").unwrap().is_none());
        let again = seal(b"secret".to_vec(), "pass", 1000, b"aad").unwrap();
        assert_ne!(again.salt, part.salt, "salt is random");
        assert_ne!(again.nonce, part.nonce, "nonce is random");
        assert!(matches!(normalise("  "), Err(PackageError::EmptyPassword)));
        assert_eq!(normalise(" abc \n").unwrap(), "abc");
    }
}
