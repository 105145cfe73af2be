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

/// A work's fields checked: a subject, real dates, a valid spec.
pub(crate) fn check_new_work(w: &NewWork) -> Result<()> {
    non_empty("предмет", &w.subject)?;
    parse_date(&w.date)?;
    parse_date(&w.upload_deadline)?;
    for d in &w.reserve_dates {
        parse_date(d)?;
    }
    w.spec.validate()
}

impl Coordinator {
    pub fn add_work(&self, w: &NewWork) -> Result<i64> {
        check_new_work(w)?;
        self.refuse_same_work(w, 0)?;
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

/// Tables that only set a work up (who sits where, who is in which room):
/// a work's structure may still change while they hold rows for it.
const SET_UP_TABLES: [&str; 3] = ["seating", "slots", "staff_rooms"];

/// The Russian name of a table holding rows for a work (for a refusal).
fn what_rows(table: &str) -> &str {
    match table {
        "seating" => "рассадка",
        "slots" => "слоты станций",
        "staff_rooms" => "назначения организаторов",
        "absences" => "отметки об отсутствии",
        "submissions" | "bundles" | "bundle_codes" | "held_sessions" => "работы со станций",
        "recordings" | "recordings_v6" => "записи ответов",
        "auto_scores" | "expert_scores" | "assignments" => "баллы и назначения экспертов",
        "cross_packages" => "пакеты перекрёстной проверки",
        "receipts" => "квитанции",
        "paper_entries" | "paper_log" | "paper_sheets" => "результаты с бланков",
        other => other,
    }
}

impl Coordinator {
    /// One work per subject, grade and date: a second is refused by name
    /// (the table's UNIQUE constraint would say it in SQL).
    fn refuse_same_work(&self, w: &NewWork, except: i64) -> Result<()> {
        let exists: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM works WHERE subject = ?1 AND grade = ?2 AND date = ?3 AND id <> ?4)",
            params![w.subject.trim(), w.grade, w.date.trim(), except],
            |r| r.get(0),
        )?;
        if exists {
            return Err(CoordinatorError::WorkInUse(format!(
                "работа «{}», {} класс, {} уже есть в плане-графике",
                w.subject.trim(),
                w.grade,
                w.date.trim()
            )));
        }
        Ok(())
    }

    /// What holds rows for a work, by table (every table with a `work_id`
    /// column, read from the schema so a new table cannot be forgotten).
    fn rows_of_work(&self, work_id: i64) -> Result<Vec<(String, i64)>> {
        let tables: Vec<String> = {
            let mut st = self.conn.prepare(
                "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c
                 WHERE m.type = 'table' AND m.name <> 'works' AND c.name = 'work_id' ORDER BY m.name",
            )?;
            let rows = st.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut out = Vec::new();
        for t in tables {
            let n: i64 = self.conn.query_row(
                &format!(
                    "SELECT COUNT(*) FROM \"{}\" WHERE work_id = ?1",
                    t.replace('"', "")
                ),
                [work_id],
                |r| r.get(0),
            )?;
            if n > 0 {
                out.push((t, n));
            }
        }
        Ok(out)
    }

    fn refuse_in_use(rows: &[(String, i64)], doing: &str) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut what: Vec<&str> = rows.iter().map(|(t, _)| what_rows(t)).collect();
        what.dedup();
        Err(CoordinatorError::WorkInUse(format!(
            "{doing}: у работы уже есть {}",
            what.join(", ")
        )))
    }

    /// Remove a work added by mistake; refused while anything belongs to it
    /// (seating, results, absences, …), naming what.
    pub fn remove_work(&self, work_id: i64) -> Result<()> {
        self.work(work_id)?;
        Self::refuse_in_use(&self.rows_of_work(work_id)?, "работу нельзя удалить")?;
        self.conn
            .execute("DELETE FROM works WHERE id = ?1", [work_id])?;
        Ok(())
    }

    /// Change a paper work described in the window while no result is in
    /// (its seating may be). Keys stay when the items and variants do; else
    /// they are cleared to be typed again.
    pub fn update_paper_work(
        &self,
        work_id: i64,
        draft: &crate::paper::PaperWorkDraft,
    ) -> Result<Work> {
        let old = self.work(work_id)?;
        if self.work_package(work_id)?.is_some() || !old.package_sha256.is_empty() {
            return Err(CoordinatorError::WorkInUse(
                "работу по подписанному пакету изменить нельзя: её задания — из пакета".into(),
            ));
        }
        let results: Vec<(String, i64)> = self
            .rows_of_work(work_id)?
            .into_iter()
            .filter(|(t, _)| !SET_UP_TABLES.contains(&t.as_str()))
            .collect();
        Self::refuse_in_use(&results, "структуру работы изменить нельзя")?;
        let new = crate::paper::checked_new_work(draft)?;
        check_new_work(&new)?;
        self.refuse_same_work(&new, work_id)?;
        let items = |s: &WorkSpec| -> Vec<(String, u32)> {
            s.tasks
                .iter()
                .flat_map(|t| t.items.iter().map(|i| (i.id.clone(), i.points)))
                .collect()
        };
        let keep_keys =
            items(&old.spec) == items(&new.spec) && old.spec.variants == new.spec.variants;
        let tx = self.conn.unchecked_transaction()?;
        self.conn.execute(
            "UPDATE works SET subject = ?2, grade = ?3, date = ?4, reserve_dates = ?5, upload_deadline = ?6,
             spec = ?7, stations_per_room = ?8 WHERE id = ?1",
            params![
                work_id,
                new.subject,
                new.grade,
                new.date.trim(),
                json(&new.reserve_dates)?,
                new.upload_deadline.trim(),
                json(&new.spec)?,
                new.spec.stations_per_room
            ],
        )?;
        if !keep_keys {
            self.conn
                .execute("UPDATE works SET keys = NULL WHERE id = ?1", [work_id])?;
        }
        tx.commit()?;
        self.work(work_id)
    }
}
