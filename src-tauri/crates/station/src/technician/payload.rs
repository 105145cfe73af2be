//! Payloads of the technician window (the schema crate `vpr-api`
//! re-exports them under the same names).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A role whose PIN the technician sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PinRoleName {
    Organizer,
    Technician,
}

/// Which PINs are set on this station.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PinsStatus {
    pub organizer_set: bool,
    pub technician_set: bool,
}

/// Set one PIN; once the technician PIN exists, changing any PIN needs it.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct SetPin {
    pub role: PinRoleName,
    pub pin: String,
    pub current_technician_pin: Option<String>,
}

/// Who this station is (set by the technician; written into every bundle).
#[derive(Debug, Clone, Serialize, TS)]
pub struct StationIdentity {
    /// School, room and number have been saved.
    pub configured: bool,
    /// The school (ОО) code.
    pub school_id: String,
    pub room: String,
    /// Station number in the room.
    pub number: Option<u32>,
    /// Stable id of the station (derived from its key).
    pub station_id: String,
    /// Fingerprint of the station's signing key (`3f2a-9c01-…`), read out
    /// to the coordinator.
    pub key_fingerprint: String,
}

/// One sound device as the technician chooses it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AudioDevice {
    /// Stable id to save.
    pub id: String,
    pub name: String,
    /// A microphone (true) or a speaker/headphones (false).
    pub input: bool,
    pub is_default: bool,
}

/// The devices this station offers and the saved choice.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AudioSetup {
    pub devices: Vec<AudioDevice>,
    /// Saved input id; `null` = the system default.
    pub input: Option<String>,
    /// Saved output id; `null` = the system default.
    pub output: Option<String>,
    /// 0.0..=1.0.
    pub volume: f32,
}

/// A headset check or a control recording: the file and its levels.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AudioCheck {
    /// Where the recording was saved.
    pub file: String,
    /// Neither silent nor clipped.
    pub ok: bool,
    pub silent: bool,
    pub clipped: bool,
    /// Loudest 50 ms window, dBFS.
    pub max_window_dbfs: f32,
    /// Highest sample, 0.0..=1.0.
    pub peak: f32,
    #[ts(type = "number")]
    pub duration_ms: u64,
}

/// Free disk against the day's recordings, and the clock to confirm.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DiskClock {
    pub data_dir: String,
    /// `null` when the file system did not say.
    #[ts(type = "number | null")]
    pub free_bytes: Option<u64>,
    /// What the day's recordings need (with margin and reserve).
    #[ts(type = "number")]
    pub need_bytes: u64,
    pub participants: u32,
    pub minutes: u32,
    pub enough: bool,
    /// "24.11.2026 07:31:05".
    pub local: String,
    /// "+03:00".
    pub local_offset: String,
    pub moscow: String,
    pub utc: String,
    /// The year is plausible (2025–2099).
    pub clock_plausible: bool,
    /// Clock, time zone, writable folder and disk: the same list
    /// `vpr station check` prints.
    pub checks: Vec<ReadinessCheck>,
}

/// How one readiness check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Ok,
    /// A person must confirm (e.g. the clock against exact time).
    Warning,
    Failed,
}

/// One line of the readiness list (technician screen and `vpr station check`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReadinessCheck {
    /// Stable id: `clock`, `timezone`, `data_folder`, `disk`, `trust`,
    /// `shelf`, `package`, `exam_date`, `release`, `devices`, `input`,
    /// `output`, `headset`.
    pub id: String,
    /// What was checked, in Russian («часы», «диск», …).
    pub name: String,
    pub status: CheckStatus,
    /// What was found (Russian).
    pub detail: String,
}

/// An issuer key of the station's trust list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TrustedKey {
    /// SHA-256 of the public key, 64 hex digits.
    pub fingerprint: String,
    pub label: String,
    /// The project's demo key: trusted for training packages only, always
    /// on the list.
    pub demo: bool,
}

/// A `.vprpkg` file found on a drive or in the home folder.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PackageFile {
    pub path: String,
    #[ts(type = "number")]
    pub size: u64,
}

/// A verified package as the technician sees it (header, signature, state).
#[derive(Debug, Clone, Serialize, TS)]
pub struct PackageInfo {
    /// File name on the shelf.
    pub file: String,
    pub package_id: String,
    pub title: String,
    pub school: String,
    pub subject: String,
    pub grade: u8,
    pub language: String,
    /// `YYYY-MM-DD`.
    pub exam_date: String,
    pub demo: bool,
    pub signature_valid: bool,
    pub trusted: bool,
    pub issuer_label: Option<String>,
    pub issuer_fingerprint: String,
    pub demo_issuer: bool,
    #[ts(type = "number")]
    pub file_size: u64,
    pub file_sha256: String,
    pub materials_release_moscow: String,
    pub keys_release_moscow: String,
    pub materials_released: bool,
    pub keys_released: bool,
    pub unlocked: bool,
    pub keys_unlocked: bool,
    /// Why a stored file no longer verifies (Russian), when it does not.
    pub problem: Option<String>,
}

/// The training run the station window will open.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TrainingStart {
    /// The package folder the station opens.
    pub package_dir: String,
    pub title: String,
}

/// What «Очистить тренировочные данные» removed.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TrainingCleared {
    pub sessions: u32,
    pub recordings: u32,
}

/// A bundle written and read back.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BundleExported {
    /// Full path of the written file.
    pub path: String,
    pub file_name: String,
    #[ts(type = "number")]
    pub bytes: u64,
    pub participants: u32,
    pub files: u32,
    pub key_fingerprint: String,
    /// What went in, as shown before writing.
    pub contents: crate::export::ExportPreview,
}

/// The station status page.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StationReport {
    pub identity: StationIdentity,
    pub works_finished: u32,
    pub works_active: u32,
    pub works_failed: u32,
    pub recordings: u32,
    pub silent: u32,
    pub too_quiet: u32,
    pub clipped: u32,
    pub interrupted: u32,
    pub training_works: u32,
    pub packages: u32,
    #[ts(type = "number | null")]
    pub free_bytes: Option<u64>,
    /// The answer journal's hash chain verifies.
    pub chain_ok: bool,
}
