//! Where record timestamps come from: injectable so tests are deterministic.

use std::sync::Mutex;

use time::{format_description::well_known::Rfc3339, Duration, OffsetDateTime, UtcOffset};

use crate::{Result, StoreError};

pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

/// The system's wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A clock that starts at a fixed time and advances by `step` on each read.
#[derive(Debug)]
pub struct FixedClock {
    next: Mutex<OffsetDateTime>,
    step: Duration,
}

impl FixedClock {
    pub fn new(start: OffsetDateTime, step: Duration) -> Self {
        Self {
            next: Mutex::new(start),
            step,
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        let now = *next;
        *next = now + self.step;
        now
    }
}

/// RFC 3339 in UTC with millisecond precision, e.g. `2026-04-15T09:00:00.250Z`.
pub fn format_at(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    let t = t
        .replace_nanosecond(t.millisecond() as u32 * 1_000_000)
        .unwrap_or(t);
    t.format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_string())
}

pub fn parse_at(s: &str) -> Result<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(|_| StoreError::Corrupt(format!("время {s:?}")))
}
