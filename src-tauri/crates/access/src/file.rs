//! `access.json`: the PIN hashes of one station, written atomically.

use std::{
    collections::HashMap,
    fs,
    io::Write,
    path::{Path, PathBuf},
    sync::Mutex,
    time::Instant,
};

use serde::{Deserialize, Serialize};

use crate::{pin::PinHash, AccessError, PinRole, Result, LOCKOUT, MAX_FAILURES};

const FILE_NAME: &str = "access.json";

#[derive(Debug, Default, Serialize, Deserialize)]
struct AccessFile {
    #[serde(default)]
    pins: HashMap<PinRole, PinHash>,
}

#[derive(Debug, Default)]
struct Failures {
    count: u32,
    locked_until: Option<Instant>,
}

/// The PINs of one station's data directory.
#[derive(Debug)]
pub struct AccessStore {
    path: PathBuf,
    file: Mutex<AccessFile>,
    failures: Mutex<HashMap<PinRole, Failures>>,
}

impl AccessStore {
    /// Open (or start empty) the access file in `dir`.
    pub fn open(dir: &Path) -> Result<Self> {
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
            file: Mutex::new(file),
            failures: Mutex::new(HashMap::new()),
        })
    }

    pub fn is_set(&self, role: PinRole) -> bool {
        lock(&self.file).pins.contains_key(&role)
    }

    /// Set or replace the PIN of `role`; durable when this returns.
    pub fn set(&self, role: PinRole, pin: &str) -> Result<()> {
        let hash = PinHash::new(pin)?;
        let mut file = lock(&self.file);
        let previous = file.pins.insert(role, hash);
        if let Err(e) = write_atomically(&self.path, &file) {
            match previous {
                Some(p) => file.pins.insert(role, p),
                None => file.pins.remove(&role),
            };
            return Err(e);
        }
        lock(&self.failures).remove(&role);
        Ok(())
    }

    /// Check a PIN; counts failures and locks the role after too many.
    pub fn verify(&self, role: PinRole, pin: &str) -> Result<()> {
        {
            let failures = lock(&self.failures);
            if let Some(until) = failures.get(&role).and_then(|f| f.locked_until) {
                let now = Instant::now();
                if until > now {
                    return Err(AccessError::Locked((until - now).as_secs() + 1));
                }
            }
        }
        let hash = lock(&self.file)
            .pins
            .get(&role)
            .cloned()
            .ok_or(AccessError::NotSet(role))?;
        let ok = hash.matches(pin)?;
        let mut failures = lock(&self.failures);
        let entry = failures.entry(role).or_default();
        if ok {
            *entry = Failures::default();
            return Ok(());
        }
        entry.count += 1;
        if entry.count >= MAX_FAILURES {
            entry.count = 0;
            entry.locked_until = Some(Instant::now() + LOCKOUT);
            return Err(AccessError::Locked(LOCKOUT.as_secs()));
        }
        Err(AccessError::Wrong)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write_atomically(path: &Path, file: &AccessFile) -> Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(dir)?;
    let bytes = serde_json::to_vec_pretty(file).map_err(|e| AccessError::Corrupt(e.to_string()))?;
    let tmp = path.with_extension("json.tmp");
    {
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(&tmp)?;
        f.write_all(&bytes)?;
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
    use super::*;

    #[test]
    fn set_persists_and_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let store = AccessStore::open(dir.path()).unwrap();
        assert!(!store.is_set(PinRole::Organizer));
        assert!(matches!(
            store.verify(PinRole::Organizer, "1234"),
            Err(AccessError::NotSet(PinRole::Organizer))
        ));
        store.set(PinRole::Organizer, "1234").unwrap();
        let reopened = AccessStore::open(dir.path()).unwrap();
        assert!(reopened.is_set(PinRole::Organizer));
        assert!(!reopened.is_set(PinRole::Technician));
        reopened.verify(PinRole::Organizer, "1234").unwrap();
        assert!(matches!(
            reopened.verify(PinRole::Organizer, "4321"),
            Err(AccessError::Wrong)
        ));
        let text = fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        assert!(!text.contains("1234"), "the PIN itself is never stored");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(FILE_NAME))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn repeated_failures_lock_the_role() {
        let dir = tempfile::tempdir().unwrap();
        let store = AccessStore::open(dir.path()).unwrap();
        store.set(PinRole::Technician, "5555").unwrap();
        for _ in 0..MAX_FAILURES - 1 {
            assert!(matches!(
                store.verify(PinRole::Technician, "0000"),
                Err(AccessError::Wrong)
            ));
        }
        assert!(matches!(
            store.verify(PinRole::Technician, "0000"),
            Err(AccessError::Locked(_))
        ));
        // Even the right PIN is refused while locked.
        assert!(matches!(
            store.verify(PinRole::Technician, "5555"),
            Err(AccessError::Locked(_))
        ));
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
