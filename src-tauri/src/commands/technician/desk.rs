//! The technician's desk: station identity, sound, disk and clock, packages,
//! training data, export and status, over the core crates. No Tauri here, so
//! the shell's commands stay a few lines each.

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::{
        atomic::{AtomicBool, Ordering},
        mpsc::Sender,
        Arc,
    },
    time::Duration,
};

use vpr_api::{
    AudioCheck, AudioDevice, AudioSetup, BundleExported, DiskClock, PackageFile, PackageInfo,
    StationIdentity, StationReport, TrainingCleared,
};
use vpr_audio::{AudioEvent, AudioSettings, HeadsetCheckOptions, RecordOptions, Recording};
use vpr_integrity::StationKey;
use vpr_package::{
    time::{OffsetDateTime, UtcOffset},
    Limits, PackageShelf, ShelfEntry, SystemClock, TrustedIssuers, MOSCOW,
};
use vpr_store::{LevelFlags, RecordingStatus, SessionStatus, StationInfo, Store};

use super::error::{DeskError, Result};

/// Bytes a second of a recording: 22,050 Hz × 16 bit × mono.
const RECORDING_BYTES_PER_SECOND: u64 = 22_050 * 2;
/// Head-room for the system, the answer store and exports.
const RESERVE_BYTES: u64 = 512 * 1024 * 1024;
/// Recordings count twice: the answer files and the exported bundle.
const MARGIN: u64 = 2;
/// Length of the headset check's recording.
const HEADSET_SECONDS: u64 = 3;

/// The technician's desk of one station (cheap to clone).
#[derive(Clone)]
pub struct Desk {
    data: PathBuf,
    unlocked: Arc<AtomicBool>,
    audio_busy: Arc<AtomicBool>,
}

/// Clears the busy flag when the audio job ends, however it ends.
struct BusyGuard(Arc<AtomicBool>);
impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

impl Desk {
    pub fn new(data: PathBuf) -> Self {
        Self {
            data,
            unlocked: Arc::new(AtomicBool::new(false)),
            audio_busy: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The technician's PIN opened the desk for this run of the app.
    pub fn unlock(&self) {
        self.unlocked.store(true, Ordering::SeqCst);
    }

    /// «Выйти»: the next visit needs the PIN again.
    pub fn lock(&self) {
        self.unlocked.store(false, Ordering::SeqCst);
    }

    pub fn require_unlocked(&self) -> Result<()> {
        if self.unlocked.load(Ordering::SeqCst) {
            Ok(())
        } else {
            Err(DeskError::Locked)
        }
    }

    fn store(&self) -> Result<Store> {
        Ok(Store::open(&vpr_store::exam_path(&self.data))?)
    }

    fn shelf(&self) -> PackageShelf {
        PackageShelf::new(
            self.layout().packages_dir(),
            TrustedIssuers::demo(),
            Limits::default(),
        )
    }

    fn audio_path(&self) -> PathBuf {
        self.layout().audio_settings()
    }

    fn layout(&self) -> vpr_station::StationLayout {
        vpr_station::StationLayout::new(&self.data)
    }

    // ----- identity -------------------------------------------------------

    /// The station's identity; the signing key is created on first use.
    pub fn identity(&self) -> Result<StationIdentity> {
        let key = StationKey::load_or_create(&self.data)?;
        let fingerprint = key.public_key().fingerprint();
        let saved = self.store()?.station()?;
        Ok(match saved {
            Some(s) => StationIdentity {
                configured: true,
                school_id: s.school_id,
                room: s.room,
                number: Some(s.number),
                station_id: s.station_id,
                key_fingerprint: fingerprint.to_string(),
            },
            None => StationIdentity {
                configured: false,
                school_id: String::new(),
                room: String::new(),
                number: None,
                station_id: station_id(&fingerprint),
                key_fingerprint: fingerprint.to_string(),
            },
        })
    }

    pub fn set_identity(
        &self,
        school_id: &str,
        room: &str,
        number: u32,
    ) -> Result<StationIdentity> {
        let school_id = school_id.trim();
        let room = room.trim();
        if school_id.is_empty()
            || school_id.len() > 32
            || !school_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(DeskError::Invalid(
                "Код ОО — цифры и латинские буквы (до 32 знаков), без пробелов".into(),
            ));
        }
        if room.is_empty() || room.chars().count() > 40 || room.chars().any(char::is_control) {
            return Err(DeskError::Invalid(
                "Укажите аудиторию (до 40 знаков)".into(),
            ));
        }
        if !(1..=999).contains(&number) {
            return Err(DeskError::Invalid(
                "Номер станции — число от 1 до 999".into(),
            ));
        }
        let key = StationKey::load_or_create(&self.data)?;
        let fingerprint = key.public_key().fingerprint();
        self.store()?.set_station(&StationInfo {
            station_id: station_id(&fingerprint),
            school_id: school_id.to_owned(),
            room: room.to_owned(),
            number,
            key_fingerprint: fingerprint,
        })?;
        tracing::info!(school_id, room, number, "station identity saved");
        self.identity()
    }

    // ----- sound ----------------------------------------------------------

    pub fn audio(&self) -> Result<AudioSetup> {
        let saved = AudioSettings::load(&self.audio_path())?;
        let devices = vpr_audio::list_devices()?
            .into_iter()
            .map(|d| AudioDevice {
                id: d.id,
                name: d.name,
                input: d.direction == vpr_audio::Direction::Input,
                is_default: d.is_default,
            })
            .collect();
        Ok(AudioSetup {
            devices,
            input: saved.input,
            output: saved.output,
            volume: saved.volume,
        })
    }

    /// Save the choice after checking that each chosen device opens.
    pub fn save_audio(
        &self,
        input: Option<String>,
        output: Option<String>,
        volume: f32,
    ) -> Result<AudioSetup> {
        if !(0.0..=1.0).contains(&volume) || volume.is_nan() {
            return Err(DeskError::Invalid("Громкость — от 0 до 100 %".into()));
        }
        let input = input.filter(|s| !s.is_empty());
        let output = output.filter(|s| !s.is_empty());
        vpr_audio::check_device(input.as_deref(), vpr_audio::Direction::Input)?;
        vpr_audio::check_device(output.as_deref(), vpr_audio::Direction::Output)?;
        AudioSettings {
            input,
            output,
            volume,
        }
        .save(&self.audio_path())?;
        self.audio()
    }

    fn busy(&self) -> Result<BusyGuard> {
        if self.audio_busy.swap(true, Ordering::SeqCst) {
            return Err(DeskError::AudioBusy);
        }
        Ok(BusyGuard(self.audio_busy.clone()))
    }

    /// Play the test phrase, record a few seconds, play the recording back.
    /// Blocks for the whole check; levels go to `events`.
    pub fn headset_check(
        &self,
        phrase: Option<PathBuf>,
        events: Sender<AudioEvent>,
    ) -> Result<AudioCheck> {
        let _busy = self.busy()?;
        let phrase = phrase.filter(|p| p.is_file()).ok_or(DeskError::NoPhrase)?;
        let settings = AudioSettings::load(&self.audio_path())?;
        let dir = self.layout().control_dir();
        std::fs::create_dir_all(&dir).map_err(DeskError::io(&dir))?;
        let report = vpr_audio::headset_check(HeadsetCheckOptions {
            phrase,
            recording: self.layout().headset_check_recording(),
            seconds: Duration::from_secs(HEADSET_SECONDS),
            input: settings.input,
            output: settings.output,
            volume: settings.volume,
            play_back: true,
            events: Some(events),
        })?;
        Ok(check_of(&report.recording))
    }

    /// The control recording the regulations ask for, kept in the station's
    /// folder (`control/control-<UTC time>.wav`).
    pub fn control_recording(
        &self,
        seconds: u32,
        events: Sender<AudioEvent>,
    ) -> Result<AudioCheck> {
        if !(2..=60).contains(&seconds) {
            return Err(DeskError::Invalid(
                "Длительность контрольной записи — от 2 до 60 секунд".into(),
            ));
        }
        let _busy = self.busy()?;
        let settings = AudioSettings::load(&self.audio_path())?;
        let dir = self.layout().control_dir();
        std::fs::create_dir_all(&dir).map_err(DeskError::io(&dir))?;
        let now = OffsetDateTime::now_utc();
        let path = dir.join(format!(
            "control-{:04}{:02}{:02}-{:02}{:02}{:02}.wav",
            now.year(),
            u8::from(now.month()),
            now.day(),
            now.hour(),
            now.minute(),
            now.second()
        ));
        let mut opts = RecordOptions::new(&path);
        opts.device = settings.input;
        opts.duration = Some(Duration::from_secs(u64::from(seconds)));
        opts.events = Some(events);
        let result = Recording::start(opts)?.wait()?;
        tracing::info!(file = %result.path.display(), "control recording saved");
        Ok(check_of(&result))
    }

    /// Play a recording of the control folder on the chosen output.
    pub fn play_recording(&self, file: &str, events: Sender<AudioEvent>) -> Result<()> {
        let dir = self.layout().control_dir();
        let path = PathBuf::from(file);
        let inside = path
            .canonicalize()
            .ok()
            .zip(dir.canonicalize().ok())
            .is_some_and(|(p, d)| p.starts_with(d));
        if !inside {
            return Err(DeskError::NoFile(path));
        }
        let _busy = self.busy()?;
        let settings = AudioSettings::load(&self.audio_path())?;
        vpr_audio::play_file(vpr_audio::PlayOptions {
            path,
            device: settings.output,
            volume: settings.volume,
            events: Some(events),
        })?;
        Ok(())
    }

    // ----- disk and clock -------------------------------------------------

    pub fn disk_clock(&self, participants: u32, minutes: u32) -> DiskClock {
        let need = recordings_need(u64::from(participants), u64::from(minutes));
        let free = free_space(&self.data);
        let now = OffsetDateTime::now_utc();
        let offset = local_offset();
        let local = offset.map_or(now, |o| now.to_offset(o));
        DiskClock {
            data_dir: self.data.display().to_string(),
            free_bytes: free,
            need_bytes: need,
            participants,
            minutes,
            enough: free.is_some_and(|f| f >= need),
            local: stamp(local),
            local_offset: offset.map_or_else(|| "?".to_owned(), offset_text),
            moscow: stamp(now.to_offset(MOSCOW)),
            utc: stamp(now),
            clock_plausible: (2025..2100).contains(&now.year()),
        }
    }

    // ----- packages -------------------------------------------------------

    /// `*.vprpkg` files on removable drives and in the home folder.
    pub fn find_packages(&self) -> Vec<PackageFile> {
        let mut roots: Vec<(PathBuf, u32)> = vec![
            (PathBuf::from("/media"), 4),
            (PathBuf::from("/run/media"), 4),
        ];
        if let Some(home) = std::env::var_os("HOME") {
            roots.push((PathBuf::from(home), 2));
        }
        let mut out = Vec::new();
        for (root, depth) in roots {
            walk(&root, depth, &mut out);
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out.dedup_by(|a, b| a.path == b.path);
        out
    }

    pub fn packages(&self) -> Result<Vec<PackageInfo>> {
        Ok(self
            .shelf()
            .list(&SystemClock)?
            .into_iter()
            .map(info_of)
            .collect())
    }

    fn package(&self, id: &str) -> Result<PackageInfo> {
        self.packages()?
            .into_iter()
            .find(|p| p.package_id == id)
            .ok_or_else(|| DeskError::Invalid(format!("Пакета {id} нет на станции")))
    }

    /// Verify a package file and copy it onto the station's shelf.
    pub fn load_package(&self, path: &str) -> Result<PackageInfo> {
        let path = PathBuf::from(path.trim());
        if !path.is_file() {
            return Err(DeskError::NoFile(path));
        }
        let view = self.shelf().load(&path, &SystemClock)?;
        tracing::info!(id = %view.header.meta.package_id, "package loaded");
        self.package(&view.header.meta.package_id)
    }

    /// Unlock the materials with the day password (the core refuses before
    /// the release time and changes nothing on a wrong password).
    pub fn unlock_package(&self, id: &str, password: &str) -> Result<PackageInfo> {
        let report = self.shelf().unlock(id, password, &SystemClock)?;
        tracing::info!(id, files = report.files, "package unlocked");
        self.package(id)
    }

    // ----- training -------------------------------------------------------

    /// The folder of the demo package to train on: an unlocked demo package
    /// of the shelf, else the built-in training package.
    pub fn training_package(&self, fixtures: Option<&Path>) -> Result<(PathBuf, String)> {
        let shelf = self.shelf();
        let from_shelf = self
            .packages()?
            .into_iter()
            .find(|p| p.demo && p.unlocked)
            .map(|p| shelf.materials_dir(&p.package_id));
        let dir = from_shelf
            .or_else(|| fixtures.map(|f| f.join(vpr_station::fixtures::TRAINING_PACKAGE)))
            .ok_or(DeskError::NoTrainingPackage)?;
        let package = vpr_exam::Package::load_dir(&dir)?;
        if !package.demo {
            return Err(DeskError::NotDemo(package.title));
        }
        Ok((dir, package.title))
    }

    /// Remove every training session, its recordings and the training
    /// database; exam data are not touched.
    pub fn clear_training(&self) -> Result<TrainingCleared> {
        let db = vpr_store::training_path(&self.data);
        let mut cleared = TrainingCleared {
            sessions: 0,
            recordings: 0,
        };
        if db.exists() {
            let store = Store::open(&db)?;
            for s in store.sessions()? {
                cleared.sessions += 1;
                for r in store.recordings(s.id)? {
                    vpr_store::check_relative_file(&r.file)?;
                    let file = self.data.join(&r.file);
                    match std::fs::remove_file(&file) {
                        Ok(()) => cleared.recordings += 1,
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(e) => return Err(DeskError::io(&file)(e)),
                    }
                    if let Some(parent) = file.parent() {
                        // Removed only when empty.
                        let _ = std::fs::remove_dir(parent);
                    }
                }
            }
            drop(store);
            for suffix in ["", "-wal", "-shm"] {
                let mut name = db.clone().into_os_string();
                name.push(suffix);
                let path = PathBuf::from(name);
                match std::fs::remove_file(&path) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(DeskError::io(&path)(e)),
                }
            }
        }
        tracing::warn!(
            sessions = cleared.sessions,
            recordings = cleared.recordings,
            "training data cleared"
        );
        Ok(cleared)
    }

    // ----- export and status ---------------------------------------------

    /// Write the signed station bundle into `folder`; the writer reads the
    /// file back and verifies it before this returns.
    pub fn export(&self, folder: &str) -> Result<BundleExported> {
        let folder = PathBuf::from(folder.trim());
        if !folder.is_dir() {
            return Err(DeskError::NoFolder(folder));
        }
        let store = self.store()?;
        let info = store.station()?.ok_or_else(|| {
            DeskError::Invalid(
                "Сначала укажите код ОО, аудиторию и номер станции (раздел «Станция»)".into(),
            )
        })?;
        let key = StationKey::load(&self.data)?;
        let now = OffsetDateTime::now_utc();
        let name = vpr_bundle::default_file_name(&info.school_id, info.number, now);
        let written = vpr_bundle::write_bundle(&store, &self.data, &key, &folder.join(&name), now)?;
        tracing::info!(file = %written.path.display(), bytes = written.bytes, "bundle exported");
        Ok(BundleExported {
            path: written.path.display().to_string(),
            file_name: name,
            bytes: written.bytes,
            participants: count(written.manifest.participants.len()),
            files: count(written.manifest.files.len()),
            key_fingerprint: written.manifest.key_fingerprint.to_string(),
        })
    }

    pub fn status(&self) -> Result<StationReport> {
        let identity = self.identity()?;
        let store = self.store()?;
        let mut report = StationReport {
            identity,
            works_finished: 0,
            works_active: 0,
            works_failed: 0,
            recordings: 0,
            silent: 0,
            too_quiet: 0,
            clipped: 0,
            interrupted: 0,
            training_works: 0,
            packages: count(self.packages()?.len()),
            free_bytes: free_space(&self.data),
            chain_ok: store.verify().is_ok(),
        };
        for s in store.sessions()? {
            match s.status {
                SessionStatus::Finished => report.works_finished += 1,
                SessionStatus::Active => report.works_active += 1,
                SessionStatus::TechnicalFailure => report.works_failed += 1,
                SessionStatus::Training => report.training_works += 1,
            }
            for r in store.recordings(s.id)? {
                report.recordings += 1;
                let LevelFlags {
                    silent,
                    too_quiet,
                    clipped,
                } = r.level_flags;
                report.silent += u32::from(silent);
                report.too_quiet += u32::from(too_quiet);
                report.clipped += u32::from(clipped);
                report.interrupted += u32::from(matches!(
                    r.status,
                    RecordingStatus::Interrupted | RecordingStatus::Repaired
                ));
            }
        }
        let training = vpr_store::training_path(&self.data);
        if training.exists() {
            report.training_works += count(Store::open(&training)?.sessions()?.len());
        }
        Ok(report)
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `st-` and the first 12 hex digits of the key's fingerprint.
fn station_id(fp: &vpr_integrity::Fingerprint) -> String {
    let hex = fp.to_hex();
    format!("st-{}", hex.get(..12).unwrap_or(&hex))
}

fn check_of(r: &vpr_audio::RecordingResult) -> AudioCheck {
    AudioCheck {
        file: r.path.display().to_string(),
        ok: !r.levels.silent && !r.levels.clipped,
        silent: r.levels.silent,
        clipped: r.levels.clipped,
        max_window_dbfs: r.levels.max_window_dbfs,
        duration_ms: r.duration_ms,
    }
}

fn info_of(e: ShelfEntry) -> PackageInfo {
    let id_from_file = e
        .file
        .strip_suffix(&format!(".{}", vpr_package::EXTENSION))
        .unwrap_or(&e.file)
        .to_owned();
    match e.view {
        Some(v) => {
            let m = &v.header.meta;
            PackageInfo {
                file: e.file.clone(),
                package_id: m.package_id.clone(),
                title: m.title.clone(),
                school: m.school.clone(),
                subject: m.subject.clone(),
                grade: m.grade,
                language: m.language.clone(),
                exam_date: format!(
                    "{:04}-{:02}-{:02}",
                    m.exam_date.year(),
                    u8::from(m.exam_date.month()),
                    m.exam_date.day()
                ),
                demo: m.demo,
                signature_valid: v.signature_valid,
                trusted: v.trusted,
                issuer_label: v.issuer_label.clone(),
                issuer_fingerprint: v.header.issuer_fingerprint.clone(),
                demo_issuer: v.demo_issuer,
                file_size: v.file_size,
                file_sha256: v.file_sha256.clone(),
                materials_release_moscow: v.materials_release_moscow.clone(),
                keys_release_moscow: v.keys_release_moscow.clone(),
                materials_released: v.materials_released,
                keys_released: v.keys_released,
                unlocked: e.unlocked,
                keys_unlocked: e.keys_unlocked,
                problem: e.problem,
            }
        }
        None => PackageInfo {
            file: e.file,
            package_id: id_from_file,
            title: String::new(),
            school: String::new(),
            subject: String::new(),
            grade: 0,
            language: String::new(),
            exam_date: String::new(),
            demo: false,
            signature_valid: false,
            trusted: false,
            issuer_label: None,
            issuer_fingerprint: String::new(),
            demo_issuer: false,
            file_size: 0,
            file_sha256: String::new(),
            materials_release_moscow: String::new(),
            keys_release_moscow: String::new(),
            materials_released: false,
            keys_released: false,
            unlocked: e.unlocked,
            keys_unlocked: e.keys_unlocked,
            problem: e.problem,
        },
    }
}

fn walk(dir: &Path, depth: u32, out: &mut Vec<PackageFile>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let hidden = e.file_name().to_string_lossy().starts_with('.');
        let Ok(kind) = e.file_type() else { continue };
        if kind.is_dir() && !hidden && depth > 0 {
            walk(&path, depth - 1, out);
        } else if kind.is_file()
            && path
                .extension()
                .is_some_and(|x| x == vpr_package::EXTENSION)
        {
            let size = e.metadata().map(|m| m.len()).unwrap_or(0);
            out.push(PackageFile {
                path: path.display().to_string(),
                size,
            });
        }
    }
}

/// Bytes the day's recordings need, with margin and reserve.
fn recordings_need(participants: u64, minutes: u64) -> u64 {
    participants
        .saturating_mul(minutes)
        .saturating_mul(60)
        .saturating_mul(RECORDING_BYTES_PER_SECOND)
        .saturating_mul(MARGIN)
        .saturating_add(RESERVE_BYTES)
}

/// Free bytes on the file system holding `dir`, from POSIX `df -Pk`.
fn free_space(dir: &Path) -> Option<u64> {
    let existing = dir.ancestors().find(|p| p.exists())?;
    let out = Command::new("df").arg("-Pk").arg(existing).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let kib: u64 = text
        .lines()
        .nth(1)?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()?;
    Some(kib.saturating_mul(1024))
}

/// The system's UTC offset now, from `date +%z`.
fn local_offset() -> Option<UtcOffset> {
    let out = Command::new("date").arg("+%z").output().ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let (sign, digits) = match s.split_at_checked(1)? {
        ("+", d) => (1i8, d),
        ("-", d) => (-1i8, d),
        _ => return None,
    };
    let h: i8 = digits.get(..2)?.parse().ok()?;
    let m: i8 = digits.get(2..4)?.parse().ok()?;
    UtcOffset::from_hms(sign * h, sign * m, 0).ok()
}

fn offset_text(o: UtcOffset) -> String {
    let (h, m, _) = o.as_hms();
    let sign = if o.is_negative() { '-' } else { '+' };
    format!("{sign}{:02}:{:02}", h.unsigned_abs(), m.unsigned_abs())
}

fn stamp(t: OffsetDateTime) -> String {
    format!(
        "{:02}.{:02}.{} {:02}:{:02}:{:02}",
        t.day(),
        u8::from(t.month()),
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use vpr_api::Coded;

    #[test]
    fn the_desk_is_closed_until_the_pin_and_after_log_out() {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::new(dir.path().to_path_buf());
        assert_eq!(
            desk.require_unlocked().unwrap_err().code(),
            "technician_locked"
        );
        desk.clone().unlock();
        assert!(desk.require_unlocked().is_ok(), "clones share the state");
        desk.lock();
        assert!(desk.require_unlocked().is_err());
    }

    #[test]
    fn identity_is_validated_and_saved_with_the_station_key() {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::new(dir.path().to_path_buf());
        let fresh = desk.identity().unwrap();
        assert!(!fresh.configured);
        assert!(desk.set_identity("77 01", "12", 3).is_err());
        assert!(desk.set_identity("770001", "12", 0).is_err());
        let saved = desk.set_identity("770001", "Каб. 12", 3).unwrap();
        assert!(saved.configured);
        assert_eq!(saved.number, Some(3));
        assert_eq!(saved.key_fingerprint, fresh.key_fingerprint);
        assert!(dir.path().join(vpr_integrity::KEY_FILE).is_file());
    }

    #[test]
    fn export_writes_a_bundle_that_verifies_and_training_is_cleared_apart() {
        let dir = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let desk = Desk::new(dir.path().to_path_buf());
        assert_eq!(
            desk.export(out.path().to_str().unwrap())
                .unwrap_err()
                .code(),
            "technician_invalid"
        );
        desk.set_identity("770001", "12", 3).unwrap();
        // One exam work and one training work.
        let exam = Store::open(&vpr_store::exam_path(dir.path())).unwrap();
        let s = exam
            .start_session(&vpr_store::NewSession::new("12345", "en7", "1"))
            .unwrap();
        exam.save_answer(s.id, "4", "1", &serde_json::json!("B"))
            .unwrap();
        drop(exam);
        let training = Store::open(&vpr_store::training_path(dir.path())).unwrap();
        let t = training
            .start_session(&vpr_store::NewSession::new("00000", "demo", "1"))
            .unwrap();
        std::fs::create_dir_all(dir.path().join("recordings/1-00000")).unwrap();
        std::fs::write(dir.path().join("recordings/1-00000/task2-1.wav"), b"x").unwrap();
        training
            .start_recording(&vpr_store::NewRecording {
                session_id: t.id,
                task: "2".into(),
                item: None,
                file: "recordings/1-00000/task2-1.wav".into(),
            })
            .unwrap();
        drop(training);

        let status = desk.status().unwrap();
        assert_eq!(status.works_active, 1);
        assert_eq!(status.training_works, 1);
        assert!(status.chain_ok);

        let done = desk.export(out.path().to_str().unwrap()).unwrap();
        assert!(done.file_name.starts_with("vpr-770001-st03-"));
        let verified =
            vpr_bundle::verify_bundle(Path::new(&done.path), &vpr_bundle::TrustedKeys::any())
                .unwrap();
        assert_eq!(verified.manifest.participants.len(), 1);

        let cleared = desk.clear_training().unwrap();
        assert_eq!((cleared.sessions, cleared.recordings), (1, 1));
        assert!(!vpr_store::training_path(dir.path()).exists());
        assert!(!dir.path().join("recordings/1-00000").exists());
        assert_eq!(desk.status().unwrap().works_active, 1);
    }

    #[test]
    fn disk_and_clock_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::new(dir.path().to_path_buf());
        let dc = desk.disk_clock(15, 10);
        assert_eq!(dc.need_bytes, recordings_need(15, 10));
        assert!(dc.free_bytes.unwrap() > 0);
        assert!(dc.clock_plausible);
        assert!(dc.moscow.len() >= 19);
    }
}
