//! Exam package model, validation and the session state machine.
//!
//! - [`Package`] (`package.json` + media) and [`Keys`] (`keys.json`), loaded and validated
//!   by [`Package::load_dir`] and [`Keys::load_dir`];
//! - [`media`]: every track (MP3, OGG, FLAC, WAV) and photo (JPEG, PNG, SVG) a package names,
//!   checked by decoding it;
//! - [`score_closed`]: auto-scoring of closed items;
//! - [`session::Session`]: the student's work as a state machine driven by actions and
//!   `tick()`, persisting through a [`session::Journal`] the shell implements.

pub mod keys;
pub mod load;
pub mod media;
pub mod model;
pub mod session;

pub mod validate;
pub mod validate_kinds;

pub use keys::{
    normalize, score_closed, task_score_from_criteria, Answers, CaseRule, Criterion,
    CriterionLevel, ItemKey, Keys, TaskScore,
};
pub use model::*;
pub use validate::{is_code, Problem};

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
pub enum ExamError {
    #[error("Не удалось прочитать файл {file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("Файл {file}: поле {path}: {message}")]
    Syntax {
        file: String,
        path: String,
        message: String,
    },
    #[error("Файл {file} содержит ошибки: {}", join(.problems))]
    Invalid {
        file: String,
        problems: Vec<Problem>,
    },
    #[error("В пакете нет варианта {0}")]
    UnknownVariant(u32),
    #[error("В пакете нет адаптированной версии «{0}»")]
    UnknownAdaptation(String),
    #[error("Нет ключей к заданию {0}")]
    MissingKeys(u32),
    #[error("Код участника — 5 цифр")]
    BadCode,
    #[error("Код {0} не входит в список участников этой работы")]
    UnknownCode(String),
    #[error("Сейчас это действие недоступно ({0})")]
    NotNow(&'static str),
    #[error("Запись прослушана установленное число раз ({0})")]
    PlaysExhausted(u32),
    #[error("Запись уже звучит")]
    AlreadyPlaying,
    #[error("Ответ на это задание уже записан; повторная запись невозможна")]
    AlreadyRecorded,
    #[error("В задании нет пункта «{0}»")]
    UnknownItem(String),
    #[error("Нет фотографии номер {0}")]
    UnknownPhoto(u32),
    #[error("Ответ слишком длинный")]
    AnswerTooLong,
    #[error("Сначала нужно пройти проверку гарнитуры")]
    HeadsetNotChecked,
    #[error("Работа завершена")]
    Closed,
    #[error("Не удалось сохранить ход работы: {0}")]
    Journal(String),
    #[error("Сохранённое состояние работы не подходит к этому пакету: {0}")]
    BadCheckpoint(String),
    #[error(transparent)]
    Media(#[from] media::MediaError),
}

fn join(problems: &[Problem]) -> String {
    const SHOWN: usize = 10;
    let mut s = problems
        .iter()
        .take(SHOWN)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    if problems.len() > SHOWN {
        s.push_str(&format!("; и ещё {}", problems.len() - SHOWN));
    }
    s
}

impl vpr_error::Coded for ExamError {
    fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } => "exam_io",
            Self::Syntax { .. } => "exam_package_syntax",
            Self::Invalid { .. } => "exam_package_invalid",
            Self::UnknownVariant(_) => "exam_unknown_variant",
            Self::UnknownAdaptation(_) => "exam_unknown_adaptation",
            Self::MissingKeys(_) => "exam_missing_keys",
            Self::BadCode => "exam_bad_code",
            Self::UnknownCode(_) => "exam_unknown_code",
            Self::NotNow(_) => "exam_not_now",
            Self::PlaysExhausted(_) => "exam_plays_exhausted",
            Self::AlreadyPlaying => "exam_already_playing",
            Self::AlreadyRecorded => "exam_already_recorded",
            Self::UnknownItem(_) => "exam_unknown_item",
            Self::UnknownPhoto(_) => "exam_unknown_photo",
            Self::AnswerTooLong => "exam_answer_too_long",
            Self::HeadsetNotChecked => "exam_headset_not_checked",
            Self::Closed => "exam_closed",
            Self::Journal(_) => "exam_journal",
            Self::BadCheckpoint(_) => "exam_bad_checkpoint",
            Self::Media(e) => vpr_error::Coded::code(e),
        }
    }

    fn severity(&self) -> vpr_error::Severity {
        use vpr_error::Severity;
        match self {
            Self::Journal(_) => Severity::Unrecoverable,
            Self::Io { .. }
            | Self::Syntax { .. }
            | Self::Invalid { .. }
            | Self::UnknownVariant(_)
            | Self::MissingKeys(_)
            | Self::BadCheckpoint(_) => Severity::Blocking,
            Self::Media(e) => vpr_error::Coded::severity(e),
            _ => Severity::NonBlocking,
        }
    }
}

impl ExamError {
    /// The problems found by validation (empty for other errors).
    pub fn problems(&self) -> &[Problem] {
        match self {
            Self::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

pub type Result<T> = std::result::Result<T, ExamError>;
