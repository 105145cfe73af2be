//! Organizer and technician PINs.
//!
//! A PIN is never stored: only a PBKDF2-HMAC-SHA256 hash with a random salt
//! (ring), in `access.json` in the station's data directory, written
//! atomically with owner-only permissions. Wrong PINs are counted and, after
//! [`MAX_FAILURES`] in a row, the role is locked for [`LOCKOUT`].

mod file;
mod pin;

use std::time::Duration;

pub use file::AccessStore;
pub use pin::{PinHash, PinRole};

/// Wrong attempts in a row before the role is locked for a while.
pub const MAX_FAILURES: u32 = 5;
/// How long a role stays locked after too many wrong PINs.
pub const LOCKOUT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error("PIN должен состоять из 4–8 цифр")]
    BadFormat,
    #[error("PIN ещё не задан: его задаёт технический специалист при настройке станции")]
    NotSet(PinRole),
    #[error("Неверный PIN")]
    Wrong,
    #[error("Слишком много неверных попыток. Повторите через {0} с")]
    Locked(u64),
    #[error("Не удалось прочитать или сохранить настройки доступа: {0}")]
    Io(#[from] std::io::Error),
    #[error("Файл настроек доступа повреждён: {0}")]
    Corrupt(String),
}

impl vpr_error::Coded for AccessError {
    fn code(&self) -> &'static str {
        match self {
            Self::BadFormat => "pin_bad_format",
            Self::NotSet(_) => "pin_not_set",
            Self::Wrong => "pin_wrong",
            Self::Locked(_) => "pin_locked",
            Self::Io(_) => "access_io",
            Self::Corrupt(_) => "access_corrupt",
        }
    }

    fn severity(&self) -> vpr_error::Severity {
        match self {
            Self::Io(_) | Self::Corrupt(_) => vpr_error::Severity::Blocking,
            _ => vpr_error::Severity::NonBlocking,
        }
    }
}

pub type Result<T> = std::result::Result<T, AccessError>;
