//! Where the session's time comes from: injectable so tests run in milliseconds.

use std::{
    sync::{Arc, Mutex},
    time::{Instant, SystemTime, UNIX_EPOCH},
};

/// A source of time.
pub trait Clock {
    /// Monotonic milliseconds from any origin; only differences within one run are used.
    fn monotonic_ms(&self) -> u64;
    /// Wall-clock Unix milliseconds, for the log and for measuring downtime across a restart.
    fn wall_ms(&self) -> i64;
}

/// The real clock.
#[derive(Debug, Clone)]
pub struct SystemClock {
    origin: Instant,
}

impl SystemClock {
    pub fn new() -> Self {
        Self {
            origin: Instant::now(),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for SystemClock {
    fn monotonic_ms(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn wall_ms(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }
}

/// A clock moved by hand (tests, simulations). Clones share the same time.
#[derive(Debug, Clone, Default)]
pub struct ManualClock {
    inner: Arc<Mutex<(u64, i64)>>,
}

impl ManualClock {
    /// Start at monotonic 0 and the given wall time.
    pub fn new(wall_ms: i64) -> Self {
        Self {
            inner: Arc::new(Mutex::new((0, wall_ms))),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (u64, i64)> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Let `ms` pass (both clocks move).
    pub fn advance(&self, ms: u64) {
        let mut t = self.lock();
        t.0 = t.0.saturating_add(ms);
        t.1 = t.1.saturating_add(i64::try_from(ms).unwrap_or(i64::MAX));
    }

    /// A restart: the monotonic clock starts again from 0 after `down_ms` of wall time.
    pub fn restart_after(&self, down_ms: u64) {
        let mut t = self.lock();
        t.0 = 0;
        t.1 =
            t.1.saturating_add(i64::try_from(down_ms).unwrap_or(i64::MAX));
    }
}

impl Clock for ManualClock {
    fn monotonic_ms(&self) -> u64 {
        self.lock().0
    }

    fn wall_ms(&self) -> i64 {
        self.lock().1
    }
}
