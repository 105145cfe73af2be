//! Where the session's time comes from: injectable so tests run in milliseconds.
//!
//! The work clock must not stop while the machine sleeps: a student who
//! suspends the station (power key, lid) must not win time. So the session
//! charges [`Clock::monotonic_ms`], which on Linux is `CLOCK_BOOTTIME`
//! (it counts suspended time too), and compares it with
//! [`Clock::awake_ms`] (`CLOCK_MONOTONIC`, which stops in a suspend) to tell
//! a suspend from a stall.

use std::{
    sync::{Arc, Mutex},
    time::{Instant, SystemTime, UNIX_EPOCH},
};

/// A source of time.
pub trait Clock {
    /// Monotonic milliseconds from any origin that keep counting while the
    /// machine is suspended; only differences within one run are used.
    fn monotonic_ms(&self) -> u64;
    /// Monotonic milliseconds that stop while the machine is suspended
    /// (the same origin is not required). By default the same as [`Clock::monotonic_ms`].
    fn awake_ms(&self) -> u64 {
        self.monotonic_ms()
    }
    /// Wall-clock Unix milliseconds, for the log and for measuring downtime across a restart.
    fn wall_ms(&self) -> i64;
}

/// The real clock.
#[derive(Debug, Clone)]
pub struct SystemClock {
    origin: Instant,
    boot_origin: u64,
}

/// `CLOCK_BOOTTIME` in milliseconds (Linux); elsewhere the awake clock.
#[cfg(target_os = "linux")]
fn boottime_ms() -> Option<u64> {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::Boottime);
    let secs = u64::try_from(t.tv_sec).ok()?;
    let nanos = u64::try_from(t.tv_nsec).ok()?;
    secs.checked_mul(1000)?.checked_add(nanos / 1_000_000)
}

#[cfg(not(target_os = "linux"))]
fn boottime_ms() -> Option<u64> {
    None
}

impl SystemClock {
    pub fn new() -> Self {
        Self {
            origin: Instant::now(),
            boot_origin: boottime_ms().unwrap_or(0),
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
        match boottime_ms() {
            Some(now) => now.saturating_sub(self.boot_origin),
            None => self.awake_ms(),
        }
    }

    fn awake_ms(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn wall_ms(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }
}

#[derive(Debug, Default)]
struct Manual {
    /// Counts through suspends (boottime).
    boot: u64,
    /// Stops in a suspend.
    awake: u64,
    wall: i64,
}

/// A clock moved by hand (tests, simulations). Clones share the same time.
#[derive(Debug, Clone, Default)]
pub struct ManualClock {
    inner: Arc<Mutex<Manual>>,
}

fn signed(ms: u64) -> i64 {
    i64::try_from(ms).unwrap_or(i64::MAX)
}

impl ManualClock {
    /// Start at monotonic 0 and the given wall time.
    pub fn new(wall_ms: i64) -> Self {
        Self {
            inner: Arc::new(Mutex::new(Manual {
                wall: wall_ms,
                ..Manual::default()
            })),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Manual> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Let `ms` pass (all clocks move).
    pub fn advance(&self, ms: u64) {
        let mut t = self.lock();
        t.boot = t.boot.saturating_add(ms);
        t.awake = t.awake.saturating_add(ms);
        t.wall = t.wall.saturating_add(signed(ms));
    }

    /// A suspend of `ms`: boottime and the wall clock move, the awake clock does not.
    pub fn suspend(&self, ms: u64) {
        let mut t = self.lock();
        t.boot = t.boot.saturating_add(ms);
        t.wall = t.wall.saturating_add(signed(ms));
    }

    /// A restart: the monotonic clock starts again from 0 after `down_ms` of wall time.
    pub fn restart_after(&self, down_ms: u64) {
        let mut t = self.lock();
        t.boot = 0;
        t.awake = 0;
        t.wall = t.wall.saturating_add(signed(down_ms));
    }
}

impl Clock for ManualClock {
    fn monotonic_ms(&self) -> u64 {
        self.lock().boot
    }

    fn awake_ms(&self) -> u64 {
        self.lock().awake
    }

    fn wall_ms(&self) -> i64 {
        self.lock().wall
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_system_clock_counts_from_boottime() {
        let c = SystemClock::new();
        let (a, b) = (c.monotonic_ms(), c.awake_ms());
        std::thread::sleep(std::time::Duration::from_millis(30));
        assert!(c.monotonic_ms() >= a + 25);
        assert!(c.awake_ms() >= b + 25);
        #[cfg(target_os = "linux")]
        assert!(boottime_ms().is_some(), "CLOCK_BOOTTIME is read on Linux");
    }

    #[test]
    fn a_manual_suspend_moves_boottime_only() {
        let c = ManualClock::new(1_000);
        c.advance(10);
        c.suspend(60_000);
        assert_eq!(
            (c.monotonic_ms(), c.awake_ms(), c.wall_ms()),
            (60_010, 10, 61_010)
        );
    }
}
