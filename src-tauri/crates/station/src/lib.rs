//! The station: what one classroom computer holds and does, without any UI
//! — the student's exam ([`Station`], [`ExamRuntime`]) and the technician's
//! work on the same machine ([`technician`] and the domain modules below).
//!
//! The technician's domain lives here rather than in a crate of its own:
//! technician and station mode share one data folder ([`StationLayout`]
//! owns every path in it), and the training run crosses both (the
//! technician chooses the package and clears the data, the station mode
//! runs it).
//!
//! - [`identity`]: school, room, station number and the signing key;
//! - [`sound`]: saved devices and volume, device checks, headset check,
//!   control recordings;
//! - [`readiness`]: clock, time zone, writable folder, disk (one list for
//!   the technician's screen and `vpr station check`);
//! - [`packages`]: package files on drives, the shelf, the trust list;
//! - [`training`], [`export`], [`status`].
//!
//! The Tauri shell and the CLI (`vpr station …`) only adapt these calls.

mod code;
pub mod custody;
pub mod export;
pub mod fixtures;
pub mod identity;
mod journal;
mod layout;
pub mod packages;
pub mod passport;
mod payload;
pub mod readiness;
mod runtime;
pub mod simulate;
pub mod sound;
pub mod status;
pub mod technician;
pub mod training;

use std::path::{Path, PathBuf};

use vpr_access::AccessStore;
use vpr_error::{Coded, Severity};

pub use code::ParticipantCode;
pub use journal::StoreJournal;
pub use layout::StationLayout;
pub use payload::{
    CodeAccepted, LevelMeter, OrganizerAction, StationAlert, StationStatus, StudentAction,
};
pub use runtime::{ExamConfig, ExamRuntime, Notice, Notifier};
pub use technician::{Technician, TechnicianError};

// What the shell reaches through this crate (it depends on no engine crate).
pub use vpr_access::{AccessError, PinRole};
pub use vpr_audio::{AudioEvent, AudioSettings, HeadsetStep};
pub use vpr_exam::session::{ReasonCode, SessionView};

#[derive(Debug, thiserror::Error)]
pub enum StationError {
    #[error("Код участника — это ровно 5 цифр. Проверьте код на карточке и введите его ещё раз")]
    MalformedCode,
    #[error("Не удалось открыть каталог данных станции {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Access(#[from] vpr_access::AccessError),
    #[error(transparent)]
    Exam(#[from] vpr_exam::ExamError),
    #[error(transparent)]
    Store(#[from] vpr_store::StoreError),
    #[error(transparent)]
    Audio(#[from] vpr_audio::AudioError),
    #[error(transparent)]
    Package(#[from] vpr_package::PackageError),
    #[error(transparent)]
    Technician(Box<TechnicianError>),
    #[error("Работа ещё идёт: нового участника можно посадить только после её завершения")]
    WorkInProgress,
    #[error("В пакете нет файла {0}")]
    MediaNotFound(String),
    #[error("Проверка гарнитуры уже идёт")]
    HeadsetCheckRunning,
    #[error("Нет тестовой фразы для проверки гарнитуры")]
    NoHeadsetPhrase,
    #[error("Запись ответа возможна только после ввода кода участника")]
    NoSession,
    #[error("Пакет заданий не загружен на станцию")]
    NoPackage,
    #[error("Настройки звука станции не читаются ({path}: {detail}). Работа не начнётся: технический специалист должен заново выбрать устройства и громкость (раздел «Звук»)")]
    SoundSetUp { path: PathBuf, detail: String },
}

impl Coded for StationError {
    fn code(&self) -> &'static str {
        match self {
            Self::MalformedCode => "code_malformed",
            Self::DataDir { .. } => "data_dir",
            Self::Access(e) => e.code(),
            Self::Exam(e) => e.code(),
            Self::Store(e) => e.code(),
            Self::Audio(e) => e.code(),
            Self::Package(e) => e.code(),
            Self::Technician(e) => e.code(),
            Self::WorkInProgress => "work_in_progress",
            Self::MediaNotFound(_) => "media_not_found",
            Self::HeadsetCheckRunning => "headset_check_running",
            Self::NoHeadsetPhrase => "no_headset_phrase",
            Self::NoSession => "no_session",
            Self::NoPackage => "no_package",
            Self::SoundSetUp { .. } => "sound_setup_unreadable",
        }
    }

    fn severity(&self) -> Severity {
        match self {
            Self::MalformedCode => Severity::NonBlocking,
            Self::DataDir { .. } => Severity::Unrecoverable,
            Self::Access(e) => e.severity(),
            Self::Exam(e) => e.severity(),
            Self::Store(e) => e.severity(),
            Self::Audio(e) => e.severity(),
            Self::Package(_) | Self::Technician(_) => Severity::Blocking,
            Self::NoPackage | Self::NoHeadsetPhrase | Self::SoundSetUp { .. } => Severity::Blocking,
            _ => Severity::NonBlocking,
        }
    }
}

pub type Result<T> = std::result::Result<T, StationError>;

/// The MIME type of a photo the package validation accepted (its extension in any case:
/// validation takes `PHOTO.JPG` as well).
fn photo_mime(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "svg" => Some("image/svg+xml"),
        "png" => Some("image/png"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        _ => None,
    }
}

/// One station: its data directory and what is loaded on it.
pub struct Station {
    dir: StationLayout,
    access: AccessStore,
    exam: Option<ExamRuntime>,
    /// Why the exam may not start (an unreadable sound set-up).
    blocked: Option<(PathBuf, String)>,
}

impl Station {
    /// Open the station whose data live in `root` (created if missing).
    pub fn open(root: &Path) -> Result<Self> {
        let dir = StationLayout::create(root)?;
        let access = AccessStore::open(dir.access_dir())?;
        Ok(Self {
            dir,
            access,
            exam: None,
            blocked: None,
        })
    }

    /// Open the exam on `config.package_dir`; changes are pushed to `notify`.
    pub fn start_exam(&mut self, config: ExamConfig, notify: Notifier) -> Result<()> {
        self.exam = None;
        self.exam = Some(ExamRuntime::start(config, notify)?);
        Ok(())
    }

    /// Station mode: open the exam on the package [`fixtures::package_dir`]
    /// chooses, with the technician's sound set-up. No `audio.json` means
    /// not set up yet: the system's default devices at full volume. An
    /// unreadable one blocks the exam (logged; every exam call then returns
    /// [`StationError::SoundSetUp`], which the window shows the organizer),
    /// never a silent default.
    pub fn start_station_mode(&mut self, fixtures: Option<&Path>, notify: Notifier) -> Result<()> {
        let package_dir =
            fixtures::package_dir(&self.dir, fixtures).ok_or(StationError::NoPackage)?;
        let path = self.dir.audio_settings();
        let audio = match vpr_audio::AudioSettings::read(&path) {
            Ok(Some(saved)) => saved,
            Ok(None) => {
                tracing::info!(
                    "sound not set up yet ({} missing): system default devices at full volume",
                    path.display()
                );
                vpr_audio::AudioSettings::system_defaults()
            }
            Err(e) => {
                let detail = std::error::Error::source(&e)
                    .map_or_else(|| e.to_string(), ToString::to_string);
                tracing::error!(
                    file = %path.display(),
                    "sound set-up unreadable, the exam is blocked: {e}: {detail}"
                );
                self.exam = None;
                self.blocked = Some((path, detail));
                return Ok(());
            }
        };
        let config = ExamConfig {
            package_dir,
            data_dir: self.dir.root().to_path_buf(),
            headset_phrase: fixtures.map(|f| f.join(fixtures::HEADSET_PHRASE)),
            input: audio.input,
            output: audio.output,
            volume: audio.volume,
            headset_seconds: sound::HEADSET_SECONDS,
        };
        self.blocked = None;
        self.start_exam(config, notify)
    }

    pub fn exam(&self) -> Result<&ExamRuntime> {
        if let Some((path, detail)) = &self.blocked {
            return Err(StationError::SoundSetUp {
                path: path.clone(),
                detail: detail.clone(),
            });
        }
        self.exam.as_ref().ok_or(StationError::NoPackage)
    }

    /// The organizer's action at the station, after the organizer's PIN.
    pub fn organizer(&self, pin: &str, action: &OrganizerAction) -> Result<SessionView> {
        self.access.verify(PinRole::Organizer, pin)?;
        // The kind and the reason code only: never any text.
        tracing::warn!(
            action = action.kind(),
            reason = action.reason().map(|r| r.as_str()),
            "organizer action"
        );
        if *action == OrganizerAction::ClearPinAlert {
            self.access.clear_alert()?;
        }
        self.exam()?.organizer(action)
    }

    /// A package medium (a monologue photo) as a `data:` URL for the page.
    pub fn media_data_url(&self, relative: &str) -> Result<String> {
        let path = self.exam()?.media_path(relative)?;
        let bytes = std::fs::read(&path).map_err(|source| StationError::DataDir {
            path: path.clone(),
            source,
        })?;
        let Some(mime) = photo_mime(&path) else {
            return Err(StationError::MediaNotFound(relative.to_owned()));
        };
        use base64::Engine as _;
        Ok(format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ))
    }

    /// The paths of this station's data folder.
    pub fn layout(&self) -> &StationLayout {
        &self.dir
    }

    /// The same as [`Station::layout`] (older name).
    pub fn data_dir(&self) -> &StationLayout {
        &self.dir
    }

    pub fn access(&self) -> &AccessStore {
        &self.access
    }

    /// What the code-entry screen shows.
    pub fn status(&self) -> StationStatus {
        let package = self.exam.as_ref().map(|e| e.package());
        StationStatus {
            package_title: package.as_ref().map_or_else(
                || "Пакет заданий не загружен".to_owned(),
                |p| p.title.clone(),
            ),
            // The demo banner from the verified signed header.
            demo: self.exam.as_ref().is_some_and(ExamRuntime::is_training),
            station_number: self.station_number(),
            exit_pin_set: self.access.is_set(PinRole::Organizer),
            pin_alert: self.access.alert().map(|a| StationAlert {
                code: "pin_lockout".to_owned(),
                message: a.message_ru(),
            }),
            alerts: self
                .exam
                .as_ref()
                .map(|e| e.startup_alerts().to_vec())
                .unwrap_or_default(),
        }
    }

    /// The number the technician gave this station (kept in the exam database).
    fn station_number(&self) -> Option<u32> {
        let path = self.dir.exam_db();
        if !path.is_file() {
            return None;
        }
        vpr_store::Store::open(&path)
            .and_then(|s| s.station())
            .ok()
            .flatten()
            .map(|info| info.number)
    }

    /// A participant typed a code on the code-entry screen.
    pub fn submit_code(&self, raw: &str) -> Result<CodeAccepted> {
        let code = ParticipantCode::parse(raw)?;
        tracing::info!(code = %code, "participant code entered");
        Ok(CodeAccepted {
            code: code.to_string(),
        })
    }

    /// The organizer asks to leave the kiosk.
    pub fn authorize_exit(&self, pin: &str) -> Result<()> {
        self.access.verify(PinRole::Organizer, pin)?;
        tracing::warn!("organizer PIN accepted: kiosk exit");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photo_mime_ignores_the_extension_case() {
        assert_eq!(photo_mime(Path::new("m/a.JPG")), Some("image/jpeg"));
        assert_eq!(photo_mime(Path::new("m/a.Png")), Some("image/png"));
        assert_eq!(photo_mime(Path::new("m/a.svg")), Some("image/svg+xml"));
        assert_eq!(photo_mime(Path::new("m/a.gif")), None);
    }

    #[test]
    fn malformed_codes_are_refused_with_a_russian_message() {
        let dir = tempfile::tempdir().unwrap();
        let station = Station::open(dir.path()).unwrap();
        let e = station.submit_code("12a45").unwrap_err();
        assert_eq!(e.code(), "code_malformed");
        assert!(e.to_string().contains("5 цифр"));
        assert_eq!(station.submit_code(" 12345 ").unwrap().code, "12345");
    }

    #[test]
    fn an_unreadable_sound_set_up_blocks_the_exam_and_a_missing_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let fixtures = fixtures::fixtures_dir(&[]).unwrap();
        let notify: Notifier = std::sync::Arc::new(|_| {});
        let mut station = Station::open(dir.path()).unwrap();
        std::fs::write(station.layout().audio_settings(), b"{\"volume\": ").unwrap();
        station
            .start_station_mode(Some(&fixtures), notify.clone())
            .unwrap();
        let e = station.exam().err().unwrap();
        assert_eq!(e.code(), "sound_setup_unreadable");
        assert_eq!(e.severity(), Severity::Blocking);
        assert!(e.to_string().contains("audio.json"), "{e}");

        // Not set up yet: the exam opens (system defaults, full volume).
        std::fs::remove_file(station.layout().audio_settings()).unwrap();
        station.start_station_mode(Some(&fixtures), notify).unwrap();
        assert!(station.exam().is_ok());
    }

    #[test]
    fn exit_needs_the_organizer_pin() {
        let dir = tempfile::tempdir().unwrap();
        let station = Station::open(dir.path()).unwrap();
        assert_eq!(
            station.authorize_exit("274915").unwrap_err().code(),
            "pin_not_set"
        );
        station.access().set(PinRole::Organizer, "274915").unwrap();
        assert!(station.status().exit_pin_set);
        assert_eq!(
            station.authorize_exit("0000").unwrap_err().code(),
            "pin_wrong"
        );
        station.authorize_exit("274915").unwrap();
    }

    #[test]
    fn a_pin_lockout_is_shown_until_the_organizer_clears_it() {
        let dir = tempfile::tempdir().unwrap();
        let station = Station::open(dir.path()).unwrap();
        station.access().set(PinRole::Organizer, "274915").unwrap();
        station.access().set(PinRole::Technician, "863071").unwrap();
        for _ in 0..vpr_access::MAX_FAILURES {
            let _ = station.access().verify(PinRole::Technician, "000001");
        }
        let alert = Station::open(dir.path()).unwrap().status().pin_alert;
        assert_eq!(alert.as_ref().map(|a| a.code.as_str()), Some("pin_lockout"));
        assert!(station
            .organizer("000001", &OrganizerAction::ClearPinAlert)
            .is_err());
        assert!(
            station.status().pin_alert.is_some(),
            "a wrong PIN clears nothing"
        );
        // No exam is loaded here, so the view is refused, but the alert is gone.
        let _ = station.organizer("274915", &OrganizerAction::ClearPinAlert);
        assert!(Station::open(dir.path())
            .unwrap()
            .status()
            .pin_alert
            .is_none());
    }
}
