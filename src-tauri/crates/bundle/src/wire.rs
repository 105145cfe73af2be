//! The status and flag types of the bundle's wire format.
//!
//! They belong to the bundle, not to the station database: the coordinator
//! reads them without depending on `vpr-store`. Their serialized form is the
//! format's (`snake_case` names, the three level flags) and never changes
//! within a format version; `tests/wire_format.rs` checks it against a
//! bundle written before these types existed. The writer maps the store's
//! types to them (`write.rs`).

use serde::{Deserialize, Serialize};

/// Where a participant's session stood when the bundle was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    /// Not closed (the station stopped mid-work).
    Active,
    Finished,
    TechnicalFailure,
    /// A training run: never exported, named so the verifier can tell.
    Training,
}

impl SessionStatus {
    /// The serialized name (as the station journal writes it too).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Finished => "finished",
            Self::TechnicalFailure => "technical_failure",
            Self::Training => "training",
        }
    }
}

/// The state of a spoken answer's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordingStatus {
    /// Still being written when the bundle was made (or the station died while writing it).
    Recording,
    Complete,
    /// Stopped by a device error or crash; the file may be short.
    Interrupted,
    /// An interrupted file whose WAV header was rebuilt.
    Repaired,
}

/// What the station's level meter noticed during a recording.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelFlags {
    /// Nothing above the noise floor.
    pub silent: bool,
    /// Speech much quieter than expected.
    pub too_quiet: bool,
    /// Samples hit full scale.
    pub clipped: bool,
}
