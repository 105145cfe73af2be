//! The coordinator's key: PBKDF2-HMAC-SHA256 from the password, AES-256-GCM
//! for sealing names, HMAC-SHA256 for blind indexes (finding duplicates
//! without decrypting). The primitives are `vpr-integrity`'s; the layout
//! (64 derived bytes: sealing key, then index key; cells `nonce ‖ ciphertext
//! ‖ tag`) is the one every coordinator database has used.

use vpr_integrity::{aead::AeadKey, kdf};

use crate::{CoordinatorError, Result};

/// PBKDF2 iterations for a new database (OWASP 2023 guidance).
pub const ITERATIONS: u32 = 600_000;
pub(crate) const SALT_LEN: usize = kdf::SALT_LEN;
const CHECK_PLAINTEXT: &[u8] = b"vpr-coordinator-key-check-v1";

/// The keys derived from the coordinator's password.
#[derive(Debug)]
pub(crate) struct Vault {
    seal: AeadKey,
    index: kdf::MacKey,
}

pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    kdf::random_bytes::<N>().map_err(|_| CoordinatorError::Crypto("нет источника случайных чисел"))
}

impl Vault {
    pub(crate) fn derive(password: &str, salt: &[u8], iterations: u32) -> Result<Self> {
        if iterations == 0 {
            return Err(CoordinatorError::Corrupt(
                "число итераций равно нулю".into(),
            ));
        }
        let mut material = [0u8; 64];
        kdf::pbkdf2_sha256(password.as_bytes(), salt, iterations, &mut material)
            .map_err(|_| CoordinatorError::Crypto("не удалось получить ключ из пароля"))?;
        let seal = AeadKey::new(&material[..32])
            .map_err(|_| CoordinatorError::Crypto("недопустимый ключ"))?;
        Ok(Self {
            seal,
            index: kdf::MacKey::new(&material[32..]),
        })
    }

    /// nonce ‖ ciphertext ‖ tag.
    pub(crate) fn seal(&self, plaintext: &[u8]) -> Result<Vec<u8>> {
        self.seal
            .seal_framed(b"", plaintext)
            .map_err(|_| CoordinatorError::Crypto("не удалось зашифровать"))
    }

    pub(crate) fn open(&self, sealed: &[u8]) -> Result<Vec<u8>> {
        self.seal.open_framed(b"", sealed).ok_or_else(|| {
            CoordinatorError::Corrupt("зашифрованная запись не проходит проверку".into())
        })
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
        self.index.tag(s.as_bytes()).to_vec()
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

    /// Cells written by the implementation coordinator databases were
    /// created with before the primitives moved to `vpr-integrity` still
    /// open, and blind indexes come out the same.
    #[test]
    fn databases_sealed_before_the_move_still_open() {
        let v = Vault::derive("пароль-координатора", &[0x33u8; SALT_LEN], 1000).unwrap();
        let sealed = hex::decode(
            "3bb162f8da9864decea71440e13f53ddd175f8c54ea5f822fcb67d31ba78a381b7c1deafbef0657dfb5bf985437a11bf760f",
        )
        .unwrap();
        assert_eq!(v.open_str(&sealed).unwrap(), "Иванов|Иван|");
        let check = hex::decode(
            "a2e2c6771273e20fee8dae3a73929ff4ad6d5e5a4f7efa627a94b3d10ea6c57b9ab7f13a9d3cbd9272873894758ad1642d27a92c81ae7c78",
        )
        .unwrap();
        assert!(v.verify_check(&check));
        assert_eq!(
            hex::encode(v.blind_index("7а|иванов|иван|")),
            "9c87a53e8903e19be0f79d9935afe97650e16c7deb21f532c75a0a2994d8c5fa"
        );
    }
}
