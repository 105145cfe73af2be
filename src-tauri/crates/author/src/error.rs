//! Everything that can go wrong in the author's workspace, one variant per cause.

use std::path::PathBuf;

use crate::problems::AuthorProblem;

#[derive(Debug, thiserror::Error)]
pub enum AuthorError {
    #[error("Ошибка чтения или записи {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("Папка {} уже существует и не пуста: новая работа в ней не создана", .0.display())]
    NotEmpty(PathBuf),
    #[error("В папке {} нет работы (нет файла package.json)", .0.display())]
    NotAWork(PathBuf),
    #[error("Файл {file} слишком большой: {size} байт при допустимых {max}")]
    TooLarge { file: String, size: u64, max: u64 },
    #[error("Файл {file} не читается как работа: поле {path}: {message}")]
    Unreadable {
        file: String,
        path: String,
        message: String,
    },
    #[error("Поле «{path}» не найдено: {reason}")]
    BadPath { path: String, reason: String },
    #[error("Значение поля «{path}» не подходит, правка не сохранена: {message}")]
    BadValue { path: String, message: String },
    #[error("Класс {0}: шаблон письменной работы ВПР — для 4–8 классов")]
    BadGrade(u32),
    #[error("Идентификатор работы «{0}»: только строчные латинские буквы, цифры и «-»")]
    BadId(String),
    #[error("Неизвестный шаблон «{0}»: vpr7, vpr-written, oge-oral, ege-oral или empty")]
    UnknownTemplate(String),
    #[error("Неизвестный вид задания «{0}»")]
    UnknownKind(String),
    #[error("В работе нет варианта {0}")]
    NoVariant(u32),
    #[error("В варианте нет задания {0}")]
    NoTask(u32),
    #[error("Последнее задание варианта удалить нельзя")]
    LastTask,
    #[error("Имя файла «{0}»: только латинские буквы, цифры, «-», «_» и «.», с расширением звука или фотографии")]
    BadMediaName(String),
    #[error("{0}")]
    BadMedia(#[source] vpr_exam::media::MediaError),
    #[error("Работу нельзя собрать, пока в ней есть ошибки ({}): {}", .0.len(), list(.0))]
    HasProblems(Vec<AuthorProblem>),
    #[error("Ключ школы ещё не создан: создайте его на вкладке «Ключ школы»")]
    NoSchoolKey,
    #[error(transparent)]
    Package(#[from] vpr_package::PackageError),
}

fn list(problems: &[AuthorProblem]) -> String {
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

impl AuthorError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { path, source }
    }
}

impl vpr_error::Coded for AuthorError {
    fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } => "author_io",
            Self::NotEmpty(_) => "author_not_empty",
            Self::NotAWork(_) => "author_not_a_work",
            Self::TooLarge { .. } => "author_too_large",
            Self::Unreadable { .. } => "author_unreadable",
            Self::BadPath { .. } => "author_bad_path",
            Self::BadValue { .. } => "author_bad_value",
            Self::BadGrade(_) => "author_bad_grade",
            Self::BadId(_) => "author_bad_id",
            Self::UnknownTemplate(_) => "author_unknown_template",
            Self::UnknownKind(_) => "author_unknown_kind",
            Self::NoVariant(_) => "author_no_variant",
            Self::NoTask(_) => "author_no_task",
            Self::LastTask => "author_last_task",
            Self::BadMediaName(_) => "author_bad_media_name",
            Self::BadMedia(_) => "author_bad_media",
            Self::HasProblems(_) => "author_has_problems",
            Self::NoSchoolKey => "author_no_school_key",
            Self::Package(e) => vpr_error::Coded::code(e),
        }
    }

    fn severity(&self) -> vpr_error::Severity {
        match self {
            // The disk or the folder is the trouble: someone must look at it.
            Self::Io { .. } | Self::NotAWork(_) | Self::Unreadable { .. } => {
                vpr_error::Severity::Blocking
            }
            Self::Package(e) => vpr_error::Coded::severity(e),
            // The author corrects the value, the file or the name and goes on.
            _ => vpr_error::Severity::NonBlocking,
        }
    }
}

pub type Result<T> = std::result::Result<T, AuthorError>;
