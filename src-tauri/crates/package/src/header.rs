//! The plain header: what the package is and when it may be opened.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use ts_rs::TS;

time::serde::format_description!(date_format, Date, "[year]-[month]-[day]");

/// What the issuer says about a package (chosen when building it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PackageMeta {
    /// Issuer's identifier of the package, e.g. `2026-eng-7-000123`
    /// (ASCII letters, digits, `.`, `_`, `-`; it names the package's folder).
    pub package_id: String,
    /// Human title, e.g. «Английский язык, 7 класс».
    pub title: String,
    /// School (ОО) the variants were generated for.
    pub school: String,
    /// Subject, e.g. «Английский язык».
    pub subject: String,
    /// Grade: 7 or 11 in practice.
    pub grade: u8,
    /// Language code of the work: `en`, `de`, `fr`.
    pub language: String,
    /// Exam day, `YYYY-MM-DD`.
    #[serde(with = "date_format")]
    #[ts(type = "string")]
    pub exam_date: Date,
    /// When the day password may open the materials (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    #[ts(type = "string")]
    pub materials_release: OffsetDateTime,
    /// When keys and criteria may be opened (RFC 3339; 14:00 Moscow time).
    #[serde(with = "time::serde::rfc3339")]
    #[ts(type = "string")]
    pub keys_release: OffsetDateTime,
    /// A demonstration/training package, not a real exam.
    pub demo: bool,
}

/// The header as stored in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PackageHeader {
    pub format_version: u16,
    /// SHA-256 of the issuer's Ed25519 public key, hex.
    pub issuer_fingerprint: String,
    /// When the issuer built the file (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    #[ts(type = "string")]
    pub created: OffsetDateTime,
    #[serde(flatten)]
    pub meta: PackageMeta,
}

const MAX_TEXT: usize = 500;

/// Why package metadata cannot be used (the text names the field).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct MetaProblem(pub String);

impl PackageMeta {
    /// Fields a station relies on are present and sane.
    /// The first problem of the metadata, if any.
    fn problem(&self) -> Option<String> {
        for (name, value) in [
            ("package_id", &self.package_id),
            ("title", &self.title),
            ("school", &self.school),
            ("subject", &self.subject),
            ("language", &self.language),
        ] {
            if value.trim().is_empty() {
                return Some(format!("не заполнено поле {name}"));
            }
            if value.chars().count() > MAX_TEXT || value.chars().any(char::is_control) {
                return Some(format!("недопустимое значение поля {name}"));
            }
        }
        let id_ok = self.package_id.len() <= 64
            && !self.package_id.starts_with('.')
            && self
                .package_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if !id_ok {
            return Some(
                "идентификатор пакета: до 64 латинских букв, цифр, «.», «_», «-»".to_owned(),
            );
        }
        if !(1..=11).contains(&self.grade) {
            return Some(format!("недопустимый класс {}", self.grade));
        }
        if self.keys_release < self.materials_release {
            return Some("ключи открываются раньше материалов".to_owned());
        }
        None
    }

    /// Fields a station relies on are present and sane.
    pub(crate) fn check(&self) -> Result<(), MetaProblem> {
        self.problem().map_or(Ok(()), |p| Err(MetaProblem(p)))
    }
}
