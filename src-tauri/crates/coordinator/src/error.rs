//! The crate's error: a stable code, a Russian message, a severity.
//!
//! Messages never contain a participant's or staff member's name: they reach
//! the log, and names never leave the coordinator's database.

use serde::Serialize;
use ts_rs::TS;

/// One problem in an imported roster, located by row and column (both 1-based
/// as a spreadsheet shows them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RosterIssue {
    pub row: u32,
    pub column: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CoordinatorError {
    #[error("Неверный пароль координатора")]
    WrongPassword,
    #[error("Пароль координатора должен содержать не менее 8 символов")]
    WeakPassword,
    #[error("База координатора не найдена: сначала создайте её")]
    NotFound,
    #[error("База координатора уже существует")]
    AlreadyExists,
    #[error("База координатора создана более новой версией программы (версия схемы {found}, поддерживается {supported}); обновите программу")]
    TooNew { found: u32, supported: u32 },
    #[error(transparent)]
    Schema(vpr_sql::SqlError),
    #[error("Ошибка базы координатора: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("Ошибка чтения или записи файла: {0}")]
    Io(#[from] std::io::Error),
    #[error("Ошибка шифрования: {0}")]
    Crypto(&'static str),
    #[error("Данные координатора повреждены: {0}")]
    Corrupt(String),
    #[error("В списке участников ошибок: {}; первая — строка {}, столбец «{}»: {}", .0.len(), .0.first().map_or(0, |i| i.row), .0.first().map_or("", |i| i.column.as_str()), .0.first().map_or("", |i| i.message.as_str()))]
    Roster(Vec<RosterIssue>),
    #[error("Не найдено: {what} №{id}")]
    Missing { what: &'static str, id: i64 },
    #[error("Неверные данные: {0}")]
    Invalid(String),
    #[error("Свободные коды участников закончились")]
    CodesExhausted,
    #[error("Форму нельзя сформировать, пока не всё проверено ({} замечаний), например: {}", .0.len(), .0.first().map_or("", String::as_str))]
    FormBlocked(Vec<String>),
    #[error("Ошибка записи таблицы: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("Не удалось прочитать таблицу: {0}")]
    Spreadsheet(String),
    #[error("Не удалось сформировать PDF: {0}")]
    Pdf(String),
    #[error("Ошибка архива: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("Пакет станции отклонён: {0}")]
    BundleRejected(String),
    #[error("В подписанном пакете нет ключей и критериев (keys.json)")]
    NoKeys,
    #[error(transparent)]
    Package(#[from] vpr_package::PackageError),
    #[error("Пакет «{0}» учебный (подписан демонстрационным ключом проекта или помечен учебным в подписанном заголовке): настоящую работу по нему провести нельзя")]
    TrainingPackage(String),
    #[error(transparent)]
    Exam(#[from] vpr_exam::ExamError),
    #[error(transparent)]
    Audio(#[from] vpr_audio::AudioError),
    #[error("Ключи и критерии ещё не опубликованы для этой работы")]
    KeysNotReleased,
    #[error("Срок хранения ещё не истёк: удалить можно не раньше {0}")]
    RetentionNotDue(String),
    #[error("Удаление не подтверждено")]
    NotConfirmed,
    #[error("Файл формы «{file}»: {reason}")]
    FormTemplate { file: String, reason: String },
    #[error("Файл формы «{file}» слишком велик: {reason}")]
    FormTemplateTooLarge { file: String, reason: String },
    #[error("Файл «{0}» — книга с макросами: загрузите форму .xlsx из ФИС ОКО (без макросов)")]
    FormMacros(String),
    #[error("В форме «{file}» нужно уточнить столбцы ({}): {}", .questions.len(), .questions.first().map_or("", |q| q.message.as_str()))]
    FormQuestions {
        file: String,
        questions: Vec<crate::official_form::FormQuestion>,
    },
    #[error("В списке кодов ошибок: {}; первая — строка {}, «{}»: {}", .0.len(), .0.first().map_or(0, |i| i.row), .0.first().map_or("", |i| i.column.as_str()), .0.first().map_or("", |i| i.message.as_str()))]
    CodeList(Vec<RosterIssue>),
    #[error("Кодов из списка ФИС ОКО не хватает — {}", .0.join("; "))]
    CodesShort(Vec<String>),
    #[error("Форму нельзя записать: у участника с кодом {code} нет балла за задание {task}")]
    FormScoreMissing { code: u32, task: String },
    #[error("Код {code}, «{item}»: балл {value} вне допустимого диапазона 0–{max}")]
    PaperOutOfRange {
        code: u32,
        item: String,
        value: u32,
        max: u32,
    },
    #[error("Код {code}, «{item}»: {reason}")]
    PaperEntry {
        code: u32,
        item: String,
        reason: String,
    },
    #[error("Кто вносит результаты: {0}")]
    PaperBy(String),
    #[error("Работа на бумаге, {field}: {reason}")]
    PaperWork { field: String, reason: String },
    #[error("{0}")]
    WorkInUse(String),
}

impl vpr_error::Coded for CoordinatorError {
    fn code(&self) -> &'static str {
        match self {
            Self::WrongPassword => "coord_wrong_password",
            Self::WeakPassword => "coord_weak_password",
            Self::NotFound => "coord_not_found",
            Self::AlreadyExists => "coord_exists",
            Self::TooNew { .. } => "coord_db_too_new",
            Self::Schema(e) => vpr_error::Coded::code(e),
            Self::Db(_) => "coord_db",
            Self::Io(_) => "coord_io",
            Self::Crypto(_) => "coord_crypto",
            Self::Corrupt(_) => "coord_corrupt",
            Self::Roster(_) => "coord_roster_invalid",
            Self::Missing { .. } => "coord_missing",
            Self::Invalid(_) => "coord_invalid",
            Self::CodesExhausted => "coord_codes_exhausted",
            Self::FormBlocked(_) => "coord_form_blocked",
            Self::Xlsx(_) => "coord_xlsx",
            Self::Spreadsheet(_) => "coord_spreadsheet",
            Self::Pdf(_) => "coord_pdf",
            Self::Zip(_) => "coord_zip",
            Self::BundleRejected(_) => "coord_bundle_rejected",
            Self::KeysNotReleased => "coord_keys_not_released",
            Self::NoKeys => "coord_no_keys",
            Self::Package(e) => vpr_error::Coded::code(e),
            Self::TrainingPackage(_) => "coord_training_package",
            Self::Exam(e) => vpr_error::Coded::code(e),
            Self::Audio(e) => vpr_error::Coded::code(e),
            Self::RetentionNotDue(_) => "coord_retention_not_due",
            Self::NotConfirmed => "coord_not_confirmed",
            Self::CodeList(_) => "coord_code_list_invalid",
            Self::CodesShort(_) => "coord_codes_short",
            Self::FormTemplate { .. } => "coord_form_template",
            Self::FormTemplateTooLarge { .. } => "coord_form_template_too_large",
            Self::FormMacros(_) => "coord_form_macros",
            Self::FormQuestions { .. } => "coord_form_questions",
            Self::FormScoreMissing { .. } => "coord_form_score_missing",
            Self::PaperOutOfRange { .. } => "coord_paper_out_of_range",
            Self::PaperEntry { .. } => "coord_paper_entry",
            Self::PaperBy(_) => "coord_paper_by",
            Self::PaperWork { .. } => "coord_paper_work",
            Self::WorkInUse(_) => "coord_work_in_use",
        }
    }

    fn severity(&self) -> vpr_error::Severity {
        match self {
            Self::Exam(e) => vpr_error::Coded::severity(e),
            Self::Package(e) => vpr_error::Coded::severity(e),
            Self::Audio(e) => vpr_error::Coded::severity(e),
            Self::TooNew { .. } | Self::Corrupt(_) | Self::Crypto(_) | Self::Schema(_) => {
                vpr_error::Severity::Unrecoverable
            }
            Self::Db(_) | Self::Io(_) | Self::Xlsx(_) | Self::Pdf(_) | Self::Zip(_) => {
                vpr_error::Severity::Blocking
            }
            _ => vpr_error::Severity::NonBlocking,
        }
    }
}

pub type Result<T> = std::result::Result<T, CoordinatorError>;
