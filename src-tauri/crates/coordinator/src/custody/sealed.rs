//! Works taken from the signed package the stations ran: the issuer is
//! checked against the coordinator's trust list, training versus exam and
//! the package id come from the verified signed header, the tasks, maxima
//! and marks from the materials decrypted with the day password, and the
//! keys and criteria from the same file with the keys password at release
//! time. No path reads a package folder.

use std::path::{Path, PathBuf};

use rusqlite::{params, OptionalExtension};
use vpr_package::{Clock, Limits, SealedPackage};

use crate::{
    model::{json, NewWork, Work, WorkSpec},
    Coordinator, CoordinatorError, Result,
};

/// A work from the schedule taken with its signed exam package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageWork {
    /// The `.vprpkg` file, the same the stations load.
    pub package: PathBuf,
    /// The day password that opens the materials.
    pub password: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub reserve_dates: Vec<String>,
    pub upload_deadline: String,
    pub stations_per_room: u32,
}

/// What the coordinator recorded about a work's signed package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WorkPackage {
    pub package_id: String,
    pub sha256: String,
    pub issuer_fingerprint: String,
    pub file: String,
    pub materials: Option<String>,
}

fn sha256_of(path: &Path) -> Result<String> {
    vpr_integrity::sha256_file(path)
        .map(|(h, _)| h.to_hex())
        .map_err(|e| CoordinatorError::Invalid(format!("{}: {e}", path.display())))
}

impl Coordinator {
    /// Take a work from its signed package (`.vprpkg`): signature and issuer
    /// checked against the coordinator's trust list, a training package
    /// (demo key, or training in the signed header) refused, the materials
    /// decrypted with the day password and checked against the header. The
    /// package id, issuer fingerprint and the file's SHA-256 are recorded
    /// with the work and a copy of the file is kept in the coordinator's
    /// folder. The one flow of the app and the CLI.
    pub fn add_work_from_package(&self, w: &PackageWork, clock: &dyn Clock) -> Result<Work> {
        let trust = self.trusted_issuers()?;
        let sealed = SealedPackage::read(&w.package, &trust, &Limits::default())?;
        if sealed.is_training() {
            return Err(CoordinatorError::TrainingPackage(
                sealed.package_id().to_string(),
            ));
        }
        let materials = sealed.materials(&w.password, clock)?;
        let bytes = materials.get(vpr_exam::load::PACKAGE_FILE).ok_or_else(|| {
            CoordinatorError::Invalid("в материалах пакета нет package.json".into())
        })?;
        let package = vpr_exam::Package::from_json(bytes)?;
        sealed.check_materials(&package)?;
        let materials_json = String::from_utf8(bytes.to_vec())
            .map_err(|_| CoordinatorError::Invalid("package.json пакета не в UTF-8".into()))?;
        let sha = sha256_of(&w.package)?;
        let meta = &sealed.header().meta;
        let (rel, copy) = self.layout.package_file(&sha);
        let created_copy = !copy.is_file();
        if created_copy {
            let dir = copy
                .parent()
                .ok_or_else(|| CoordinatorError::Invalid("папка пакетов координатора".into()))?;
            std::fs::create_dir_all(dir)?;
            let partial = copy.with_extension("partial");
            std::fs::copy(&w.package, &partial)?;
            if sha256_of(&partial)? != sha {
                let _ = std::fs::remove_file(&partial);
                return Err(CoordinatorError::Invalid(format!(
                    "{}: файл пакета изменился во время копирования",
                    w.package.display()
                )));
            }
            std::fs::rename(&partial, &copy)?;
        }
        if let Err(e) = self.keep_pictures(&sha, &package, &materials) {
            // Scoring still works without them; the expert is told.
            tracing::warn!(
                code = vpr_error::Coded::code(&e),
                "pictures of the package not kept"
            );
        }
        let added = (|| {
            let tx = self.conn.unchecked_transaction()?;
            let id = self.add_work(&NewWork {
                package_id: sealed.package_id().to_string(),
                subject: meta.subject.clone(),
                grade: meta.grade,
                date: w.date.clone(),
                reserve_dates: w.reserve_dates.clone(),
                upload_deadline: w.upload_deadline.clone(),
                spec: WorkSpec::from_package(&package, w.stations_per_room),
            })?;
            tx.execute(
                "UPDATE works SET package_sha256 = ?1, issuer_fingerprint = ?2, package_file = ?3, materials = ?4
                 WHERE id = ?5",
                params![sha, sealed.issuer().fingerprint, rel, materials_json, id],
            )?;
            tx.commit()?;
            Ok::<_, CoordinatorError>(id)
        })();
        match added {
            Ok(id) => self.work(id),
            Err(e) => {
                if created_copy {
                    let _ = std::fs::remove_file(&copy);
                    let _ = std::fs::remove_dir_all(self.layout.package_media(&sha));
                }
                Err(e)
            }
        }
    }

    pub(crate) fn work_package(&self, work_id: i64) -> Result<Option<WorkPackage>> {
        let row: Option<WorkPackage> = self
            .conn
            .query_row(
                "SELECT package_id, package_sha256, issuer_fingerprint, package_file, materials
                 FROM works WHERE id = ?1",
                [work_id],
                |r| {
                    Ok(WorkPackage {
                        package_id: r.get(0)?,
                        sha256: r.get(1)?,
                        issuer_fingerprint: r.get(2)?,
                        file: r.get(3)?,
                        materials: r.get(4)?,
                    })
                },
            )
            .optional()?;
        match row {
            None => Err(CoordinatorError::Missing {
                what: "работа",
                id: work_id,
            }),
            Some(p) if p.sha256.is_empty() => Ok(None),
            Some(p) => Ok(Some(p)),
        }
    }

    /// Release the keys and criteria of a work from its signed package (the
    /// copy kept when the work was added, checked against the recorded
    /// SHA-256 and issuer) with the keys password, not before the release
    /// time of the signed header. Closed items can be scored from then on.
    pub fn release_keys(
        &self,
        work_id: i64,
        keys_password: &str,
        clock: &dyn Clock,
    ) -> Result<Work> {
        let Some(p) = self.work_package(work_id)? else {
            return Err(CoordinatorError::Invalid(
                "работа добавлена без подписанного пакета: ключи к ней из пакета не берутся".into(),
            ));
        };
        let path = self.layout.resolve(&p.file);
        if sha256_of(&path)? != p.sha256 {
            return Err(CoordinatorError::Corrupt(format!(
                "копия пакета работы ({}) изменена: SHA-256 не тот, что записан при добавлении работы",
                p.file
            )));
        }
        let sealed = SealedPackage::read(&path, &self.trusted_issuers()?, &Limits::default())?;
        if sealed.issuer().fingerprint != p.issuer_fingerprint
            || sealed.package_id() != p.package_id
        {
            return Err(CoordinatorError::Corrupt(
                "пакет работы подписан не тем издателем, что записан при добавлении".into(),
            ));
        }
        let archive = sealed.keys(keys_password, clock)?;
        let bytes = archive
            .get(vpr_exam::load::KEYS_FILE)
            .ok_or(CoordinatorError::NoKeys)?;
        let materials = p
            .materials
            .ok_or_else(|| CoordinatorError::Corrupt("нет материалов работы".into()))?;
        let package = vpr_exam::Package::from_json(materials.as_bytes())?;
        let keys = vpr_exam::Keys::from_json(bytes, &package)?;
        self.store_keys(work_id, &keys)?;
        self.work(work_id)
    }

    /// Store keys in the work (after the package check).
    pub(crate) fn store_keys(&self, work_id: i64, keys: &vpr_exam::Keys) -> Result<()> {
        let work = self.work(work_id)?;
        if !work.package_id.is_empty() && keys.package_id != work.package_id {
            return Err(CoordinatorError::Invalid(format!(
                "ключи пакета «{}», а работа проводится по пакету «{}»",
                keys.package_id, work.package_id
            )));
        }
        let spec = work.spec.with_keys(keys)?;
        self.conn.execute(
            "UPDATE works SET spec = ?1, keys = ?2 WHERE id = ?3",
            params![json(&spec)?, json(keys)?, work_id],
        )?;
        Ok(())
    }
}
