//! Encrypted package parts: a password key (PBKDF2-HMAC-SHA256) and
//! AES-256-GCM, both from `vpr-integrity` (the one implementation the
//! coordinator uses too). The parameters and bytes are those of every
//! package built so far: 16-byte salt, 12-byte nonce, 32-byte key, tag
//! appended to the ciphertext.

use vpr_integrity::{
    aead::{AeadKey, NONCE_LEN},
    kdf,
};

use crate::{PackageError, Result};

pub(crate) const SALT_LEN: usize = kdf::SALT_LEN;

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

fn key(password: &str, salt: &[u8], iterations: u32) -> Result<AeadKey> {
    AeadKey::from_password(password, salt, iterations).map_err(|_| PackageError::Crypto)
}

/// Encrypt `plain` under a fresh salt and nonce.
pub(crate) fn seal(
    plain: Vec<u8>,
    password: &str,
    iterations: u32,
    aad: &[u8],
) -> Result<SealedPart> {
    let salt = kdf::random_bytes::<SALT_LEN>().map_err(|_| PackageError::Crypto)?;
    let nonce = kdf::random_bytes::<NONCE_LEN>().map_err(|_| PackageError::Crypto)?;
    let ciphertext = key(password, &salt, iterations)?
        .seal(nonce, aad, plain)
        .map_err(|_| PackageError::Crypto)?;
    Ok(SealedPart {
        iterations,
        salt,
        nonce,
        ciphertext,
    })
}

/// Decrypt a part; `None` when the password (or the bytes) do not match.
pub(crate) fn open(part: &SealedPart, password: &str, aad: &[u8]) -> Result<Option<Vec<u8>>> {
    Ok(key(password, &part.salt, part.iterations)?.open(part.nonce, aad, &part.ciphertext))
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

    /// A part sealed by the implementation packages were built with before
    /// the helpers moved to `vpr-integrity` (ring PBKDF2 + AES-256-GCM in
    /// this file): the same salt, nonce, rounds and AAD must still open it.
    #[test]
    fn parts_sealed_before_the_move_still_open() {
        let part = SealedPart {
            iterations: 1000,
            salt: [0x11; SALT_LEN],
            nonce: [0x22; NONCE_LEN],
            ciphertext: hex::decode(
                "171a13aa43524422e06c3d21fb52bd8e8ce5f38d28b175b26e9046e233652b76411b1d",
            )
            .unwrap(),
        };
        let aad = b"vpr-package-v1 materials";
        assert_eq!(
            open(&part, "пароль пакета", aad).unwrap().unwrap(),
            b"materials.zip bytes"
        );
        let again = key("пароль пакета", &part.salt, 1000)
            .unwrap()
            .seal(part.nonce, aad, b"materials.zip bytes".to_vec())
            .unwrap();
        assert_eq!(again, part.ciphertext, "same bytes as before");
        assert!(matches!(
            open(
                &SealedPart {
                    iterations: 0,
                    ..part
                },
                "пароль пакета",
                aad
            ),
            Err(PackageError::Crypto)
        ));
    }
}
