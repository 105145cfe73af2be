//! The station results bundle: the zip a technician carries to the
//! coordinator on a USB drive, and its verification.
//!
//! Layout (every entry stored uncompressed, in this order):
//! - `answers/<code>.json` — the latest answers and recording facts per participant code;
//! - `journal.jsonl` — the station's whole hash chain, one record per line;
//! - `recordings/<code>/<task>.wav` — spoken answers;
//! - `manifest.json` — format version, school, station, packages and variants,
//!   participant codes, per-file SHA-256 and size, chain head, RFC 6962 Merkle
//!   root over the files, signer key, creation time;
//! - `signature.ed25519` — 64-byte Ed25519 signature over the exact manifest bytes.
//!
//! No participant names: the station never has them.
//!
//! [`write_bundle`] writes to a temporary name, fsyncs, renames, then reads
//! the file back and verifies it. [`verify_bundle`] reads every entry once,
//! hashing while reading, refuses unsafe archives (escaping names, symlinks,
//! duplicates, oversized entries, unknown versions, untrusted signers) and
//! checks every header byte against the canonical layout, so any change to
//! the file is named.

mod layout;
mod manifest;
pub mod passport;
mod receipts;
mod verify;
mod wire;
mod write;

pub use manifest::{
    AnswerFile, BundleAnswer, BundleRecording, BundleSession, ChainInfo, FileEntry, Manifest,
    Participant, StationRef, FORMAT, FORMAT_VERSION,
};
pub use passport::StationPassport;
pub use receipts::{closes_session, session_receipts};
pub use verify::{
    verify_bundle, verify_bundle_with, TrustedKeys, VerifiedBundle, VerifiedRecording,
    VerifyOptions,
};
pub use vpr_error::Coded;
pub use wire::{LevelFlags, RecordingStatus, SessionStatus};
pub use write::{default_file_name, write_bundle, WrittenBundle};

/// Entry names with a fixed meaning.
pub const MANIFEST: &str = "manifest.json";
pub const SIGNATURE: &str = "signature.ed25519";
pub const JOURNAL: &str = "journal.jsonl";

/// Caps that keep a hostile archive from exhausting memory or disk.
pub mod limits {
    pub const MAX_ENTRIES: usize = 20_000;
    pub const MAX_MANIFEST: u64 = 16 * 1024 * 1024;
    pub const MAX_JSON: u64 = 256 * 1024 * 1024;
    pub const MAX_RECORDING: u64 = 1024 * 1024 * 1024;
    pub const MAX_TOTAL: u64 = 64 * 1024 * 1024 * 1024;
    pub const MAX_NAME: usize = 255;
}

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The input cannot be read as a bundle at all (exit 2).
    #[error("Файл {path} не читается как пакет результатов: {reason}")]
    Unreadable { path: String, reason: String },
    /// The archive is unsafe or of an unknown kind (exit 1).
    #[error("Пакет отклонён, {entry}: {reason}")]
    Refused { entry: String, reason: String },
    /// A file does not match what the signed manifest says (exit 1).
    #[error("Не совпадает {entry}: {reason}")]
    Mismatch { entry: String, reason: String },
    /// A record of the journal or of an answers file does not match (exit 1).
    #[error("Не совпадает {entry}, запись № {seq}: {reason}")]
    Record {
        entry: String,
        seq: u64,
        reason: String,
    },
    /// Signed by a key the caller does not trust (exit 1).
    #[error("Пакет подписан ключом {fingerprint}, которому нет доверия: отпечаток не зарегистрирован у координатора")]
    Untrusted {
        fingerprint: vpr_integrity::Fingerprint,
    },
    #[error("Не удалось записать пакет {path}: {reason}")]
    Write { path: String, reason: String },
    #[error("Данные станции не готовы к выгрузке: {0}")]
    NotReady(String),
    #[error(transparent)]
    Store(#[from] vpr_store::StoreError),
    #[error(transparent)]
    Integrity(#[from] vpr_integrity::IntegrityError),
}

impl BundleError {
    /// The file (bundle entry, or the bundle itself) the error is about.
    pub fn entry(&self) -> Option<&str> {
        match self {
            Self::Unreadable { path, .. } | Self::Write { path, .. } => Some(path),
            Self::Refused { entry, .. }
            | Self::Mismatch { entry, .. }
            | Self::Record { entry, .. } => Some(entry),
            Self::Untrusted { .. } => Some(SIGNATURE),
            _ => None,
        }
    }

    /// Exit code of `vpr bundle verify`: 2 when the input is unreadable, else 1.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Unreadable { .. } => 2,
            _ => 1,
        }
    }
}

impl vpr_error::Coded for BundleError {
    fn code(&self) -> &'static str {
        match self {
            Self::Unreadable { .. } => "bundle_unreadable",
            Self::Refused { .. } => "bundle_refused",
            Self::Mismatch { .. } => "bundle_mismatch",
            Self::Record { .. } => "bundle_record_mismatch",
            Self::Untrusted { .. } => "bundle_untrusted",
            Self::Write { .. } => "bundle_write",
            Self::NotReady(_) => "bundle_not_ready",
            Self::Store(e) => vpr_error::Coded::code(e),
            Self::Integrity(e) => e.code(),
        }
    }

    fn severity(&self) -> vpr_error::Severity {
        vpr_error::Severity::Blocking
    }
}

pub type Result<T> = std::result::Result<T, BundleError>;

pub(crate) fn mismatch(entry: &str, reason: impl Into<String>) -> BundleError {
    BundleError::Mismatch {
        entry: entry.to_string(),
        reason: reason.into(),
    }
}

pub(crate) fn refused(entry: &str, reason: impl Into<String>) -> BundleError {
    BundleError::Refused {
        entry: entry.to_string(),
        reason: reason.into(),
    }
}

#[cfg(test)]
mod tests;
