//! School, classes, participants and codes, works, rooms, stations, slots,
//! staff and absences.

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{crypto::random_bytes, Coordinator, CoordinatorError, Result};

pub(crate) fn now_string() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// Parse a `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Result<time::Date> {
    time::Date::parse(s.trim(), DATE_FORMAT)
        .map_err(|_| CoordinatorError::Invalid(format!("дата «{s}» не в формате ГГГГ-ММ-ДД")))
}

pub(crate) fn format_date(d: time::Date) -> String {
    d.format(DATE_FORMAT).unwrap_or_default()
}

/// The school (ОО) as the federal forms name it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct School {
    pub name: String,
    /// Login of the school in ФИС ОКО (e.g. `sch123456`).
    pub login: String,
    pub region: String,
    pub municipality: String,
    /// «город» or «село».
    pub settlement: String,
    pub students_total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClassInfo {
    pub id: i64,
    pub name: String,
    pub grade: u8,
    pub foreign_language: String,
}

/// A person's name; sealed at rest, never written to any export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonName {
    pub last: String,
    pub first: String,
    pub middle: String,
}

impl PersonName {
    pub fn full(&self) -> String {
        [
            self.last.as_str(),
            self.first.as_str(),
            self.middle.as_str(),
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
    }

    fn normalised(&self) -> String {
        let norm = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
                .replace('ё', "е")
        };
        format!(
            "{}|{}|{}",
            norm(&self.last),
            norm(&self.first),
            norm(&self.middle)
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewParticipant {
    pub class_name: String,
    pub name: PersonName,
    /// «М», «Ж» or empty.
    pub sex: String,
    /// ОВЗ: special educational needs.
    pub special_needs: bool,
    /// Mark in the subject for the previous term, if known (context data).
    pub previous_mark: Option<u8>,
}

/// A participant as the coordinator's screens see it (names inside the app only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Participant {
    pub id: i64,
    pub code: u32,
    pub class_id: i64,
    pub class_name: String,
    pub grade: u8,
    pub name: PersonName,
    pub sex: String,
    pub special_needs: bool,
    pub previous_mark: Option<u8>,
}

/// One criterion of an expert-scored task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Criterion {
    pub id: String,
    pub text: String,
    pub max: u32,
}

/// A closed item (auto-scored from the keys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClosedItem {
    pub id: String,
    pub points: u32,
}

/// One task of a work: closed items or expert criteria.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TaskSpec {
    pub number: u32,
    pub title: String,
    /// Spoken answer (recorded) rather than written.
    pub oral: bool,
    #[serde(default)]
    pub items: Vec<ClosedItem>,
    #[serde(default)]
    pub criteria: Vec<Criterion>,
}

impl TaskSpec {
    pub fn max_score(&self) -> u32 {
        self.items.iter().map(|i| i.points).sum::<u32>()
            + self.criteria.iter().map(|c| c.max).sum::<u32>()
    }

    pub fn is_expert(&self) -> bool {
        !self.criteria.is_empty()
    }
}

/// A mark band: totals from `min_total` up give `mark`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MarkBand {
    pub min_total: u32,
    pub mark: u8,
}

/// Second scoring: two experts per expert task; a third scores when the two
/// differ by more than `max_difference` points on a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SecondScoring {
    pub max_difference: u32,
}

/// What the package says about a work (tasks, maxima, marks, scoring rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WorkSpec {
    pub tasks: Vec<TaskSpec>,
    pub marks: Vec<MarkBand>,
    #[serde(default)]
    pub second_scoring: Option<SecondScoring>,
    /// Stations working at once in one room.
    pub stations_per_room: u32,
}

impl WorkSpec {
    pub fn max_total(&self) -> u32 {
        self.tasks.iter().map(TaskSpec::max_score).sum()
    }

    /// The mark for a total, from the highest band it reaches.
    pub fn mark_for(&self, total: u32) -> Option<u8> {
        self.marks
            .iter()
            .filter(|b| total >= b.min_total)
            .max_by_key(|b| b.min_total)
            .map(|b| b.mark)
    }

    pub fn task(&self, number: u32) -> Option<&TaskSpec> {
        self.tasks.iter().find(|t| t.number == number)
    }

    fn validate(&self) -> Result<()> {
        if self.tasks.is_empty() {
            return Err(CoordinatorError::Invalid("в работе нет заданий".into()));
        }
        let mut seen = std::collections::BTreeSet::new();
        for t in &self.tasks {
            if !seen.insert(t.number) {
                return Err(CoordinatorError::Invalid(format!(
                    "задание {} повторяется",
                    t.number
                )));
            }
            if t.items.is_empty() == t.criteria.is_empty() {
                return Err(CoordinatorError::Invalid(format!(
                    "задание {}: нужны либо позиции с ключами, либо критерии эксперта",
                    t.number
                )));
            }
        }
        if self.stations_per_room == 0 {
            return Err(CoordinatorError::Invalid(
                "число станций в аудитории равно нулю".into(),
            ));
        }
        Ok(())
    }
}

/// The keys of closed items, released on the exam day: item id → accepted answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Keys {
    /// Keys for every variant.
    pub items: BTreeMap<String, Vec<String>>,
    /// Variant-specific keys, taking precedence over `items` for that variant.
    #[serde(default)]
    pub variants: BTreeMap<u32, BTreeMap<String, Vec<String>>>,
    /// Items whose answers are compared with letter case.
    #[serde(default)]
    pub case_sensitive: Vec<String>,
}

impl Keys {
    /// The accepted answers of an item for a variant.
    pub fn accepted(&self, variant: u32, item: &str) -> Option<&Vec<String>> {
        self.variants
            .get(&variant)
            .and_then(|v| v.get(item))
            .or_else(|| self.items.get(item))
    }

    /// Whether `answer` is accepted for `item` in `variant` (same normalisation as the stations).
    pub fn accepts(&self, variant: u32, item: &str, answer: &str) -> bool {
        let case = if self.case_sensitive.iter().any(|i| i == item) {
            vpr_exam::CaseRule::Sensitive
        } else {
            vpr_exam::CaseRule::Insensitive
        };
        let given = vpr_exam::normalize(answer, case);
        !given.is_empty()
            && self
                .accepted(variant, item)
                .is_some_and(|acc| acc.iter().any(|a| vpr_exam::normalize(a, case) == given))
    }
}

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Room {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Station {
    pub id: i64,
    pub room_id: i64,
    pub number: u32,
    /// Hex Ed25519 public key of the station's signing key.
    pub public_key: String,
    /// SHA-256 of the public key as `vpr-integrity` displays it (`3f2a-9c01-…`).
    pub fingerprint: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Slot {
    pub id: i64,
    pub work_id: i64,
    pub room_id: i64,
    /// `HH:MM`.
    pub starts: String,
    pub ends: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    Organizer,
    Observer,
    Expert,
    Technician,
}

impl StaffRole {
    fn as_str(self) -> &'static str {
        match self {
            Self::Organizer => "organizer",
            Self::Observer => "observer",
            Self::Expert => "expert",
            Self::Technician => "technician",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "organizer" => Self::Organizer,
            "observer" => Self::Observer,
            "expert" => Self::Expert,
            "technician" => Self::Technician,
            other => {
                return Err(CoordinatorError::Corrupt(format!(
                    "неизвестная роль «{other}»"
                )))
            }
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewStaff {
    pub role: StaffRole,
    pub name: PersonName,
    /// Subjects the person teaches (for experts: the subjects they may score).
    pub subjects: Vec<String>,
    /// Class names the person teaches.
    pub teaches_classes: Vec<String>,
    pub experience_years: u32,
    pub school_employee: bool,
    pub parent_of_participant: bool,
    pub organization: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StaffMember {
    pub id: i64,
    pub role: StaffRole,
    pub name: PersonName,
    pub subjects: Vec<String>,
    pub teaches_classes: Vec<String>,
    pub experience_years: u32,
    pub school_employee: bool,
    pub parent_of_participant: bool,
    pub organization: String,
}

impl StaffMember {
    /// The label experts are known by in scores and exports (no name).
    pub fn label(&self) -> String {
        format!("Э-{:03}", self.id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Absence {
    pub work_id: i64,
    pub participant_id: i64,
    pub code: u32,
    pub reason: String,
    pub document: String,
    pub reserve_date: Option<String>,
}

fn json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| CoordinatorError::Corrupt(e.to_string()))
}

pub(crate) fn from_json<T: for<'a> Deserialize<'a>>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| CoordinatorError::Corrupt(e.to_string()))
}

fn non_empty(what: &str, s: &str) -> Result<()> {
    if s.trim().is_empty() {
        return Err(CoordinatorError::Invalid(format!("не заполнено: {what}")));
    }
    Ok(())
}

/// A new code never used before in this database (not even by a deleted participant).
fn fresh_code(tx: &Connection) -> Result<u32> {
    let used: i64 = tx.query_row("SELECT COUNT(*) FROM used_codes", [], |r| r.get(0))?;
    if used >= 90_000 {
        return Err(CoordinatorError::CodesExhausted);
    }
    for _ in 0..10_000 {
        let r = u32::from_le_bytes(random_bytes::<4>()?);
        // Rejection sampling keeps the distribution uniform.
        if r >= u32::MAX - (u32::MAX % 90_000) {
            continue;
        }
        let code = 10_000 + r % 90_000;
        if tx.execute(
            "INSERT OR IGNORE INTO used_codes (code) VALUES (?1)",
            [code],
        )? == 1
        {
            return Ok(code);
        }
    }
    Err(CoordinatorError::CodesExhausted)
}

impl Coordinator {
    // ----- school and classes

    pub fn set_school(&self, school: &School) -> Result<()> {
        non_empty("название ОО", &school.name)?;
        self.conn.execute(
            "INSERT INTO school (id, name, login, region, municipality, settlement, students_total)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (id) DO UPDATE SET name = ?1, login = ?2, region = ?3, municipality = ?4,
               settlement = ?5, students_total = ?6",
            params![
                school.name,
                school.login,
                school.region,
                school.municipality,
                school.settlement,
                school.students_total
            ],
        )?;
        Ok(())
    }

    pub fn school(&self) -> Result<Option<School>> {
        Ok(self
            .conn
            .query_row(
                "SELECT name, login, region, municipality, settlement, students_total FROM school",
                [],
                |r| {
                    Ok(School {
                        name: r.get(0)?,
                        login: r.get(1)?,
                        region: r.get(2)?,
                        municipality: r.get(3)?,
                        settlement: r.get(4)?,
                        students_total: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    /// Add a class or update its grade and language; returns its id.
    pub fn upsert_class(&self, name: &str, grade: u8, foreign_language: &str) -> Result<i64> {
        non_empty("класс", name)?;
        if !(1..=11).contains(&grade) {
            return Err(CoordinatorError::Invalid(format!(
                "класс «{name}»: параллель {grade} вне 1–11"
            )));
        }
        self.conn.execute(
            "INSERT INTO classes (name, grade, foreign_language) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET grade = ?2,
               foreign_language = CASE WHEN ?3 = '' THEN foreign_language ELSE ?3 END",
            params![name.trim(), grade, foreign_language.trim()],
        )?;
        Ok(self.conn.query_row(
            "SELECT id FROM classes WHERE name = ?1",
            [name.trim()],
            |r| r.get(0),
        )?)
    }

    pub fn classes(&self) -> Result<Vec<ClassInfo>> {
        let mut st = self.conn.prepare(
            "SELECT id, name, grade, foreign_language FROM classes ORDER BY grade, name",
        )?;
        let rows = st.query_map([], |r| {
            Ok(ClassInfo {
                id: r.get(0)?,
                name: r.get(1)?,
                grade: r.get(2)?,
                foreign_language: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ----- participants and codes

    /// Add participants in one transaction, each with a fresh random code.
    /// Duplicates (same class and name, also against those already stored)
    /// refuse the whole batch with the position of each.
    pub fn add_participants(&mut self, people: &[NewParticipant]) -> Result<Vec<u32>> {
        let tx = self.conn.unchecked_transaction()?;
        let codes = self.add_participants_in(people)?;
        tx.commit()?;
        Ok(codes)
    }

    /// As [`Coordinator::add_participants`] inside the caller's transaction.
    pub(crate) fn add_participants_in(&self, people: &[NewParticipant]) -> Result<Vec<u32>> {
        let mut issues = Vec::new();
        let mut seen = std::collections::HashMap::new();
        let mut indexes = Vec::with_capacity(people.len());
        for (i, p) in people.iter().enumerate() {
            let row = i as u32 + 1;
            let index = self.vault.blind_index(&format!(
                "{}|{}",
                p.class_name.trim().to_lowercase(),
                p.name.normalised()
            ));
            if let Some(first) = seen.insert(index.clone(), row) {
                issues.push(crate::error::RosterIssue {
                    row,
                    column: "ФИО".into(),
                    message: format!("тот же участник уже в записи {first}"),
                });
            } else if self
                .conn
                .query_row(
                    "SELECT 1 FROM participants WHERE name_index = ?1",
                    [&index],
                    |_| Ok(()),
                )
                .optional()?
                .is_some()
            {
                issues.push(crate::error::RosterIssue {
                    row,
                    column: "ФИО".into(),
                    message: "этот участник уже есть в базе".into(),
                });
            }
            indexes.push(index);
        }
        if !issues.is_empty() {
            return Err(CoordinatorError::Roster(issues));
        }
        let mut codes = Vec::with_capacity(people.len());
        for (p, index) in people.iter().zip(indexes) {
            let class_id: i64 = self
                .conn
                .query_row(
                    "SELECT id FROM classes WHERE name = ?1",
                    [p.class_name.trim()],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(|| {
                    CoordinatorError::Invalid(format!("класс «{}» не заведён", p.class_name))
                })?;
            let code = fresh_code(&self.conn)?;
            let sealed = self.vault.seal(json(&p.name)?.as_bytes())?;
            self.conn.execute(
                "INSERT INTO participants (code, class_id, name_sealed, name_index, sex, special_needs, previous_mark)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![code, class_id, sealed, index, p.sex, p.special_needs, p.previous_mark],
            )?;
            codes.push(code);
        }
        Ok(codes)
    }

    /// Delete a participant; the code stays used and is never handed out again.
    pub fn delete_participant(&mut self, id: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM absences WHERE participant_id = ?1", [id])?;
        tx.execute("DELETE FROM seating WHERE participant_id = ?1", [id])?;
        if tx.execute("DELETE FROM participants WHERE id = ?1", [id])? == 0 {
            return Err(CoordinatorError::Missing {
                what: "участник",
                id,
            });
        }
        tx.commit()?;
        Ok(())
    }

    /// Every participant with their name decrypted, ordered by class and code.
    pub fn participants(&self) -> Result<Vec<Participant>> {
        let mut st = self.conn.prepare(
            "SELECT p.id, p.code, p.class_id, c.name, c.grade, p.name_sealed, p.sex, p.special_needs, p.previous_mark
             FROM participants p JOIN classes c ON c.id = p.class_id ORDER BY c.grade, c.name, p.code",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, u8>(4)?,
                r.get::<_, Vec<u8>>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, bool>(7)?,
                r.get::<_, Option<u8>>(8)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, code, class_id, class_name, grade, sealed, sex, special_needs, previous_mark) =
                row?;
            let name: PersonName = from_json(&self.vault.open_str(&sealed)?)?;
            out.push(Participant {
                id,
                code,
                class_id,
                class_name,
                grade,
                name,
                sex,
                special_needs,
                previous_mark,
            });
        }
        Ok(out)
    }

    /// Participants of the grade a work is for.
    pub fn participants_of_work(&self, work_id: i64) -> Result<Vec<Participant>> {
        let work = self.work(work_id)?;
        Ok(self
            .participants()?
            .into_iter()
            .filter(|p| p.grade == work.grade)
            .collect())
    }

    // ----- works

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

    // ----- rooms, stations, slots

    pub fn add_room(&self, name: &str) -> Result<i64> {
        non_empty("аудитория", name)?;
        self.conn
            .execute("INSERT INTO rooms (name) VALUES (?1)", [name.trim()])?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn rooms(&self) -> Result<Vec<Room>> {
        let mut st = self
            .conn
            .prepare("SELECT id, name FROM rooms ORDER BY name")?;
        let rows = st.query_map([], |r| {
            Ok(Room {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Record a station's public signing key (hex, as `station-key.pub`
    /// holds it); its bundles are trusted from then on.
    pub fn add_station(&self, room_id: i64, number: u32, public_key_hex: &str) -> Result<Station> {
        let key = vpr_integrity::PublicKey::from_hex(public_key_hex).map_err(|_| {
            CoordinatorError::Invalid(
                "открытый ключ станции: ожидается 64 шестнадцатеричные цифры".into(),
            )
        })?;
        let fingerprint = key.fingerprint().to_string();
        self.conn.execute(
            "INSERT INTO stations (room_id, number, public_key, fingerprint) VALUES (?1, ?2, ?3, ?4)",
            params![room_id, number, key.to_hex(), fingerprint],
        )?;
        Ok(Station {
            id: self.conn.last_insert_rowid(),
            room_id,
            number,
            public_key: key.to_hex(),
            fingerprint,
        })
    }

    pub fn stations(&self) -> Result<Vec<Station>> {
        let mut st = self.conn.prepare("SELECT id, room_id, number, public_key, fingerprint FROM stations ORDER BY room_id, number")?;
        let rows = st.query_map([], |r| {
            Ok(Station {
                id: r.get(0)?,
                room_id: r.get(1)?,
                number: r.get(2)?,
                public_key: r.get(3)?,
                fingerprint: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn add_slot(&self, work_id: i64, room_id: i64, starts: &str, ends: &str) -> Result<i64> {
        let fmt = time::macros::format_description!("[hour]:[minute]");
        let s = time::Time::parse(starts, fmt).map_err(|_| {
            CoordinatorError::Invalid(format!("время «{starts}» не в формате ЧЧ:ММ"))
        })?;
        let e = time::Time::parse(ends, fmt)
            .map_err(|_| CoordinatorError::Invalid(format!("время «{ends}» не в формате ЧЧ:ММ")))?;
        if e <= s {
            return Err(CoordinatorError::Invalid(
                "конец смены раньше начала".into(),
            ));
        }
        self.work(work_id)?;
        self.conn.execute(
            "INSERT INTO slots (work_id, room_id, starts, ends) VALUES (?1, ?2, ?3, ?4)",
            params![work_id, room_id, starts, ends],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn slots(&self, work_id: i64) -> Result<Vec<Slot>> {
        let mut st = self.conn.prepare("SELECT id, work_id, room_id, starts, ends FROM slots WHERE work_id = ?1 ORDER BY room_id, starts")?;
        let rows = st.query_map([work_id], |r| {
            Ok(Slot {
                id: r.get(0)?,
                work_id: r.get(1)?,
                room_id: r.get(2)?,
                starts: r.get(3)?,
                ends: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Seat a participant in a slot; refused when the slot already holds as
    /// many participants as the package allows at once in one room.
    pub fn seat(&self, work_id: i64, participant_id: i64, slot_id: i64) -> Result<()> {
        let work = self.work(work_id)?;
        let taken: u32 = self.conn.query_row(
            "SELECT COUNT(*) FROM seating WHERE slot_id = ?1 AND participant_id != ?2",
            params![slot_id, participant_id],
            |r| r.get(0),
        )?;
        if taken >= work.spec.stations_per_room {
            return Err(CoordinatorError::Invalid(format!(
                "в смене уже {taken} участников: столько станций работает одновременно в аудитории"
            )));
        }
        self.conn.execute(
            "INSERT INTO seating (work_id, participant_id, slot_id) VALUES (?1, ?2, ?3)
             ON CONFLICT (work_id, participant_id) DO UPDATE SET slot_id = ?3",
            params![work_id, participant_id, slot_id],
        )?;
        Ok(())
    }

    /// Seat every unseated participant of the work into slots in order, creating
    /// consecutive slots of `minutes` in `room_id` from `first_start` as needed.
    pub fn seat_all(
        &self,
        work_id: i64,
        room_id: i64,
        first_start: &str,
        minutes: u32,
    ) -> Result<Vec<Slot>> {
        let work = self.work(work_id)?;
        let fmt = time::macros::format_description!("[hour]:[minute]");
        let mut start = time::Time::parse(first_start, fmt).map_err(|_| {
            CoordinatorError::Invalid(format!("время «{first_start}» не в формате ЧЧ:ММ"))
        })?;
        let seated: std::collections::HashSet<i64> = {
            let mut st = self
                .conn
                .prepare("SELECT participant_id FROM seating WHERE work_id = ?1")?;
            let ids = st
                .query_map([work_id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            ids
        };
        let absent: std::collections::HashSet<i64> = self
            .absences(work_id)?
            .into_iter()
            .map(|a| a.participant_id)
            .collect();
        let todo: Vec<Participant> = self
            .participants_of_work(work_id)?
            .into_iter()
            .filter(|p| !seated.contains(&p.id) && !absent.contains(&p.id))
            .collect();
        let mut made = Vec::new();
        for chunk in todo.chunks(work.spec.stations_per_room as usize) {
            let end = start + time::Duration::minutes(i64::from(minutes));
            let (s, e) = (
                start.format(fmt).unwrap_or_default(),
                end.format(fmt).unwrap_or_default(),
            );
            let slot_id = self.add_slot(work_id, room_id, &s, &e)?;
            for p in chunk {
                self.seat(work_id, p.id, slot_id)?;
            }
            made.push(Slot {
                id: slot_id,
                work_id,
                room_id,
                starts: s,
                ends: e,
            });
            start = end + time::Duration::minutes(10);
        }
        Ok(made)
    }

    /// `(slot, participants seated in it)` for one room.
    pub fn seating(&self, work_id: i64, room_id: i64) -> Result<Vec<(Slot, Vec<Participant>)>> {
        let people = self.participants()?;
        let mut out = Vec::new();
        for slot in self
            .slots(work_id)?
            .into_iter()
            .filter(|s| s.room_id == room_id)
        {
            let mut st = self
                .conn
                .prepare("SELECT participant_id FROM seating WHERE slot_id = ?1")?;
            let ids: Vec<i64> = st
                .query_map([slot.id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let seated = people
                .iter()
                .filter(|p| ids.contains(&p.id))
                .cloned()
                .collect();
            out.push((slot, seated));
        }
        Ok(out)
    }

    // ----- staff

    /// Add a staff member; refuses an observer who works at the school or is a
    /// participant's parent, and an expert without the subject or a year of experience.
    pub fn add_staff(&self, s: &NewStaff) -> Result<i64> {
        non_empty("фамилия", &s.name.last)?;
        match s.role {
            StaffRole::Observer if s.school_employee || s.parent_of_participant => {
                return Err(CoordinatorError::Invalid(
                    "общественный наблюдатель не может быть работником ОО или родителем участника"
                        .into(),
                ))
            }
            StaffRole::Expert if s.subjects.is_empty() => {
                return Err(CoordinatorError::Invalid(
                    "у эксперта не указан предмет".into(),
                ))
            }
            StaffRole::Expert if s.experience_years < 1 => {
                return Err(CoordinatorError::Invalid(
                    "эксперт должен иметь опыт преподавания предмета не менее одного года".into(),
                ))
            }
            _ => {}
        }
        self.conn.execute(
            "INSERT INTO staff (role, name_sealed, subjects, teaches_classes, experience_years, school_employee,
               parent_of_participant, organization) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                s.role.as_str(),
                self.vault.seal(json(&s.name)?.as_bytes())?,
                json(&s.subjects)?,
                json(&s.teaches_classes)?,
                s.experience_years,
                s.school_employee,
                s.parent_of_participant,
                s.organization
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn staff(&self) -> Result<Vec<StaffMember>> {
        let mut st = self.conn.prepare(
            "SELECT id, role, name_sealed, subjects, teaches_classes, experience_years, school_employee,
               parent_of_participant, organization FROM staff ORDER BY role, id",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Vec<u8>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, u32>(5)?,
                r.get::<_, bool>(6)?,
                r.get::<_, bool>(7)?,
                r.get::<_, String>(8)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (
                id,
                role,
                sealed,
                subjects,
                classes,
                experience_years,
                school_employee,
                parent,
                organization,
            ) = row?;
            out.push(StaffMember {
                id,
                role: StaffRole::parse(&role)?,
                name: from_json(&self.vault.open_str(&sealed)?)?,
                subjects: from_json(&subjects)?,
                teaches_classes: from_json(&classes)?,
                experience_years,
                school_employee,
                parent_of_participant: parent,
                organization,
            });
        }
        Ok(out)
    }

    pub fn remove_staff(&self, id: i64) -> Result<()> {
        if self.conn.execute("DELETE FROM staff WHERE id = ?1", [id])? == 0 {
            return Err(CoordinatorError::Missing {
                what: "сотрудник",
                id,
            });
        }
        Ok(())
    }

    /// Put an organizer in a room for a work; returns warnings (the regulations
    /// advise against an organizer who teaches the subject or a class in the room).
    pub fn assign_organizer(
        &self,
        staff_id: i64,
        work_id: i64,
        room_id: i64,
    ) -> Result<Vec<String>> {
        let member = self.staff()?.into_iter().find(|s| s.id == staff_id).ok_or(
            CoordinatorError::Missing {
                what: "сотрудник",
                id: staff_id,
            },
        )?;
        if member.role != StaffRole::Organizer {
            return Err(CoordinatorError::Invalid(
                "в аудиторию назначается организатор".into(),
            ));
        }
        self.conn.execute(
            "INSERT INTO staff_rooms (staff_id, work_id, room_id) VALUES (?1, ?2, ?3)
             ON CONFLICT (staff_id, work_id) DO UPDATE SET room_id = ?3",
            params![staff_id, work_id, room_id],
        )?;
        self.organizer_warnings(work_id, staff_id)
    }

    /// Warnings for one organizer's assignment in a work.
    pub fn organizer_warnings(&self, work_id: i64, staff_id: i64) -> Result<Vec<String>> {
        let work = self.work(work_id)?;
        let Some(member) = self.staff()?.into_iter().find(|s| s.id == staff_id) else {
            return Ok(Vec::new());
        };
        let room: Option<i64> = self
            .conn
            .query_row(
                "SELECT room_id FROM staff_rooms WHERE staff_id = ?1 AND work_id = ?2",
                params![staff_id, work_id],
                |r| r.get(0),
            )
            .optional()?;
        let mut warnings = Vec::new();
        let label = format!("организатор №{staff_id}");
        if member.subjects.iter().any(|s| {
            s.trim().eq_ignore_ascii_case(work.subject.trim())
                || s.trim().to_lowercase() == work.subject.trim().to_lowercase()
        }) {
            warnings.push(format!("{label} преподаёт предмет «{}»", work.subject));
        }
        if let Some(room) = room {
            let mut classes: Vec<String> = self
                .seating(work_id, room)?
                .into_iter()
                .flat_map(|(_, ps)| ps.into_iter().map(|p| p.class_name))
                .filter(|c| member.teaches_classes.iter().any(|t| t.trim() == c))
                .collect();
            classes.sort();
            classes.dedup();
            for c in classes {
                warnings.push(format!(
                    "{label} преподаёт в классе {c}, который пишет в этой аудитории"
                ));
            }
        }
        Ok(warnings)
    }

    // ----- absences

    /// Record an absence with its reason and document, optionally moving the
    /// participant to one of the work's reserve days.
    pub fn record_absence(
        &self,
        work_id: i64,
        participant_id: i64,
        reason: &str,
        document: &str,
        reserve_date: Option<&str>,
    ) -> Result<()> {
        non_empty("причина отсутствия", reason)?;
        let work = self.work(work_id)?;
        if let Some(d) = reserve_date {
            parse_date(d)?;
            if !work.reserve_dates.iter().any(|r| r == d) {
                return Err(CoordinatorError::Invalid(format!(
                    "{d} не резервный день этой работы"
                )));
            }
        }
        self.conn.execute(
            "INSERT INTO absences (work_id, participant_id, reason, document, reserve_date) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (work_id, participant_id) DO UPDATE SET reason = ?3, document = ?4, reserve_date = ?5",
            params![
                work_id,
                participant_id,
                self.vault.seal(reason.trim().as_bytes())?,
                self.vault.seal(document.trim().as_bytes())?,
                reserve_date
            ],
        )?;
        self.conn.execute(
            "DELETE FROM seating WHERE work_id = ?1 AND participant_id = ?2",
            params![work_id, participant_id],
        )?;
        Ok(())
    }

    pub fn clear_absence(&self, work_id: i64, participant_id: i64) -> Result<()> {
        self.conn.execute(
            "DELETE FROM absences WHERE work_id = ?1 AND participant_id = ?2",
            params![work_id, participant_id],
        )?;
        Ok(())
    }

    pub fn absences(&self, work_id: i64) -> Result<Vec<Absence>> {
        let mut st = self.conn.prepare(
            "SELECT a.work_id, a.participant_id, p.code, a.reason, a.document, a.reserve_date
             FROM absences a JOIN participants p ON p.id = a.participant_id WHERE a.work_id = ?1 ORDER BY p.code",
        )?;
        let rows = st.query_map([work_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, Vec<u8>>(3)?,
                r.get::<_, Vec<u8>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (work_id, participant_id, code, reason, document, reserve_date) = row?;
            // The reason (often health) and the document are sealed like names.
            out.push(Absence {
                work_id,
                participant_id,
                code,
                reason: self.vault.open_str(&reason)?,
                document: self.vault.open_str(&document)?,
                reserve_date,
            });
        }
        Ok(out)
    }

    // ----- retention

    /// The day from which the works and protocol may be purged: one year after the last work.
    pub fn retention_due(&self) -> Result<Option<String>> {
        let last: Option<String> = self
            .conn
            .query_row("SELECT MAX(date) FROM works", [], |r| r.get(0))?;
        let Some(last) = last else { return Ok(None) };
        let d = parse_date(&last)?;
        let due = d
            .replace_year(d.year() + 1)
            .unwrap_or_else(|_| d + time::Duration::days(365));
        Ok(Some(format_date(due)))
    }

    /// Purge names, protocol, answers and recordings once the year has passed
    /// and the coordinator has confirmed. Codes stay used.
    pub fn purge_expired(&mut self, today: &str, confirmed: bool) -> Result<()> {
        let today = parse_date(today)?;
        if let Some(due) = self.retention_due()? {
            if today < parse_date(&due)? {
                return Err(CoordinatorError::RetentionNotDue(due));
            }
        }
        if !confirmed {
            return Err(CoordinatorError::NotConfirmed);
        }
        let paths: Vec<String> = {
            let mut st = self
                .conn
                .prepare("SELECT path FROM recordings UNION SELECT stored_path FROM bundles")?;
            let p = st
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            p
        };
        let tx = self.conn.transaction()?;
        tx.execute_batch(
            "DELETE FROM expert_scores; DELETE FROM assignments; DELETE FROM auto_scores; DELETE FROM recordings;
             DELETE FROM submissions; DELETE FROM cross_packages; DELETE FROM bundles; DELETE FROM absences;
             DELETE FROM seating; DELETE FROM staff_rooms; DELETE FROM participants; DELETE FROM staff;",
        )?;
        tx.commit()?;
        for p in paths {
            let path = self.dir.join(p);
            if path.is_dir() {
                std::fs::remove_dir_all(path)?;
            } else if path.is_file() {
                std::fs::remove_file(path)?;
            }
        }
        self.conn.execute_batch("VACUUM")?;
        Ok(())
    }
}
