//! Listening playback, crash-safe microphone recording, levels, devices, headset check.
//!
//! No Tauri here: the station, technician and coordinator screens (and the `vpr` CLI) call these
//! functions and receive [`AudioEvent`]s on a std `mpsc` channel.
//!
//! - the station: [`Playback::start`] a listening track exactly when the session asks (no pause,
//!   seek or replay), [`Recording::start`] an oral answer for an exact duration or until
//!   [`Recording::stop`]; [`AudioEvent::Level`] feeds the meter, [`AudioEvent::DeviceLost`] the
//!   organizer's alert;
//! - the technician: [`list_devices`], [`check_device`], [`AudioSettings`] (the saved choice),
//!   [`headset_check`];
//! - the coordinator: [`play_file`], [`waveform`];
//! - everyone: [`repair`] (start-up recovery of unfinished recordings, [`repair_dir`];
//!   [`repair_interrupted`] also names the gap a crash left, for the organizer's alert),
//!   [`wav_info`] (duration and SHA-256).
//!
//! Tests: `tests/repair.rs` needs no device; `tests/real_stack.rs` runs on a private PulseAudio
//! daemon with null sinks `vspeaker` and `vmic` that it starts itself through
//! `tests/support/pulse-up.sh` (packages: pulseaudio, pulseaudio-utils, libasound2-plugins). Its
//! tests share the daemon and take a static lock, so they run one at a time. `tests/crash_kill.rs`
//! (same daemon; run the crate's tests with `--test-threads=1`) SIGKILLs the `vpr-record-probe`
//! child recording speech and bounds the audio lost (≤ 0.5 s) and the gap named after a crash;
//! `tests/interrupted.rs` needs no device.

pub mod crashtest;
mod devices;
mod error;
mod headset;
mod interrupted;
pub mod levels;
mod names;
mod play;
mod record;
mod wav;

use serde::Serialize;
use ts_rs::TS;

pub use devices::{check_device, list_devices, AudioSettings, DeviceCheck, DeviceInfo, Direction};
pub use error::{AudioError, Result};
pub use headset::{headset_check, HeadsetCheckOptions, HeadsetReport, HeadsetStep};
pub use interrupted::{repair_interrupted, Interruption};
pub use levels::LevelStats;
pub use play::{play_file, PlayEnd, PlayOptions, PlayOutcome, Playback};
pub use record::{
    CaptureStats, Progress, RecordOptions, Recording, RecordingResult, StopReason, DEFAULT_PERIOD,
    DROP_TIMEOUT, STALL_TIMEOUT, SYNC_INTERVAL, SYNC_SPACING, WRITER_TICK,
};
pub use wav::{
    read_mono, repair, repair_dir, scan_mono, sha256_file, wav_info, waveform, waveform_of_bytes,
    RepairReport, WavInfo, WaveformBucket,
};

/// Recordings are mono…
pub const RECORD_CHANNELS: u16 = 1;
/// …at 22,050 Hz…
pub const RECORD_RATE: u32 = 22_050;
/// …16-bit PCM.
pub const RECORD_BITS: u16 = 16;

/// What the engine tells its users while it works.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AudioEvent {
    /// Every 50 ms while recording: the level for the meter.
    Level {
        rms_dbfs: f32,
        peak: f32,
    },
    /// A device went away (recording or playback ended; the recording file is valid).
    DeviceLost {
        direction: Direction,
    },
    PlaybackStarted {
        #[ts(type = "number | null")]
        duration_ms: Option<u64>,
    },
    PlaybackProgress {
        #[ts(type = "number")]
        position_ms: u64,
        #[ts(type = "number | null")]
        duration_ms: Option<u64>,
    },
    PlaybackFinished {
        end: PlayEnd,
    },
    HeadsetStep {
        step: HeadsetStep,
    },
}
