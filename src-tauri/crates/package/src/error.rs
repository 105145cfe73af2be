//! What can go wrong with a package, one variant per cause.

use std::{fmt, path::PathBuf};

/// The thing that was too large.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeItem {
    File,
    Header,
    Materials,
    Keys,
    FileCount,
    OneFile,
    Unpacked,
    PathLength,
}

impl fmt::Display for SizeItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::File => "файл пакета",
            Self::Header => "заголовок пакета",
            Self::Materials => "зашифрованные материалы",
            Self::Keys => "зашифрованные ключи и критерии",
            Self::FileCount => "число файлов",
            Self::OneFile => "один из файлов",
            Self::Unpacked => "общий объём файлов",
            Self::PathLength => "длина имени файла",
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("Это не пакет заданий ВПР (.vprpkg)")]
    NotAPackage,
    #[error("Файл пакета неполный (обрезан): скопируйте пакет заново")]
    Truncated,
    #[error(
        "Версия формата пакета {found} не поддерживается (программа читает версию {supported}): \
         обновите программу или получите пакет нужной версии"
    )]
    UnknownVersion { found: u16, supported: u16 },
    #[error("Пакет отклонён: {what} — {size} при допустимых {limit}")]
    TooLarge {
        what: SizeItem,
        size: u64,
        limit: u64,
    },
    #[error("У пакета нет подписи выдавшей организации: такой пакет не принимается")]
    MissingSignature,
    #[error("Подпись пакета не сходится: файл изменён или повреждён, пакет не принимается")]
    BadSignature,
    #[error("После подписи в файле пакета есть лишние данные: файл изменён, пакет не принимается")]
    TrailingData,
    #[error(
        "Пакет подписан организацией, которой эта станция не доверяет (отпечаток ключа {fingerprint}): \
         пакет не принимается"
    )]
    UntrustedIssuer { fingerprint: String },
    #[error("Заголовок пакета повреждён: {0}")]
    BadHeader(String),
    #[error("Неверный пароль дня: проверьте раскладку клавиатуры и повторите")]
    WrongPassword,
    #[error("Неверный пароль к ключам и критериям оценивания")]
    WrongKeysPassword,
    #[error("Материалы этого пакета можно открыть не раньше {release} (московское время)")]
    NotYetReleased { release: String },
    #[error("Ключи и критерии оценивания будут доступны не раньше {release} (московское время)")]
    KeysNotYetReleased { release: String },
    #[error("Содержимое пакета повреждено: {0}")]
    BadArchive(String),
    #[error("Недопустимое имя файла в пакете: «{0}»")]
    UnsafePath(String),
    #[error("Папка {} уже существует и не пуста: пакет в неё не распакован", .0.display())]
    TargetExists(PathBuf),
    #[error("Пакет «{0}» не загружен на эту станцию")]
    NotLoaded(String),
    #[error("Пароль не может быть пустым")]
    EmptyPassword,
    #[error("Пароль дня и пароль к ключам должны различаться")]
    SamePasswords,
    #[error("Ключ выдавшей организации не подходит: {0}")]
    BadIssuerKey(String),
    #[error("Папка с исходными файлами пакета не подходит: {0}")]
    BadSource(String),
    #[error("Материалы пакета не читаются: {0}")]
    BadMaterials(String),
    #[error(
        "Подписанный заголовок пакета не совпадает с его материалами (package.json): \
         {field} — в заголовке «{header}», в материалах «{materials}». Пакет не распакован"
    )]
    MaterialsMismatch {
        field: &'static str,
        header: String,
        materials: String,
    },
    #[error(
        "{flag} «{given}» не совпадает с материалами (package.json: «{materials}»): \
         заголовок пакета берётся из материалов, параметр может только подтвердить его"
    )]
    ClaimMismatch {
        flag: &'static str,
        given: String,
        materials: String,
    },
    #[error(
        "Слишком слабый {which}: около {bits} бит при необходимых 70 ({reason}). \
         Пусть пароль создаст программа (не указывайте его) или возьмите длиннее и разнообразнее"
    )]
    WeakPassword {
        which: &'static str,
        bits: u32,
        reason: String,
    },
    #[error("Ошибка чтения или записи {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("Сбой криптографической библиотеки")]
    Crypto,
}

impl PackageError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { path, source }
    }
}

impl vpr_error::Coded for PackageError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotAPackage => "package_not_a_package",
            Self::Truncated => "package_truncated",
            Self::UnknownVersion { .. } => "package_unknown_version",
            Self::TooLarge { .. } => "package_too_large",
            Self::MissingSignature => "package_missing_signature",
            Self::BadSignature => "package_bad_signature",
            Self::TrailingData => "package_trailing_data",
            Self::UntrustedIssuer { .. } => "package_untrusted_issuer",
            Self::BadHeader(_) => "package_bad_header",
            Self::WrongPassword => "package_wrong_password",
            Self::WrongKeysPassword => "package_wrong_keys_password",
            Self::NotYetReleased { .. } => "package_not_released",
            Self::KeysNotYetReleased { .. } => "package_keys_not_released",
            Self::BadArchive(_) => "package_bad_archive",
            Self::UnsafePath(_) => "package_unsafe_path",
            Self::TargetExists(_) => "package_target_exists",
            Self::NotLoaded(_) => "package_not_loaded",
            Self::EmptyPassword => "package_empty_password",
            Self::SamePasswords => "package_same_passwords",
            Self::BadIssuerKey(_) => "package_bad_issuer_key",
            Self::BadSource(_) => "package_bad_source",
            Self::BadMaterials(_) => "package_bad_materials",
            Self::MaterialsMismatch { .. } => "package_materials_mismatch",
            Self::ClaimMismatch { .. } => "package_claim_mismatch",
            Self::WeakPassword { .. } => "package_weak_password",
            Self::Io { .. } => "package_io",
            Self::Crypto => "package_crypto",
        }
    }

    fn severity(&self) -> vpr_error::Severity {
        match self {
            // The technician retypes the password or waits for the release time.
            Self::WrongPassword
            | Self::WrongKeysPassword
            | Self::NotYetReleased { .. }
            | Self::KeysNotYetReleased { .. }
            | Self::EmptyPassword
            | Self::SamePasswords
            | Self::WeakPassword { .. } => vpr_error::Severity::NonBlocking,
            // Another file, another folder or another drive is needed.
            _ => vpr_error::Severity::Blocking,
        }
    }
}

pub type Result<T> = std::result::Result<T, PackageError>;
