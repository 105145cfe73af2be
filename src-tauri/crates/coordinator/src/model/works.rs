//! Table `works`: the works of the schedule, their spec and released keys
//! (`vpr_exam::Keys`, the package's own type, as JSON).

use std::path::{Path, PathBuf};

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use vpr_exam::Keys;

use super::*;
use crate::{Coordinator, CoordinatorError, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewWork {
    /// The exam package id the stations record (links bundles to the work).
    #[serde(default)]
    pub package_id: String,
    pub subject: String,
    pub grade: u8,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub reserve_dates: Vec<String>,
    pub upload_deadline: String,
    pub spec: WorkSpec,
}

/// A work from the schedule taken with an exam package folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageWork {
    /// The folder with the package's `package.json`.
    pub package_dir: PathBuf,
    pub subject: String,
    pub grade: u8,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub reserve_dates: Vec<String>,
    pub upload_deadline: String,
    pub stations_per_room: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Work {
    pub id: i64,
    pub package_id: String,
    pub subject: String,
    pub grade: u8,
    pub date: String,
    pub reserve_dates: Vec<String>,
    pub upload_deadline: String,
    pub spec: WorkSpec,
    pub keys_released: bool,
}

impl Coordinator {
    pub fn add_work(&self, w: &NewWork) -> Result<i64> {
        non_empty("предмет", &w.subject)?;
        parse_date(&w.date)?;
        parse_date(&w.upload_deadline)?;
        for d in &w.reserve_dates {
            parse_date(d)?;
        }
        w.spec.validate()?;
        self.conn.execute(
            "INSERT INTO works (subject, grade, date, reserve_dates, upload_deadline, spec, stations_per_room, package_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                w.subject.trim(),
                w.grade,
                w.date.trim(),
                json(&w.reserve_dates)?,
                w.upload_deadline.trim(),
                json(&w.spec)?,
                w.spec.stations_per_room,
                w.package_id.trim()
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn works(&self) -> Result<Vec<Work>> {
        let mut st = self.conn.prepare(
            "SELECT id, subject, grade, date, reserve_dates, upload_deadline, spec, keys IS NOT NULL, package_id FROM works ORDER BY date, id",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u8>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, bool>(7)?,
                r.get::<_, String>(8)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (
                id,
                subject,
                grade,
                date,
                reserve,
                upload_deadline,
                spec,
                keys_released,
                package_id,
            ) = row?;
            out.push(Work {
                id,
                package_id,
                subject,
                grade,
                date,
                reserve_dates: from_json(&reserve)?,
                upload_deadline,
                spec: from_json(&spec)?,
                keys_released,
            });
        }
        Ok(out)
    }

    pub fn work(&self, id: i64) -> Result<Work> {
        self.works()?
            .into_iter()
            .find(|w| w.id == id)
            .ok_or(CoordinatorError::Missing {
                what: "работа", id
            })
    }

    /// Take a work from an exam package folder (`package.json`): its tasks,
    /// maxima and marks come from the package, and so does the package id
    /// that links the stations' bundles to the work. The one flow of the app
    /// and the CLI.
    pub fn add_work_from_package(&self, w: &PackageWork) -> Result<Work> {
        let package = vpr_exam::Package::load_dir(&w.package_dir)?;
        let id = self.add_work(&NewWork {
            package_id: package.id.clone(),
            subject: w.subject.clone(),
            grade: w.grade,
            date: w.date.clone(),
            reserve_dates: w.reserve_dates.clone(),
            upload_deadline: w.upload_deadline.clone(),
            spec: WorkSpec::from_package(&package, w.stations_per_room),
        })?;
        self.work(id)
    }

    /// Release the keys and criteria of a work from its package folder
    /// (`keys.json` beside `package.json`): the package must be the work's,
    /// and closed items can be scored from then on. The one flow of the app
    /// and the CLI.
    pub fn release_keys(&self, work_id: i64, package_dir: &Path) -> Result<Work> {
        let package = vpr_exam::Package::load_dir(package_dir)?;
        let keys =
            vpr_exam::Keys::load_dir(package_dir, &package)?.ok_or(CoordinatorError::NoKeys)?;
        self.set_keys(work_id, &keys)?;
        self.work(work_id)
    }

    /// Store released keys (the package's `keys.json` type): item points and
    /// the experts' criteria go into the work's spec, the keys beside it.
    /// Keys of another package are refused.
    pub fn set_keys(&self, work_id: i64, keys: &Keys) -> Result<()> {
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

    /// The released keys of a work.
    pub fn keys(&self, work_id: i64) -> Result<Keys> {
        let keys: Option<String> =
            self.conn
                .query_row("SELECT keys FROM works WHERE id = ?1", [work_id], |r| {
                    r.get(0)
                })?;
        match keys {
            Some(k) => from_json(&k),
            None => Err(CoordinatorError::KeysNotReleased),
        }
    }
}
