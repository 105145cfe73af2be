//! The station: what one classroom computer holds and does, without any UI.
//!
//! The Tauri shell owns one [`Station`] and forwards commands to it; the CLI
//! can drive the same object headless.

mod code;
mod data_dir;

use std::path::{Path, PathBuf};

use vpr_access::{AccessStore, PinRole};
use vpr_api::{CodeAccepted, Coded, Severity, StationStatus};

pub use code::ParticipantCode;
pub use data_dir::DataDir;

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
}

impl Coded for StationError {
    fn code(&self) -> &'static str {
        match self {
            Self::MalformedCode => "code_malformed",
            Self::DataDir { .. } => "data_dir",
            Self::Access(e) => e.code(),
        }
    }

    fn severity(&self) -> Severity {
        match self {
            Self::MalformedCode => Severity::NonBlocking,
            Self::DataDir { .. } => Severity::Unrecoverable,
            Self::Access(e) => e.severity(),
        }
    }
}

pub type Result<T> = std::result::Result<T, StationError>;

/// One station: its data directory and what is loaded on it.
#[derive(Debug)]
pub struct Station {
    dir: DataDir,
    access: AccessStore,
}

impl Station {
    /// Open the station whose data live in `root` (created if missing).
    pub fn open(root: &Path) -> Result<Self> {
        let dir = DataDir::create(root)?;
        let access = AccessStore::open(dir.root())?;
        Ok(Self { dir, access })
    }

    pub fn data_dir(&self) -> &DataDir {
        &self.dir
    }

    pub fn access(&self) -> &AccessStore {
        &self.access
    }

    /// What the code-entry screen shows.
    pub fn status(&self) -> StationStatus {
        StationStatus {
            package_title: "Английский язык, 7 класс — тренировочный вариант".into(),
            demo: true,
            station_number: None,
            exit_pin_set: self.access.is_set(PinRole::Organizer),
        }
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
    fn malformed_codes_are_refused_with_a_russian_message() {
        let dir = tempfile::tempdir().unwrap();
        let station = Station::open(dir.path()).unwrap();
        let e = station.submit_code("12a45").unwrap_err();
        assert_eq!(e.code(), "code_malformed");
        assert!(e.to_string().contains("5 цифр"));
        assert_eq!(station.submit_code(" 12345 ").unwrap().code, "12345");
    }

    #[test]
    fn exit_needs_the_organizer_pin() {
        let dir = tempfile::tempdir().unwrap();
        let station = Station::open(dir.path()).unwrap();
        assert_eq!(
            station.authorize_exit("1234").unwrap_err().code(),
            "pin_not_set"
        );
        station.access().set(PinRole::Organizer, "1234").unwrap();
        assert!(station.status().exit_pin_set);
        assert_eq!(
            station.authorize_exit("0000").unwrap_err().code(),
            "pin_wrong"
        );
        station.authorize_exit("1234").unwrap();
    }
}
