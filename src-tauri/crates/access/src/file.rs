//! `access.json`: the PIN hashes of one station, written atomically.

use std::{
    collections::HashMap,
    fs,
    io::Write,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
    time::{SystemTime, UNIX_EPOCH},
};

use serde::{Deserialize, Serialize};

use crate::{
    attempts::{AlertReason, Attempts, Counted},
    pin::PinHash,
    AccessError, PinAlert, PinRole, Result,
};

const FILE_NAME: &str = "access.json";

#[derive(Debug, Default, Serialize, Deserialize)]
struct AccessFile {
    #[serde(default)]
    pins: HashMap<PinRole, PinHash>,
}

/// Wall-clock seconds since the Unix epoch (injectable for tests).
pub type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

fn system_clock() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The PINs of one station's data directory.
pub struct AccessStore {
    path: PathBuf,
    attempts_path: PathBuf,
    file: Mutex<AccessFile>,
    /// Held while the counter file is read, changed and written.
    attempts: Mutex<()>,
    clock: Clock,
}

impl std::fmt::Debug for AccessStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl AccessStore {
    /// Open (or start empty) the access file in `dir`.
    pub fn open(dir: &Path) -> Result<Self> {
        Self::open_with_clock(dir, Arc::new(system_clock))
    }

    /// Open with another wall clock (tests, tools).
    pub fn open_with_clock(dir: &Path, clock: Clock) -> Result<Self> {
        let path = dir.join(FILE_NAME);
        let file = match fs::read(&path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes).map_err(|e| AccessError::Corrupt(e.to_string()))?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => AccessFile::default(),
            Err(e) => return Err(e.into()),
        };
        Ok(Self {
            path,
            attempts_path: Attempts::path(dir),
            file: Mutex::new(file),
            attempts: Mutex::new(()),
            clock,
        })
    }

    pub fn is_set(&self, role: PinRole) -> bool {
        lock(&self.file).pins.contains_key(&role)
    }

    /// Set or replace the PIN of `role`; durable when this returns. The
    /// role's counters start afresh; an unreadable counter file is started
    /// again with an alert for the organizer.
    pub fn set(&self, role: PinRole, pin: &str) -> Result<()> {
        let hash = PinHash::new(pin)?;
        {
            let mut file = lock(&self.file);
            let previous = file.pins.insert(role, hash);
            let bytes =
                serde_json::to_vec_pretty(&*file).map_err(|e| AccessError::Corrupt(e.to_string()));
            if let Err(e) = bytes.and_then(|b| write_atomically(&self.path, &b)) {
                match previous {
                    Some(p) => file.pins.insert(role, p),
                    None => file.pins.remove(&role),
                };
                return Err(e);
            }
        }
        let _guard = lock(&self.attempts);
        let mut attempts = match Attempts::load(&self.attempts_path) {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!("{e}: counters restarted by setting a PIN");
                Attempts::restarted((self.clock)())
            }
        };
        attempts.succeeded(role);
        attempts.save(&self.attempts_path)
    }

    /// Check a PIN. The attempt is counted (durably) before the hash is
    /// computed; after too many wrong ones the role is locked, each lockout
    /// twice as long as the one before. A counter file that cannot be read
    /// or written refuses the PIN.
    pub fn verify(&self, role: PinRole, pin: &str) -> Result<()> {
        let hash = lock(&self.file)
            .pins
            .get(&role)
            .cloned()
            .ok_or(AccessError::NotSet(role))?;
        let started_lockout = {
            let _guard = lock(&self.attempts);
            let mut attempts = Attempts::load(&self.attempts_path)?;
            let (counted, changed) = attempts.count(role, (self.clock)());
            if changed {
                attempts.save(&self.attempts_path)?;
            }
            match counted {
                Counted::Locked(left) => return Err(AccessError::Locked(left)),
                Counted::Go { started_lockout } => started_lockout,
            }
        };
        if hash.matches(pin)? {
            let _guard = lock(&self.attempts);
            let mut attempts = Attempts::load(&self.attempts_path)?;
            attempts.succeeded(role);
            attempts.save(&self.attempts_path)?;
            return Ok(());
        }
        match started_lockout {
            Some(secs) => Err(AccessError::Locked(secs)),
            None => Err(AccessError::Wrong),
        }
    }

    /// The organizer's warning, if one is up (an unreadable counter file is one too).
    pub fn alert(&self) -> Option<PinAlert> {
        let _guard = lock(&self.attempts);
        match Attempts::load(&self.attempts_path) {
            Ok(a) => a.alert().cloned(),
            Err(_) => Some(PinAlert {
                reason: AlertReason::CounterUnreadable,
                role: None,
                lockouts: 0,
                at: (self.clock)(),
            }),
        }
    }

    /// Clear the warning. The caller has just verified the organizer's PIN.
    pub fn clear_alert(&self) -> Result<()> {
        let _guard = lock(&self.attempts);
        let mut attempts = Attempts::load(&self.attempts_path)?;
        if attempts.alert().is_some() {
            tracing::warn!("PIN alert cleared by the organizer");
            attempts.clear_alert();
            attempts.save(&self.attempts_path)?;
        }
        Ok(())
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Write `bytes` to `path` through a synced temporary file, owner-only.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(dir)?;
    let tmp = path.with_extension("json.tmp");
    {
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};

    use super::*;
    use crate::{lockout_for, ATTEMPTS_FILE, MAX_FAILURES};

    const PIN: &str = "274915";
    const TECH: &str = "863071";

    fn fake_clock(start: u64) -> (Arc<AtomicU64>, Clock) {
        let now = Arc::new(AtomicU64::new(start));
        let n = now.clone();
        (now, Arc::new(move || n.load(Ordering::SeqCst)))
    }

    fn fail_until_locked(store: &AccessStore, role: PinRole) -> u64 {
        for _ in 0..MAX_FAILURES - 1 {
            assert!(matches!(
                store.verify(role, "000001"),
                Err(AccessError::Wrong)
            ));
        }
        match store.verify(role, "000001") {
            Err(AccessError::Locked(secs)) => secs,
            other => panic!("expected a lockout, got {other:?}"),
        }
    }

    #[test]
    fn set_persists_and_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let store = AccessStore::open(dir.path()).unwrap();
        assert!(!store.is_set(PinRole::Organizer));
        assert!(matches!(
            store.verify(PinRole::Organizer, PIN),
            Err(AccessError::NotSet(PinRole::Organizer))
        ));
        store.set(PinRole::Organizer, PIN).unwrap();
        let reopened = AccessStore::open(dir.path()).unwrap();
        assert!(reopened.is_set(PinRole::Organizer));
        assert!(!reopened.is_set(PinRole::Technician));
        reopened.verify(PinRole::Organizer, PIN).unwrap();
        assert!(matches!(
            reopened.verify(PinRole::Organizer, "519472"),
            Err(AccessError::Wrong)
        ));
        let text = fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        assert!(!text.contains(PIN), "the PIN itself is never stored");
        #[cfg(unix)]
        for name in [FILE_NAME, ATTEMPTS_FILE] {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(name))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
        }
    }

    #[test]
    fn short_and_trivial_pins_cannot_be_set() {
        let dir = tempfile::tempdir().unwrap();
        let store = AccessStore::open(dir.path()).unwrap();
        for role in [PinRole::Organizer, PinRole::Technician] {
            assert!(matches!(
                store.set(role, "2749"),
                Err(AccessError::BadFormat)
            ));
            assert!(matches!(
                store.set(role, "123456"),
                Err(AccessError::Trivial(_))
            ));
            assert!(matches!(
                store.set(role, "552024"),
                Err(AccessError::Trivial(_))
            ));
            assert!(!store.is_set(role));
        }
    }

    #[test]
    fn lockouts_double_and_survive_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let (now, clock) = fake_clock(1_000_000);
        let store = AccessStore::open_with_clock(dir.path(), clock.clone()).unwrap();
        store.set(PinRole::Technician, TECH).unwrap();
        assert_eq!(fail_until_locked(&store, PinRole::Technician), 30);
        // Even the right PIN is refused while locked, and the refusal does not hash.
        assert!(matches!(
            store.verify(PinRole::Technician, TECH),
            Err(AccessError::Locked(30))
        ));
        // A restart does not clear the lock or the count.
        drop(store);
        let store = AccessStore::open_with_clock(dir.path(), clock.clone()).unwrap();
        now.fetch_add(10, Ordering::SeqCst);
        assert!(matches!(
            store.verify(PinRole::Technician, TECH),
            Err(AccessError::Locked(20))
        ));
        // Each further lockout lasts twice as long.
        for n in 2..=7u32 {
            now.fetch_add(lockout_for(n - 1).as_secs(), Ordering::SeqCst);
            let secs = fail_until_locked(&store, PinRole::Technician);
            assert_eq!(secs, lockout_for(n).as_secs(), "lockout {n}");
            let store2 = AccessStore::open_with_clock(dir.path(), clock.clone()).unwrap();
            assert!(matches!(
                store2.verify(PinRole::Technician, TECH),
                Err(AccessError::Locked(s)) if s == secs
            ));
        }
        assert_eq!(lockout_for(2).as_secs(), 60);
        assert_eq!(lockout_for(3).as_secs(), 120);
        assert_eq!(lockout_for(7).as_secs(), 900, "capped at 15 minutes");
        assert_eq!(lockout_for(40).as_secs(), 900);
        // The organizer is unaffected; a right PIN after the lock ends starts afresh.
        now.fetch_add(900, Ordering::SeqCst);
        store.verify(PinRole::Technician, TECH).unwrap();
        assert_eq!(fail_until_locked(&store, PinRole::Technician), 30);
    }

    #[test]
    fn a_clock_set_back_does_not_end_a_lockout() {
        let dir = tempfile::tempdir().unwrap();
        let (now, clock) = fake_clock(5_000_000);
        let store = AccessStore::open_with_clock(dir.path(), clock).unwrap();
        store.set(PinRole::Organizer, PIN).unwrap();
        fail_until_locked(&store, PinRole::Organizer);
        now.store(1_000, Ordering::SeqCst);
        assert!(matches!(
            store.verify(PinRole::Organizer, PIN),
            Err(AccessError::Locked(30))
        ));
        now.fetch_add(29, Ordering::SeqCst);
        assert!(matches!(
            store.verify(PinRole::Organizer, PIN),
            Err(AccessError::Locked(1))
        ));
        now.fetch_add(1, Ordering::SeqCst);
        store.verify(PinRole::Organizer, PIN).unwrap();
    }

    #[test]
    fn parallel_guesses_are_counted_before_any_hash() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(AccessStore::open(dir.path()).unwrap());
        store.set(PinRole::Organizer, PIN).unwrap();
        let threads: Vec<_> = (0..24)
            .map(|i| {
                let store = store.clone();
                std::thread::spawn(move || {
                    store.verify(PinRole::Organizer, &format!("{:06}", 100_000 + i))
                })
            })
            .collect();
        let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        let wrong = results
            .iter()
            .filter(|r| matches!(r, Err(AccessError::Wrong)))
            .count();
        let locked = results
            .iter()
            .filter(|r| matches!(r, Err(AccessError::Locked(_))))
            .count();
        assert_eq!(wrong, MAX_FAILURES as usize - 1, "{results:?}");
        assert_eq!(locked, 24 - wrong);
        let alert = store.alert().unwrap();
        assert_eq!(alert.lockouts, 1, "one lockout, not several: {alert:?}");
    }

    #[test]
    fn the_alert_stays_until_the_organizer_clears_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = AccessStore::open(dir.path()).unwrap();
        store.set(PinRole::Organizer, PIN).unwrap();
        store.set(PinRole::Technician, TECH).unwrap();
        assert_eq!(store.alert(), None);
        for _ in 0..MAX_FAILURES - 1 {
            let _ = store.verify(PinRole::Technician, "000001");
        }
        assert_eq!(store.alert(), None, "no alert before a lockout");
        let _ = store.verify(PinRole::Technician, "000001");
        let alert = AccessStore::open(dir.path()).unwrap().alert().unwrap();
        assert_eq!(alert.reason, AlertReason::Lockout);
        assert_eq!(alert.role, Some(PinRole::Technician));
        assert!(alert.message_ru().contains("технического специалиста"));
        // The organizer's right PIN alone does not clear it; clearing does.
        store.verify(PinRole::Organizer, PIN).unwrap();
        assert!(store.alert().is_some());
        store.clear_alert().unwrap();
        assert_eq!(AccessStore::open(dir.path()).unwrap().alert(), None);
    }

    #[test]
    fn an_unreadable_counter_file_refuses_every_pin() {
        let dir = tempfile::tempdir().unwrap();
        let store = AccessStore::open(dir.path()).unwrap();
        store.set(PinRole::Organizer, PIN).unwrap();
        fail_until_locked(&store, PinRole::Organizer);
        for garbage in [&b"{not json"[..], b"", b"{\"roles\": 7}"] {
            fs::write(dir.path().join(ATTEMPTS_FILE), garbage).unwrap();
            let store = AccessStore::open(dir.path()).unwrap();
            assert!(matches!(
                store.verify(PinRole::Organizer, PIN),
                Err(AccessError::AttemptsUnreadable { .. })
            ));
            assert_eq!(
                store.alert().map(|a| a.reason),
                Some(AlertReason::CounterUnreadable)
            );
        }
        fs::remove_file(dir.path().join(ATTEMPTS_FILE)).unwrap();
        fs::create_dir(dir.path().join(ATTEMPTS_FILE)).unwrap();
        assert!(matches!(
            store.verify(PinRole::Organizer, PIN),
            Err(AccessError::AttemptsUnreadable { .. })
        ));
        fs::remove_dir(dir.path().join(ATTEMPTS_FILE)).unwrap();
        fs::write(dir.path().join(ATTEMPTS_FILE), b"{broken").unwrap();
        // Setting a PIN again (the technician's way out) restarts the counters, with an alert.
        store.set(PinRole::Organizer, "302187").unwrap();
        assert_eq!(
            store.alert().map(|a| a.reason),
            Some(AlertReason::CounterReset)
        );
        store.verify(PinRole::Organizer, "302187").unwrap();
    }

    #[test]
    fn corrupt_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(FILE_NAME), b"{not json").unwrap();
        assert!(matches!(
            AccessStore::open(dir.path()),
            Err(AccessError::Corrupt(_))
        ));
    }
}
