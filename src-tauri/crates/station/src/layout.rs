//! The station's data folder: every path in it is built here and nowhere
//! else (the shell, the CLI and the rest of this crate ask this type).
//!
//! ```text
//! <root>/access.json              PIN hashes (vpr-access)
//! <root>/station-key.pk8, .pub    the station's signing key (vpr-integrity)
//! <root>/station.db (-wal, -shm)  real work (vpr-store)
//! <root>/training.db (-wal, -shm) training runs, kept apart
//! <root>/recordings/…             spoken answers of real work
//! <root>/training-recordings/…    spoken answers of training runs
//! <root>/audio.json               the technician's sound set-up
//! <root>/trusted-issuers.json     the issuer keys this station trusts
//! <root>/packages/                the package shelf (vpr-package)
//! <root>/control/                 headset check and control recordings
//! ```

use std::path::{Path, PathBuf};

use crate::{Result, StationError};

/// The technician's sound set-up.
const AUDIO_SETTINGS: &str = "audio.json";
/// The issuer keys this station trusts.
const TRUST_LIST: &str = "trusted-issuers.json";
/// The package shelf.
const PACKAGES: &str = "packages";
/// Headset checks and control recordings.
const CONTROL: &str = "control";
/// The one headset-check recording (overwritten by each check).
const HEADSET_CHECK: &str = "headset-check.wav";
/// Spoken answers of real work, relative to the root.
const RECORDINGS: &str = "recordings";
/// Spoken answers of training runs, relative to the root.
const TRAINING_RECORDINGS: &str = "training-recordings";
/// The probe file of the "folder is writable" check.
const WRITE_PROBE: &str = ".vpr-station-check.tmp";
/// The folder name of the app's data under the platform's data directory.
pub const APP_FOLDER: &str = "ru.vpr.kiosk";

/// The layout of one station's data folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationLayout {
    root: PathBuf,
}

impl StationLayout {
    /// The layout of `root` (nothing is created).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The layout of `root`, creating the folder if missing.
    pub fn create(root: &Path) -> Result<Self> {
        std::fs::create_dir_all(root).map_err(|source| StationError::DataDir {
            path: root.to_path_buf(),
            source,
        })?;
        Ok(Self::new(root))
    }

    /// `VPR_DATA_DIR`, else `$XDG_DATA_HOME/ru.vpr.kiosk` (or
    /// `~/.local/share/ru.vpr.kiosk`): where the CLI looks by default.
    pub fn default_root() -> PathBuf {
        if let Some(d) = std::env::var_os("VPR_DATA_DIR") {
            return PathBuf::from(d);
        }
        let base = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
            .unwrap_or_else(|| PathBuf::from("."));
        base.join(APP_FOLDER)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder `vpr_access::AccessStore::open` keeps `access.json` in.
    pub fn access_dir(&self) -> &Path {
        &self.root
    }

    /// The folder `vpr_integrity::StationKey` keeps the station's key in.
    pub fn key_dir(&self) -> &Path {
        &self.root
    }

    /// The answer store of real work.
    pub fn exam_db(&self) -> PathBuf {
        vpr_store::exam_path(&self.root)
    }

    /// The answer store of training runs.
    pub fn training_db(&self) -> PathBuf {
        vpr_store::training_path(&self.root)
    }

    /// The files of one SQLite database: itself, its `-wal` and `-shm`.
    pub fn database_files(db: &Path) -> [PathBuf; 3] {
        ["", "-wal", "-shm"].map(|suffix| {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            PathBuf::from(name)
        })
    }

    /// The technician's sound set-up.
    pub fn audio_settings(&self) -> PathBuf {
        self.root.join(AUDIO_SETTINGS)
    }

    /// The issuer keys this station trusts.
    pub fn trust_list(&self) -> PathBuf {
        self.root.join(TRUST_LIST)
    }

    /// The package shelf (`vpr_package::PackageShelf` lays out its inside).
    pub fn packages_dir(&self) -> PathBuf {
        self.root.join(PACKAGES)
    }

    /// Headset checks and control recordings.
    pub fn control_dir(&self) -> PathBuf {
        self.root.join(CONTROL)
    }

    /// The recording of the headset check, for the technician's screen,
    /// `vpr station check` and the student's check alike.
    pub fn headset_check_recording(&self) -> PathBuf {
        self.control_dir().join(HEADSET_CHECK)
    }

    /// The control folder, created when missing.
    pub fn create_control_dir(&self) -> Result<PathBuf> {
        let dir = self.control_dir();
        std::fs::create_dir_all(&dir).map_err(|source| StationError::DataDir {
            path: dir.clone(),
            source,
        })?;
        Ok(dir)
    }

    /// A control recording made at `stamp` (`YYYYMMDD-HHMMSS`, UTC).
    pub fn control_recording(&self, stamp: &str) -> PathBuf {
        self.control_dir().join(format!("control-{stamp}.wav"))
    }

    /// A spoken answer's file, relative to the root (stored so in the
    /// answer store and the bundle).
    pub fn answer_recording(
        training: bool,
        session_id: i64,
        code: &str,
        task: u32,
        segment: u32,
    ) -> String {
        let folder = if training {
            TRAINING_RECORDINGS
        } else {
            RECORDINGS
        };
        format!("{folder}/{session_id}-{code}/task{task}-{segment}.wav")
    }

    /// The full path of a file the answer store names relative to the root
    /// (refused when it would leave the folder).
    pub fn resolve(&self, relative: &str) -> Result<PathBuf> {
        vpr_store::check_relative_file(relative)?;
        Ok(self.root.join(relative))
    }

    /// The probe file of the "folder is writable" check.
    pub fn write_probe(&self) -> PathBuf {
        self.root.join(WRITE_PROBE)
    }

    /// The most recently unlocked package's materials on the shelf
    /// (`packages/<id>/materials` with a `package.json`).
    pub fn latest_unlocked_materials(&self) -> Option<PathBuf> {
        std::fs::read_dir(self.packages_dir())
            .ok()?
            .flatten()
            .map(|e| e.path().join("materials"))
            .filter(|m| m.join("package.json").is_file())
            .max_by_key(|m| std::fs::metadata(m).and_then(|md| md.modified()).ok())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_path_is_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let l = StationLayout::create(&dir.path().join("data")).unwrap();
        assert!(l.root().is_dir());
        for p in [
            l.exam_db(),
            l.training_db(),
            l.audio_settings(),
            l.trust_list(),
            l.packages_dir(),
            l.headset_check_recording(),
            l.control_recording("20260415-080000"),
            l.write_probe(),
            l.resolve("recordings/1-12345/task2-1.wav").unwrap(),
        ] {
            assert!(p.starts_with(l.root()), "{}", p.display());
        }
        assert!(l.resolve("../evil.wav").is_err());
        assert_eq!(
            StationLayout::answer_recording(true, 3, "12345", 2, 1),
            "training-recordings/3-12345/task2-1.wav"
        );
        let files = StationLayout::database_files(&l.training_db());
        assert!(files[1].to_string_lossy().ends_with("training.db-wal"));
        assert!(files[2].to_string_lossy().ends_with("training.db-shm"));
    }
}
