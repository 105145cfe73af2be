//! The coordinator's key: PBKDF2-HMAC-SHA256 from the password, AES-256-GCM
//! for sealing names, HMAC-SHA256 for blind indexes (finding duplicates
//! without decrypting).

use std::num::NonZeroU32;

use ring::{
    aead::{self, Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN},
    hmac, pbkdf2,
    rand::{SecureRandom, SystemRandom},
};

use crate::{CoordinatorError, Result};

/// PBKDF2 iterations for a new database (OWASP 2023 guidance).
pub const ITERATIONS: u32 = 600_000;
pub(crate) const SALT_LEN: usize = 16;
const CHECK_PLAINTEXT: &[u8] = b"vpr-coordinator-key-check-v1";

/// The keys derived from the coordinator's password.
pub(crate) struct Vault {
    seal: LessSafeKey,
    index: hmac::Key,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(..)")
    }
}

pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    SystemRandom::new()
        .fill(&mut out)
        .map_err(|_| CoordinatorError::Crypto("нет источника случайных чисел"))?;
    Ok(out)
}

impl Vault {
    pub(crate) fn derive(password: &str, salt: &[u8], iterations: u32) -> Result<Self> {
        let iterations = NonZeroU32::new(iterations)
            .ok_or_else(|| CoordinatorError::Corrupt("число итераций равно нулю".into()))?;
        let mut material = [0u8; 64];
        pbkdf2::derive(
            pbkdf2::PBKDF2_HMAC_SHA256,
            iterations,
            salt,
            password.as_bytes(),
            &mut material,
        );
        let unbound = UnboundKey::new(&AES_256_GCM, &material[..32])
            .map_err(|_| CoordinatorError::Crypto("недопустимый ключ"))?;
        Ok(Self {
            seal: LessSafeKey::new(unbound),
            index: hmac::Key::new(hmac::HMAC_SHA256, &material[32..]),
        })
    }

    /// nonce ‖ ciphertext ‖ tag.
    pub(crate) fn seal(&self, plaintext: &[u8]) -> Result<Vec<u8>> {
        let nonce_bytes = random_bytes::<NONCE_LEN>()?;
        let mut buf = plaintext.to_vec();
        self.seal
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce_bytes),
                Aad::empty(),
                &mut buf,
            )
            .map_err(|_| CoordinatorError::Crypto("не удалось зашифровать"))?;
        let mut out = nonce_bytes.to_vec();
        out.extend_from_slice(&buf);
        Ok(out)
    }

    pub(crate) fn open(&self, sealed: &[u8]) -> Result<Vec<u8>> {
        if sealed.len() < NONCE_LEN + aead::AES_256_GCM.tag_len() {
            return Err(CoordinatorError::Corrupt(
                "слишком короткая зашифрованная запись".into(),
            ));
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce)
            .map_err(|_| CoordinatorError::Crypto("недопустимый nonce"))?;
        let mut buf = body.to_vec();
        let plain = self
            .seal
            .open_in_place(nonce, Aad::empty(), &mut buf)
            .map_err(|_| {
                CoordinatorError::Corrupt("зашифрованная запись не проходит проверку".into())
            })?;
        Ok(plain.to_vec())
    }

    pub(crate) fn open_str(&self, sealed: &[u8]) -> Result<String> {
        String::from_utf8(self.open(sealed)?)
            .map_err(|_| CoordinatorError::Corrupt("имя не в UTF-8".into()))
    }

    pub(crate) fn check_value(&self) -> Result<Vec<u8>> {
        self.seal(CHECK_PLAINTEXT)
    }

    /// Whether `sealed` is the check value written under this key.
    pub(crate) fn verify_check(&self, sealed: &[u8]) -> bool {
        matches!(self.open(sealed), Ok(p) if p == CHECK_PLAINTEXT)
    }

    /// A keyed tag of a normalised string: equal inputs give equal tags,
    /// and without the password the tag reveals nothing.
    pub(crate) fn blind_index(&self, s: &str) -> Vec<u8> {
        hmac::sign(&self.index, s.as_bytes()).as_ref().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip_and_wrong_key_fails() {
        let salt = [7u8; SALT_LEN];
        let v = Vault::derive("правильный пароль", &salt, 1000).unwrap();
        let sealed = v.seal("Иванов Иван".as_bytes()).unwrap();
        assert!(!sealed.windows(6).any(|w| w == "Иван".as_bytes()));
        assert_eq!(v.open_str(&sealed).unwrap(), "Иванов Иван");
        let check = v.check_value().unwrap();
        assert!(v.verify_check(&check));
        let wrong = Vault::derive("неправильный", &salt, 1000).unwrap();
        assert!(!wrong.verify_check(&check));
        assert!(wrong.open(&sealed).is_err());
        assert_ne!(v.blind_index("a"), wrong.blind_index("a"));
        assert_eq!(v.blind_index("a"), v.blind_index("a"));
        assert!(v.open(&[1, 2, 3]).is_err());
    }
}
