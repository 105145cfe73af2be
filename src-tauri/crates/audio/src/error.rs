//! The audio engine's errors: a stable code for the UI, a Russian message for the person.

use std::path::PathBuf;

use vpr_error::{Coded, Severity};

use crate::RecordingResult;

#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("Микрофон не найден. Подключите гарнитуру и проверьте, что звук в системе работает")]
    NoInputDevice(#[source] Option<cpal::Error>),
    #[error("Наушники или колонки не найдены. Подключите гарнитуру и проверьте, что звук в системе работает")]
    NoOutputDevice(#[source] Option<cpal::Error>),
    #[error("Звуковое устройство занято другой программой. Закройте её и повторите")]
    DeviceBusy(#[source] cpal::Error),
    #[error("Звуковое устройство отключилось во время работы. Проверьте подключение гарнитуры")]
    DeviceLost {
        /// What was saved before the device went away (the file is finalised and valid).
        partial: Option<Box<RecordingResult>>,
    },
    #[error(
        "Выбранное звуковое устройство «{0}» не найдено. Выберите другое в настройках станции"
    )]
    UnknownDevice(String),
    #[error("Звуковое устройство не поддерживает нужный формат записи или воспроизведения")]
    UnsupportedFormat(#[source] cpal::Error),
    #[error("Ошибка звуковой системы")]
    Backend(#[source] cpal::Error),
    #[error("Не удалось прочитать звуковой файл {0}")]
    Decode(PathBuf, #[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("Файл {0} не является записью WAV, которую можно восстановить")]
    BadWav(PathBuf, &'static str),
    #[error("Запись уже идёт")]
    AlreadyRecording,
    #[error("Звуковая система не ответила вовремя")]
    Timeout,
    #[error("Записанный файл {0} не совпадает с записанными данными: диск мог быть повреждён")]
    HashMismatch(PathBuf),
    #[error("Не удалось прочитать или записать файл: {0}")]
    Io(#[from] std::io::Error),
    #[error("Не удалось записать или прочитать файл WAV")]
    Wav(#[from] hound::Error),
    #[error("Файл настроек звука повреждён")]
    Settings(#[from] serde_json::Error),
    #[error("Замер потери звука при аварии не удался: {0}")]
    CrashProbe(String),
}

impl Coded for AudioError {
    fn code(&self) -> &'static str {
        match self {
            Self::NoInputDevice(_) => "audio_no_input",
            Self::NoOutputDevice(_) => "audio_no_output",
            Self::DeviceBusy(_) => "audio_device_busy",
            Self::DeviceLost { .. } => "audio_device_lost",
            Self::UnknownDevice(_) => "audio_unknown_device",
            Self::UnsupportedFormat(_) => "audio_unsupported_format",
            Self::Backend(_) => "audio_backend",
            Self::Decode(..) => "audio_decode",
            Self::BadWav(..) => "audio_bad_wav",
            Self::AlreadyRecording => "audio_already_recording",
            Self::Timeout => "audio_timeout",
            Self::HashMismatch(_) => "audio_hash_mismatch",
            Self::Io(_) => "audio_io",
            Self::Wav(_) => "audio_wav",
            Self::Settings(_) => "audio_settings",
            Self::CrashProbe(_) => "audio_crash_probe",
        }
    }

    fn severity(&self) -> Severity {
        match self {
            Self::AlreadyRecording | Self::Decode(..) | Self::BadWav(..) => Severity::NonBlocking,
            Self::HashMismatch(_) | Self::Io(_) | Self::Wav(_) => Severity::Unrecoverable,
            _ => Severity::Blocking,
        }
    }
}

pub type Result<T> = std::result::Result<T, AudioError>;

impl AudioError {
    /// Classify a cpal error met while opening an input device.
    pub(crate) fn from_input(e: cpal::Error) -> Self {
        Self::classify(e, true)
    }

    /// Classify a cpal error met while opening an output device.
    pub(crate) fn from_output(e: cpal::Error) -> Self {
        Self::classify(e, false)
    }

    fn classify(e: cpal::Error, input: bool) -> Self {
        use cpal::ErrorKind as K;
        match e.kind() {
            K::DeviceBusy => Self::DeviceBusy(e),
            K::DeviceNotAvailable | K::HostUnavailable | K::PermissionDenied => {
                if input {
                    Self::NoInputDevice(Some(e))
                } else {
                    Self::NoOutputDevice(Some(e))
                }
            }
            K::UnsupportedConfig | K::UnsupportedOperation => Self::UnsupportedFormat(e),
            _ => Self::Backend(e),
        }
    }
}
