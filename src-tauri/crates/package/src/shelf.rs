//! The station's packages on disk: load a verified copy, list, unlock.
//!
//! ```text
//! <shelf>/<package_id>.vprpkg       the sealed file, copied after verification
//! <shelf>/<package_id>/materials/   unlocked with the day password
//! <shelf>/<package_id>/keys/        unlocked with the keys password (after 14:00 MSK)
//! ```

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

use ring::digest;
use serde::Serialize;
use ts_rs::TS;

use crate::{
    container::read_limited, Clock, Limits, PackageError, PackageView, Result, SealedPackage,
    TrustedIssuers, UnlockReport, EXTENSION,
};

/// One package on the shelf, as the technician's screen lists it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ShelfEntry {
    /// File name on the shelf, e.g. `demo-en-7.vprpkg`.
    pub file: String,
    /// Header and state; `None` when the stored file no longer verifies.
    pub view: Option<PackageView>,
    /// Why the stored file was refused (Russian), when it was.
    pub problem: Option<String>,
    /// The materials have been unlocked on this station.
    pub unlocked: bool,
    /// Keys and criteria have been unlocked on this station.
    pub keys_unlocked: bool,
}

/// A station's package folder with its trust list and limits.
#[derive(Debug, Clone)]
pub struct PackageShelf {
    dir: PathBuf,
    trust: TrustedIssuers,
    limits: Limits,
}

impl PackageShelf {
    /// The shelf in `dir` (created on first load), e.g. `<data dir>/packages`.
    pub fn new(dir: impl Into<PathBuf>, trust: TrustedIssuers, limits: Limits) -> Self {
        Self {
            dir: dir.into(),
            trust,
            limits,
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Verify a package (e.g. on a USB drive) and copy it onto the shelf.
    /// Loading the same file again is a no-op; a different file with the
    /// same id replaces the stored one only while it is still locked.
    pub fn load(&self, file: &Path, clock: &dyn Clock) -> Result<PackageView> {
        let bytes = read_limited(file, &self.limits)?;
        let package = SealedPackage::open(&bytes, &self.trust, &self.limits)?;
        let id = package.header().meta.package_id.clone();
        let dest = self.sealed_path(&id);
        if let Ok(existing) = fs::read(&dest) {
            if digest::digest(&digest::SHA256, &existing).as_ref()
                == digest::digest(&digest::SHA256, &bytes).as_ref()
            {
                return Ok(package.view(clock));
            }
            if self.materials_dir(&id).exists() {
                return Err(PackageError::TargetExists(self.materials_dir(&id)));
            }
        }
        fs::create_dir_all(&self.dir).map_err(PackageError::io(&self.dir))?;
        let tmp = self.dir.join(format!(".{id}.{EXTENSION}.partial"));
        let written = (|| {
            let mut f = fs::File::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            fs::rename(&tmp, &dest)
        })();
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(PackageError::io(&dest)(e));
        }
        if let Ok(d) = fs::File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(package.view(clock))
    }

    /// Every package on the shelf, verified again (a file changed on disk
    /// since loading is reported, not trusted).
    pub fn list(&self, clock: &dyn Clock) -> Result<Vec<ShelfEntry>> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(PackageError::io(&self.dir)(e)),
        };
        let mut out = Vec::new();
        for entry in entries {
            let path = entry.map_err(PackageError::io(&self.dir))?.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
                continue;
            };
            let Some(id) = name.strip_suffix(&format!(".{EXTENSION}")) else {
                continue;
            };
            if id.starts_with('.') {
                continue;
            }
            let (view, problem) = match SealedPackage::read(&path, &self.trust, &self.limits) {
                Ok(p) if p.header().meta.package_id == id => (Some(p.view(clock)), None),
                Ok(_) => (
                    None,
                    Some("имя файла не совпадает с идентификатором пакета".to_owned()),
                ),
                Err(e) => (None, Some(e.to_string())),
            };
            out.push(ShelfEntry {
                file: name.clone(),
                view,
                problem,
                unlocked: self.materials_dir(id).is_dir(),
                keys_unlocked: self.keys_dir(id).is_dir(),
            });
        }
        out.sort_by(|a, b| a.file.cmp(&b.file));
        Ok(out)
    }

    /// The verified package `id` from the shelf.
    pub fn open(&self, id: &str) -> Result<SealedPackage> {
        let path = self.sealed_path(safe_id(id)?);
        if !path.is_file() {
            return Err(PackageError::NotLoaded(id.to_owned()));
        }
        let package = SealedPackage::read(&path, &self.trust, &self.limits)?;
        if package.header().meta.package_id != id {
            return Err(PackageError::BadHeader(
                "имя файла не совпадает с идентификатором пакета".into(),
            ));
        }
        Ok(package)
    }

    /// The unlocked materials of `id` as the exam runs them, with the
    /// verified package they came from: `package.json` and its media are
    /// loaded from [`Self::materials_dir`] and checked again against the
    /// signed header (a folder edited on disk after the unlock is refused).
    /// Ask the returned [`SealedPackage`] for
    /// [`is_training`](SealedPackage::is_training) and
    /// [`package_id`](SealedPackage::package_id), never the `package.json`.
    pub fn unlocked(&self, id: &str) -> Result<(SealedPackage, vpr_exam::Package)> {
        let sealed = self.open(id)?;
        let dir = self.materials_dir(id);
        if !dir.is_dir() {
            return Err(PackageError::BadMaterials(format!(
                "материалы пакета «{id}» ещё не расшифрованы на этой станции"
            )));
        }
        let package = vpr_exam::Package::load_dir(&dir)
            .map_err(|e| PackageError::BadMaterials(e.to_string()))?;
        sealed.check_materials(&package)?;
        Ok((sealed, package))
    }

    /// Unlock the materials of `id` with the day password (refused before their release time).
    pub fn unlock(&self, id: &str, password: &str, clock: &dyn Clock) -> Result<UnlockReport> {
        self.open(id)?
            .unlock_materials(password, clock, &self.materials_dir(id))
    }

    /// Unlock keys and criteria of `id` (refused before 14:00 Moscow time).
    pub fn unlock_keys(
        &self,
        id: &str,
        keys_password: &str,
        clock: &dyn Clock,
    ) -> Result<UnlockReport> {
        self.open(id)?
            .unlock_keys(keys_password, clock, &self.keys_dir(id))
    }

    /// Remove package `id` and everything unlocked from it (e.g. a training package).
    pub fn remove(&self, id: &str) -> Result<()> {
        let sealed = self.sealed_path(id);
        let unpacked = self.dir.join(safe_id(id)?);
        if unpacked.exists() {
            fs::remove_dir_all(&unpacked).map_err(PackageError::io(&unpacked))?;
        }
        match fs::remove_file(&sealed) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(PackageError::io(&sealed)(e)),
        }
    }

    /// Where the unlocked materials of `id` are (the exam loads from here).
    pub fn materials_dir(&self, id: &str) -> PathBuf {
        self.dir.join(id).join("materials")
    }

    /// Where the unlocked keys and criteria of `id` are.
    pub fn keys_dir(&self, id: &str) -> PathBuf {
        self.dir.join(id).join("keys")
    }

    fn sealed_path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.{EXTENSION}"))
    }
}

/// An id from outside names a folder only when it is a plain file name.
fn safe_id(id: &str) -> Result<&str> {
    let ok = !id.is_empty()
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(id)
    } else {
        Err(PackageError::NotLoaded(id.to_owned()))
    }
}
