//! Integrity primitives of a station: SHA-256 hashing while reading, the
//! canonical JSON encoding of journal records, the SHA-256 hash chain, the
//! Ed25519 station key with its fingerprint, RFC 6962 Merkle roots, and the
//! one implementation of password keys (PBKDF2) and AES-256-GCM sealing.
//!
//! Nothing here touches SQLite or zip files: `vpr-store` and `vpr-bundle`
//! build on these pieces so both sides (station and coordinator) hash the
//! same bytes the same way.

pub mod aead;
mod canonical;
mod chain;
mod digest;
pub mod kdf;
mod keys;
mod merkle;
mod receipt;

pub use aead::AeadKey;
pub use canonical::canonical_json;
pub use chain::{chain_hash, verify_chain, ChainBreak, ChainLink, GENESIS};
pub use digest::{sha256, sha256_file, HashingReader, HashingWriter, Sha256, Sha256Hash};
pub use keys::{Fingerprint, PublicKey, StationKey, KEY_FILE, PUBLIC_KEY_FILE};
pub use merkle::{leaf_entry, merkle_root, FileLeaf};
pub use receipt::{display_receipt, normalize_receipt, receipt, RECEIPT_LEN};

#[derive(Debug, thiserror::Error)]
pub enum IntegrityError {
    #[error("Ошибка чтения или записи файла {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("Значение нельзя закодировать канонически: {0}")]
    NotCanonical(String),
    #[error("Неверная шестнадцатеричная запись хеша: {0}")]
    BadHash(String),
    #[error("Ключ станции повреждён или имеет неверный формат: {0}")]
    BadKey(String),
    #[error("Ключ станции {path} доступен не только владельцу (права {mode:o}); выполните chmod 600 и проверьте, не был ли он скопирован")]
    KeyPermissions { path: String, mode: u32 },
    #[error("Ключ станции уже существует: {0}")]
    KeyExists(String),
    #[error("Ключ станции не найден: {0}")]
    KeyMissing(String),
    #[error("Неверный отпечаток ключа: {0} (ожидается 64 шестнадцатеричных знака)")]
    BadFingerprint(String),
    #[error("Подпись не сходится с ключом {0}")]
    BadSignature(Fingerprint),
    #[error("Нет источника случайных чисел для создания ключа")]
    NoRandom,
    #[error("Число итераций PBKDF2 равно нулю: заголовок повреждён")]
    ZeroIterations,
    #[error("Недопустимая длина ключа шифрования: {0} байт")]
    KeyLength(usize),
    #[error("Не удалось зашифровать данные")]
    Seal,
}

impl IntegrityError {
    /// The stable code the UI branches on. This crate depends on no other
    /// crate of the product, so the crates that wrap this error (store,
    /// bundle, station) forward it through their own `Coded` impls.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } => "integrity_io",
            Self::NotCanonical(_) => "integrity_not_canonical",
            Self::BadHash(_) => "integrity_bad_hash",
            Self::BadKey(_) => "station_key_bad",
            Self::KeyPermissions { .. } => "station_key_permissions",
            Self::KeyExists(_) => "station_key_exists",
            Self::KeyMissing(_) => "station_key_missing",
            Self::BadFingerprint(_) => "fingerprint_bad",
            Self::BadSignature(_) => "signature_bad",
            Self::NoRandom => "no_random",
            Self::ZeroIterations => "kdf_zero_iterations",
            Self::KeyLength(_) => "aead_key_length",
            Self::Seal => "aead_seal",
        }
    }

    /// True when the person can correct the input and try again (a mistyped
    /// fingerprint or hash, a signature that does not match); every other
    /// failure needs someone to act on the machine.
    pub fn is_input_fault(&self) -> bool {
        matches!(
            self,
            Self::BadFingerprint(_) | Self::BadHash(_) | Self::BadSignature(_)
        )
    }
}

pub type Result<T> = std::result::Result<T, IntegrityError>;

pub(crate) fn io_err(path: &std::path::Path, source: std::io::Error) -> IntegrityError {
    IntegrityError::Io {
        path: path.display().to_string(),
        source,
    }
}
