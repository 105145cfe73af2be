//! The technician's desk of one station: the PIN latch of this app run and
//! the one-audio-job-at-a-time guard, over the domain modules
//! ([`crate::identity`], [`crate::sound`], [`crate::readiness`],
//! [`crate::packages`], [`crate::training`], [`crate::export`],
//! [`crate::status`]). The app's technician window and `vpr station` call
//! the same functions.

mod error;
mod payload;

use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc,
};

pub use error::{Result, TechnicianError};
pub use payload::{
    AudioCheck, AudioDevice, AudioSetup, BundleExported, CheckStatus, DiskClock, PackageFile,
    PackageInfo, PinRoleName, PinsStatus, ReadinessCheck, SetPin, StationIdentity, StationReport,
    TrainingCleared, TrainingStart, TrustedKey,
};

use crate::StationLayout;

/// The technician's desk of one station (cheap to clone: clones share the
/// latch and the guard).
#[derive(Debug, Clone)]
pub struct Technician {
    layout: StationLayout,
    unlocked: Arc<AtomicBool>,
    audio_busy: Arc<AtomicBool>,
}

/// Holds the audio guard; released when dropped, however the job ends.
#[derive(Debug)]
pub struct AudioJob(Arc<AtomicBool>);

impl Drop for AudioJob {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

impl Technician {
    pub fn new(layout: StationLayout) -> Self {
        Self {
            layout,
            unlocked: Arc::new(AtomicBool::new(false)),
            audio_busy: Arc::new(AtomicBool::new(false)),
        }
    }

    pub fn layout(&self) -> &StationLayout {
        &self.layout
    }

    /// The technician's PIN opened the desk for this run of the app.
    pub fn unlock(&self) {
        self.unlocked.store(true, Ordering::SeqCst);
    }

    /// «Выйти»: the next visit needs the PIN again.
    pub fn lock(&self) {
        self.unlocked.store(false, Ordering::SeqCst);
    }

    /// The data folder, once the technician's PIN opened the desk.
    pub fn open(&self) -> Result<&StationLayout> {
        if self.unlocked.load(Ordering::SeqCst) {
            Ok(&self.layout)
        } else {
            Err(TechnicianError::Locked)
        }
    }

    /// One headset check, control recording or play-back at a time.
    pub fn audio_job(&self) -> Result<AudioJob> {
        if self.audio_busy.swap(true, Ordering::SeqCst) {
            return Err(TechnicianError::AudioBusy);
        }
        Ok(AudioJob(self.audio_busy.clone()))
    }
}

/// `n` as a `u32` count for a payload (saturating).
pub(crate) fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use vpr_error::Coded;

    #[test]
    fn the_desk_is_closed_until_the_pin_and_after_log_out() {
        let dir = tempfile::tempdir().unwrap();
        let desk = Technician::new(StationLayout::new(dir.path()));
        assert_eq!(desk.open().unwrap_err().code(), "technician_locked");
        desk.clone().unlock();
        assert!(desk.open().is_ok(), "clones share the state");
        desk.lock();
        assert!(desk.open().is_err());
    }

    #[test]
    fn one_audio_job_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let desk = Technician::new(StationLayout::new(dir.path()));
        let job = desk.audio_job().unwrap();
        assert_eq!(desk.audio_job().unwrap_err().code(), "audio_busy");
        drop(job);
        assert!(desk.audio_job().is_ok());
    }
}
