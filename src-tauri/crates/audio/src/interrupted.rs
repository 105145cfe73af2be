//! A recording a crash interrupted: repair it and say how long the gap is, for the organizer's
//! alert when the work resumes mid-recording (issue 15, item 4).
//!
//! The recorder writes every burst of audio into the file as it comes (see the record module),
//! so the file's modification time is the moment the last kept audio reached the disk: the
//! answer went unrecorded from then until the recording resumes. The gap is measured from that
//! moment, so it may be short by at most the audio at risk (≤ 0.5 s, lost with the crash).

use std::path::Path;
use std::time::{Duration, SystemTime};

use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::wav::{repair, RepairReport};
use crate::RECORD_RATE;

/// What a crash left of a recording, and how long nothing was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Interruption {
    pub repair: RepairReport,
    /// Audio kept in the file, ms.
    #[ts(type = "number")]
    pub kept_ms: u64,
    /// Unix time (ms) of the last write into the file, before the repair touched it.
    #[ts(type = "number")]
    pub last_write_unix_ms: u64,
    /// From the last write to `now`, ms (0 if the clock says the write is in the future).
    #[ts(type = "number")]
    pub gap_ms: u64,
}

impl Interruption {
    /// The gap in whole seconds, rounded up (for «пропуск N с»).
    pub fn gap_seconds(&self) -> u64 {
        self.gap_ms.div_ceil(1000)
    }
}

/// Read when `path` was last written, then [`repair`] it; the gap runs from that write to `now`
/// (the moment the work resumes). Call it before anything else touches the file.
pub fn repair_interrupted(path: &Path, now: SystemTime) -> Result<Interruption> {
    let last_write = std::fs::metadata(path)?.modified()?;
    let report = repair(path)?;
    let unix_ms = |t: SystemTime| {
        t.duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis() as u64
    };
    let gap = now
        .duration_since(last_write)
        .unwrap_or(Duration::ZERO)
        .as_millis() as u64;
    Ok(Interruption {
        kept_ms: report.frames * 1000 / u64::from(RECORD_RATE),
        last_write_unix_ms: unix_ms(last_write),
        gap_ms: gap,
        repair: report,
    })
}
