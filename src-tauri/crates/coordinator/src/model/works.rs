//! Table `works`: the works of the schedule, their spec and released keys.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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

    /// Store the keys released on the exam day; closed items can be scored from then on.
    pub fn release_keys(&self, work_id: i64, keys: &Keys) -> Result<()> {
        let work = self.work(work_id)?;
        for t in &work.spec.tasks {
            for item in &t.items {
                if !keys.items.contains_key(&item.id)
                    && !keys.variants.values().any(|v| v.contains_key(&item.id))
                {
                    return Err(CoordinatorError::Invalid(format!(
                        "нет ключа для позиции {}",
                        item.id
                    )));
                }
            }
        }
        self.conn.execute(
            "UPDATE works SET keys = ?1 WHERE id = ?2",
            params![json(keys)?, work_id],
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
