//! `manifest.json` and the answers files.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use vpr_integrity::{merkle_root, FileLeaf, Fingerprint, PublicKey, Sha256Hash};

use crate::wire::{LevelFlags, RecordingStatus, SessionStatus};

/// `format` of every station bundle.
pub const FORMAT: &str = "vpr-station-bundle";
/// The only format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub school_id: String,
    pub station: StationRef,
    /// Every package id among the participants (usually one).
    pub package_ids: Vec<String>,
    pub participants: Vec<Participant>,
    /// Every file of the bundle except the manifest and the signature, sorted by name.
    pub files: Vec<FileEntry>,
    pub chain: ChainInfo,
    /// RFC 6962 Merkle tree hash over `files` (see `vpr_integrity::merkle_root`).
    pub merkle_root: Sha256Hash,
    pub public_key: PublicKey,
    pub key_fingerprint: Fingerprint,
    /// RFC 3339.
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StationRef {
    pub id: String,
    pub number: u32,
    pub room: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    pub code: String,
    pub package_id: String,
    pub variant: String,
    pub status: SessionStatus,
    pub extended_time: bool,
    pub adapted_version: Option<String>,
    /// `answers/<code>.json`.
    pub answers_file: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    pub name: String,
    pub sha256: Sha256Hash,
    pub size: u64,
    /// CRC-32 of the data, as the zip headers must state it.
    pub crc32: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainInfo {
    pub length: u64,
    pub head: Sha256Hash,
}

impl Manifest {
    pub fn compute_merkle_root(files: &[FileEntry]) -> Sha256Hash {
        let leaves: Vec<FileLeaf<'_>> = files
            .iter()
            .map(|f| FileLeaf {
                name: &f.name,
                sha256: f.sha256,
                size: f.size,
            })
            .collect();
        merkle_root(&leaves)
    }

    pub fn file(&self, name: &str) -> Option<&FileEntry> {
        self.files
            .binary_search_by(|f| f.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.files[i])
    }
}

/// `answers/<code>.json`: everything a participant code did at this station.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerFile {
    pub code: String,
    pub sessions: Vec<BundleSession>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleSession {
    pub session_id: i64,
    pub package_id: String,
    pub variant: String,
    pub status: SessionStatus,
    pub extended_time: bool,
    pub adapted_version: Option<String>,
    pub started_at: String,
    /// SHA-256 (hex) of the `.vprpkg` file the session ran; the coordinator
    /// refuses a session whose package is not the work's. Absent only in
    /// bundles written before stations recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_sha256: Option<String>,
    /// Fingerprint of the issuer key that signed that package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer_fingerprint: Option<String>,
    /// The latest answer of every (task, item).
    pub answers: Vec<BundleAnswer>,
    pub recordings: Vec<BundleRecording>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleAnswer {
    pub task: String,
    pub item: String,
    pub value: Value,
    pub saved_at: String,
    /// Journal record of this save.
    pub seq: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleRecording {
    pub task: String,
    pub item: Option<String>,
    /// Bundle entry (`recordings/<code>/<task>.wav`), or `None` when the
    /// station had no file for it.
    pub file: Option<String>,
    pub sha256: Option<Sha256Hash>,
    pub duration_ms: u64,
    pub status: RecordingStatus,
    pub level_flags: LevelFlags,
    /// Journal record of the recording's last state.
    pub seq: u64,
}
