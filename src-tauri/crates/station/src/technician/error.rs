//! Errors of the technician's work: the core crates' errors plus the few
//! the desk itself raises.

use std::path::{Path, PathBuf};

use vpr_error::{Coded, Severity};

#[derive(Debug, thiserror::Error)]
pub enum TechnicianError {
    #[error("Введите PIN-код технического специалиста")]
    Locked,
    #[error("{0}")]
    Invalid(String),
    #[error("Проверка звука уже идёт: дождитесь её окончания")]
    AudioBusy,
    #[error("Нет тестовой фразы для проверки гарнитуры: установите учебные материалы")]
    NoPhrase,
    #[error("Нет учебного пакета для тренировки: загрузите и откройте демонстрационный пакет")]
    NoTrainingPackage,
    #[error("Пакет «{0}» — не учебный: тренировка идёт только на демонстрационном пакете")]
    NotDemo(String),
    #[error("Папка {0} не найдена: проверьте, что флешка вставлена, и укажите папку ещё раз")]
    NoFolder(PathBuf),
    #[error("Файл {0} не найден")]
    NoFile(PathBuf),
    #[error("Не удалось выполнить операцию с {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("Список доверенных ключей {path} повреждён: {detail}. Восстановите его или удалите и добавьте ключи заново")]
    TrustList { path: PathBuf, detail: String },
    #[error("Ключа с отпечатком {0} нет в списке доверенных")]
    NoSuchKey(String),
    #[error("Демонстрационный ключ проекта всегда в списке (он открывает только учебные пакеты)")]
    DemoKeyFixed,
    #[error("Выгружать нечего: на станции нет ни одной экзаменационной работы. Тренировочные работы ({training}) в результаты не входят и не выгружаются")]
    NothingToExport { training: u32 },
    #[error("Не удалось запустить станцию: {0}")]
    Spawn(std::io::Error),
    #[error(transparent)]
    Station(#[from] crate::StationError),
    #[error(transparent)]
    Access(#[from] vpr_access::AccessError),
    #[error(transparent)]
    Audio(#[from] vpr_audio::AudioError),
    #[error(transparent)]
    Package(#[from] vpr_package::PackageError),
    #[error(transparent)]
    Store(#[from] vpr_store::StoreError),
    #[error(transparent)]
    Integrity(#[from] vpr_integrity::IntegrityError),
    #[error(transparent)]
    Bundle(#[from] vpr_bundle::BundleError),
    #[error(transparent)]
    Exam(#[from] vpr_exam::ExamError),
}

impl TechnicianError {
    pub fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Self + '_ {
        move |source| Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl Coded for TechnicianError {
    fn code(&self) -> &'static str {
        match self {
            Self::Locked => "technician_locked",
            Self::Invalid(_) => "technician_invalid",
            Self::AudioBusy => "audio_busy",
            Self::NoPhrase => "no_headset_phrase",
            Self::NoTrainingPackage => "no_training_package",
            Self::NotDemo(_) => "not_demo_package",
            Self::NoFolder(_) => "no_folder",
            Self::NoFile(_) => "no_file",
            Self::NothingToExport { .. } => "export_empty",
            Self::Io { .. } => "io",
            Self::TrustList { .. } => "trust_list_corrupt",
            Self::NoSuchKey(_) => "trust_no_such_key",
            Self::DemoKeyFixed => "trust_demo_key_fixed",
            Self::Spawn(_) => "spawn_failed",
            Self::Station(e) => e.code(),
            Self::Access(e) => e.code(),
            Self::Audio(e) => e.code(),
            Self::Package(e) => e.code(),
            Self::Store(e) => e.code(),
            Self::Integrity(e) => e.code(),
            Self::Bundle(e) => e.code(),
            Self::Exam(e) => e.code(),
        }
    }

    fn severity(&self) -> Severity {
        match self {
            Self::Station(e) => e.severity(),
            Self::Access(e) => e.severity(),
            Self::Audio(e) => e.severity(),
            Self::Package(e) => e.severity(),
            Self::Store(e) => e.severity(),
            Self::Integrity(e) if e.is_input_fault() => Severity::NonBlocking,
            Self::Integrity(_) => Severity::Blocking,
            Self::Bundle(e) => e.severity(),
            Self::Exam(e) => e.severity(),
            Self::NoPhrase | Self::NoTrainingPackage | Self::Spawn(_) | Self::TrustList { .. } => {
                Severity::Blocking
            }
            _ => Severity::NonBlocking,
        }
    }
}

pub type Result<T> = std::result::Result<T, TechnicianError>;
