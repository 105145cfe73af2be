//! `pin-attempts.json`: wrong-PIN counters, lockouts and the organizer's
//! alert, beside `access.json`. Read and written on every attempt, so a
//! restart continues where the last run stopped; unreadable means closed.

use std::{
    collections::HashMap,
    fs,
    io::Read,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};

use crate::{file::write_atomically, lockout_for, AccessError, PinRole, Result, MAX_FAILURES};

/// The counter file's name in the station's data directory.
pub const ATTEMPTS_FILE: &str = "pin-attempts.json";
/// A counter file is a few hundred bytes; anything larger is not ours.
const MAX_FILE_BYTES: u64 = 64 * 1024;

/// One role's wrong attempts.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleAttempts {
    /// Attempts counted since the last lockout or success.
    failures: u32,
    /// Lockouts in a row without a right PIN in between.
    lockouts: u32,
    /// When the current lockout began (Unix seconds), if one is running.
    locked_at: Option<u64>,
    locked_secs: u64,
}

/// Why the organizer is warned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertReason {
    /// A role was locked after too many wrong PINs.
    Lockout,
    /// The counter file was unreadable and a PIN was set again (counters restarted).
    CounterReset,
    /// The counter file cannot be read now: every PIN is refused.
    CounterUnreadable,
}

/// The persistent warning for the organizer: someone may be guessing PINs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinAlert {
    pub reason: AlertReason,
    /// The role locked last.
    pub role: Option<PinRole>,
    /// Lockouts since the alert was last cleared.
    pub lockouts: u32,
    /// When it was raised or last extended (Unix seconds).
    pub at: u64,
}

impl PinAlert {
    /// The station's Russian text for the organizer.
    pub fn message_ru(&self) -> String {
        let tail = "Предупреждение снимает только организатор своим PIN (кнопка «Организатор»).";
        match (self.reason, self.role) {
            (AlertReason::Lockout, Some(role)) => format!(
                "PIN {} много раз введён неверно, вход был заблокирован (блокировок: {}). Возможна попытка подбора PIN. {tail}",
                role.name_ru(),
                self.lockouts
            ),
            (AlertReason::Lockout, None) => {
                format!("PIN много раз введён неверно. Возможна попытка подбора PIN. {tail}")
            }
            (AlertReason::CounterReset, _) => format!(
                "Счётчик неверных попыток ввода PIN был повреждён и начат заново при смене PIN. {tail}"
            ),
            (AlertReason::CounterUnreadable, _) => "Счётчик попыток ввода PIN повреждён: вход по PIN закрыт. Технический специалист задаёт PIN заново командой «vpr pin set».".to_owned(),
        }
    }
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Attempts {
    #[serde(default)]
    roles: HashMap<PinRole, RoleAttempts>,
    #[serde(default)]
    alert: Option<PinAlert>,
}

/// What counting one attempt decided.
pub(crate) enum Counted {
    /// Still locked: seconds left; the PIN is not checked.
    Locked(u64),
    /// Counted; when this attempt started a lockout, its length in seconds.
    Go { started_lockout: Option<u64> },
}

impl Attempts {
    pub(crate) fn path(dir: &Path) -> PathBuf {
        dir.join(ATTEMPTS_FILE)
    }

    /// Read the counters; a missing file is a fresh start, anything
    /// unreadable is an error (the caller refuses the PIN).
    pub(crate) fn load(path: &Path) -> Result<Self> {
        let unreadable = |detail: String| AccessError::AttemptsUnreadable {
            path: path.to_path_buf(),
            detail,
        };
        let file = match fs::File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(unreadable(e.to_string())),
        };
        let mut bytes = Vec::new();
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| unreadable(e.to_string()))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(unreadable(format!("больше {MAX_FILE_BYTES} байт")));
        }
        serde_json::from_slice(&bytes).map_err(|e| unreadable(e.to_string()))
    }

    pub(crate) fn save(&self, path: &Path) -> Result<()> {
        let bytes =
            serde_json::to_vec_pretty(self).map_err(|e| AccessError::Corrupt(e.to_string()))?;
        write_atomically(path, &bytes)
    }

    /// Count one attempt of `role` at `now` (Unix seconds), before its hash
    /// is checked. Returns whether the file changed with the decision.
    pub(crate) fn count(&mut self, role: PinRole, now: u64) -> (Counted, bool) {
        let r = self.roles.entry(role).or_default();
        if let Some(at) = r.locked_at {
            if now < at {
                // The clock went back: the lockout starts again from now.
                r.locked_at = Some(now);
                return (Counted::Locked(r.locked_secs.max(1)), true);
            }
            let end = at.saturating_add(r.locked_secs);
            if now < end {
                return (Counted::Locked(end - now), false);
            }
            r.locked_at = None;
        }
        r.failures += 1;
        if r.failures < MAX_FAILURES {
            return (
                Counted::Go {
                    started_lockout: None,
                },
                true,
            );
        }
        r.failures = 0;
        r.lockouts = r.lockouts.saturating_add(1);
        let secs = lockout_for(r.lockouts).as_secs();
        r.locked_at = Some(now);
        r.locked_secs = secs;
        let lockouts = match &self.alert {
            Some(a) if a.reason == AlertReason::Lockout => a.lockouts.saturating_add(1),
            _ => 1,
        };
        tracing::warn!(?role, lockouts, secs, "too many wrong PINs: role locked");
        self.alert = Some(PinAlert {
            reason: AlertReason::Lockout,
            role: Some(role),
            lockouts,
            at: now,
        });
        (
            Counted::Go {
                started_lockout: Some(secs),
            },
            true,
        )
    }

    /// The right PIN: the role starts afresh (the alert stays).
    pub(crate) fn succeeded(&mut self, role: PinRole) {
        self.roles.remove(&role);
    }

    pub(crate) fn alert(&self) -> Option<&PinAlert> {
        self.alert.as_ref()
    }

    pub(crate) fn clear_alert(&mut self) {
        self.alert = None;
    }

    /// Counters restarted after an unreadable file: the organizer is told.
    pub(crate) fn restarted(now: u64) -> Self {
        Self {
            roles: HashMap::new(),
            alert: Some(PinAlert {
                reason: AlertReason::CounterReset,
                role: None,
                lockouts: 0,
                at: now,
            }),
        }
    }
}
