//! Organizer and technician PINs.
//!
//! A PIN is never stored: only a PBKDF2-HMAC-SHA256 hash with a random salt
//! (ring), in `access.json` in the station's data directory, written
//! atomically with owner-only permissions.
//!
//! Guessing is slowed down and shown: every attempt is counted in
//! `pin-attempts.json` (beside `access.json`, durable, shared by restarts)
//! *before* its hash is computed, so parallel calls cannot slip past the
//! count; after [`MAX_FAILURES`] wrong attempts the role is locked, first for
//! [`LOCKOUT`], then twice as long after each further lockout (up to
//! [`MAX_LOCKOUT`]). The first lockout raises a [`PinAlert`] that stays until
//! the organizer clears it with the organizer PIN. A counter file that cannot
//! be read refuses every PIN (fail closed) until a PIN is set again.

mod attempts;
mod file;
mod pin;

use std::time::Duration;

pub use attempts::{PinAlert, ATTEMPTS_FILE};
pub use file::AccessStore;
pub use pin::{trivial, PinHash, PinRole, MAX_LEN, MIN_LEN};

/// Wrong attempts in a row before the role is locked for a while.
pub const MAX_FAILURES: u32 = 5;
/// How long a role stays locked after its first lockout; doubled after each further one.
pub const LOCKOUT: Duration = Duration::from_secs(30);
/// The longest lockout.
pub const MAX_LOCKOUT: Duration = Duration::from_secs(15 * 60);

/// How long the `n`-th lockout in a row (1-based) lasts: 30 s, 60 s, 120 s … 15 min.
pub fn lockout_for(n: u32) -> Duration {
    let doublings = n.saturating_sub(1).min(16);
    LOCKOUT.saturating_mul(1 << doublings).min(MAX_LOCKOUT)
}

#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error("PIN должен состоять из 6–8 цифр")]
    BadFormat,
    #[error("PIN слишком простой ({0}). Нельзя: одну цифру подряд (111111), цифры по порядку вверх или вниз (123456, 987654), год 19xx или 20xx в последних четырёх цифрах (…1987, …2024)")]
    Trivial(&'static str),
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
    #[error("Счётчик попыток ввода PIN ({path}) повреждён или недоступен: вход по PIN закрыт. Технический специалист задаёт PIN заново командой «vpr pin set» ({detail})")]
    AttemptsUnreadable {
        path: std::path::PathBuf,
        detail: String,
    },
}

impl vpr_error::Coded for AccessError {
    fn code(&self) -> &'static str {
        match self {
            Self::BadFormat => "pin_bad_format",
            Self::Trivial(_) => "pin_trivial",
            Self::NotSet(_) => "pin_not_set",
            Self::Wrong => "pin_wrong",
            Self::Locked(_) => "pin_locked",
            Self::Io(_) => "access_io",
            Self::Corrupt(_) => "access_corrupt",
            Self::AttemptsUnreadable { .. } => "pin_attempts_corrupt",
        }
    }

    fn severity(&self) -> vpr_error::Severity {
        match self {
            Self::Io(_) | Self::Corrupt(_) | Self::AttemptsUnreadable { .. } => {
                vpr_error::Severity::Blocking
            }
            _ => vpr_error::Severity::NonBlocking,
        }
    }
}

pub type Result<T> = std::result::Result<T, AccessError>;
