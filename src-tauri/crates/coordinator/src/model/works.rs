//! Table `works`: the works of the schedule, their spec and released keys
//! (`vpr_exam::Keys`, the package's own type, as JSON).

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
    /// SHA-256 of the signed package the work was taken from (empty for a
    /// work described by a spec, e.g. a paper work): bundles must carry it.
    pub package_sha256: String,
    /// Fingerprint of the issuer key that signed that package.
    pub issuer_fingerprint: String,
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
            "SELECT id, subject, grade, date, reserve_dates, upload_deadline, spec, keys IS NOT NULL, package_id, package_sha256, issuer_fingerprint FROM works ORDER BY date, id",
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
                r.get::<_, String>(9)?,
                r.get::<_, String>(10)?,
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
                package_sha256,
                issuer_fingerprint,
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
                package_sha256,
                issuer_fingerprint,
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

    /// Store keys for a work described by a spec (a paper work, or a
    /// school's own work without a package): item points and the experts'
    /// criteria go into the work's spec, the keys beside it. Keys of another
    /// package are refused, and so is any work taken from a signed package:
    /// its keys come only from that package ([`Coordinator::release_keys`]).
    pub fn set_keys(&self, work_id: i64, keys: &Keys) -> Result<()> {
        if self.work_package(work_id)?.is_some() {
            return Err(CoordinatorError::Invalid(
                "ключи работы по подписанному пакету берутся только из этого пакета (пароль к ключам)".into(),
            ));
        }
        self.store_keys(work_id, keys)
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
