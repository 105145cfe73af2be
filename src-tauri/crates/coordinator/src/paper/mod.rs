//! Works taken on paper (any ВПР subject, or the written part of a
//! foreign-language work): the entry grid by participant code, short
//! answers typed from the sheet and checked against the work's keys, expert
//! scores with their criterion's range enforced, several people entering in
//! turn and every change logged ([`log`]). Paper entries are a source of the
//! same results as station works ([`Coordinator::results`]): the form, the
//! statistics and the sheets for parents take them alike, and a mixed work
//! joins a participant's paper tasks and station tasks under one code.

mod draft;
mod entries;
mod log;
mod sheets;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use vpr_exam::Keys;

pub(crate) use draft::checked_new_work;
pub use draft::{PaperKeyTable, PaperTaskDraft, PaperTaskKind, PaperVariantKeys, PaperWorkDraft};
pub use log::PaperLogEntry;
pub use sheets::{VARIANT_ITEM, VERSION_ITEM};

use crate::{
    model::{has_variant, item_key, now_string},
    scoring::{task_score, CriterionScore, Submission},
    Coordinator, CoordinatorError, Result, Work,
};

/// Longest value a cell takes (a short answer typed from a sheet).
pub const MAX_VALUE_CHARS: usize = 200;
/// Longest operator label.
pub const MAX_LABEL_CHARS: usize = 40;

/// Who enters paper results: a staff member of the coordinator's list, or
/// an operator label (never a participant's or staff member's name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EnteredBy {
    Staff { id: i64 },
    Operator { label: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PaperColumnKind {
    /// A short answer checked against the keys.
    Answer,
    /// An expert's score for a criterion.
    Criterion,
}

/// One column of the grid: a closed item or a criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PaperColumn {
    /// What `enter` takes as the item: the item's or criterion's id
    /// (`task:id` when the id repeats in the work).
    pub id: String,
    pub task: u32,
    pub kind: PaperColumnKind,
    /// Points of a right answer, or the criterion's maximum (range 0..=max).
    pub max: u32,
    pub title: String,
}

/// What a cell's value was checked as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PaperCheck {
    Empty,
    /// A short answer the keys accept.
    Right,
    /// A short answer the keys do not accept.
    Wrong,
    /// A short answer while the keys (or the participant's variant) are not in.
    NoKeys,
    /// An expert score within its criterion's range.
    InRange,
    /// The task is not part of the version the participant sat.
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PaperCell {
    pub column: String,
    pub value: Option<String>,
    pub check: PaperCheck,
    /// The points the cell gives once checked.
    pub points: Option<u32>,
}

/// One participant's row (by code only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PaperRow {
    pub code: u32,
    pub variant: u32,
    /// The adapted version sat (its id; None: the standard one).
    pub version: Option<String>,
    /// The participant's station part came in: variant and version are the station's.
    pub from_station: bool,
    pub absent: bool,
    pub cells: Vec<PaperCell>,
    /// Points of the checked cells so far.
    pub points: u32,
    /// Every cell of the version's tasks is filled.
    pub complete: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PaperGrid {
    pub work_id: i64,
    pub columns: Vec<PaperColumn>,
    pub rows: Vec<PaperRow>,
    pub keys_released: bool,
}

/// The grid's columns of a work, in task order.
pub fn paper_columns(work: &Work) -> Vec<PaperColumn> {
    let mut seen: HashMap<&str, u32> = HashMap::new();
    for t in &work.spec.tasks {
        for id in t
            .items
            .iter()
            .map(|i| i.id.as_str())
            .chain(t.criteria.iter().map(|c| c.id.as_str()))
        {
            *seen.entry(id).or_insert(0) += 1;
        }
    }
    let col_id = |task: u32, id: &str| {
        if seen.get(id).copied().unwrap_or(0) > 1 {
            format!("{task}:{id}")
        } else {
            id.to_string()
        }
    };
    let mut out = Vec::new();
    for t in &work.spec.tasks {
        for i in &t.items {
            out.push(PaperColumn {
                id: col_id(t.number, &i.id),
                task: t.number,
                kind: PaperColumnKind::Answer,
                max: i.points,
                title: format!("{} · {}", t.number, i.id),
            });
        }
        for c in &t.criteria {
            out.push(PaperColumn {
                id: col_id(t.number, &c.id),
                task: t.number,
                kind: PaperColumnKind::Criterion,
                max: c.max_points,
                title: format!("{} · {}", t.number, c.id),
            });
        }
    }
    out
}

/// The item or criterion id a column stands for.
fn raw_id(c: &PaperColumn) -> &str {
    c.id.split_once(':').map_or(c.id.as_str(), |(_, id)| id)
}

/// The paper side of a work's results: per code and task the paper score
/// (None while incomplete), per code the criteria and answers entered.
#[derive(Debug, Default)]
pub(crate) struct PaperSource {
    pub codes: BTreeSet<u32>,
    pub variants: HashMap<u32, u32>,
    /// The version each code sat (None: the standard one).
    pub versions: HashMap<u32, Option<String>>,
    tasks: HashMap<(u32, u32), Option<u32>>,
    pub criteria: HashMap<u32, BTreeMap<String, u32>>,
    pub answers: HashMap<u32, BTreeMap<String, String>>,
}

impl PaperSource {
    /// The paper score of a task for a code: Some when the task was entered
    /// on paper (inner None while incomplete), None when it was not.
    pub fn task(&self, code: u32, task: u32) -> Option<Option<u32>> {
        self.tasks.get(&(code, task)).copied()
    }
}

fn check_answer(keys: Option<&Keys>, variant: u32, item: &str, value: &str) -> PaperCheck {
    match keys {
        Some(k) if has_variant(k, variant) => {
            if item_key(k, variant, item).is_some_and(|key| key.accepts(value)) {
                PaperCheck::Right
            } else {
                PaperCheck::Wrong
            }
        }
        _ => PaperCheck::NoKeys,
    }
}

impl Coordinator {
    /// The variant of a paper participant: the station's when a station part
    /// exists, else the sheet's, else the one the seating gives, else the
    /// work's first.
    fn paper_variants(&self, work: &Work, subs: &[Submission]) -> Result<HashMap<u32, u32>> {
        let default = work.spec.variants.first().copied().unwrap_or(1);
        let mut v: HashMap<u32, u32> = self
            .participants_of_work(work.id)?
            .iter()
            .map(|p| (p.code, default))
            .collect();
        v.extend(self.seat_variants(work.id)?);
        v.extend(
            self.paper_sheets(work.id)?
                .into_iter()
                .map(|(c, s)| (c, s.variant)),
        );
        v.extend(subs.iter().map(|s| (s.code, s.variant)));
        Ok(v)
    }

    pub(crate) fn paper_source(&self, work: &Work, subs: &[Submission]) -> Result<PaperSource> {
        let entries = self.paper_entries(work.id)?;
        let mut out = PaperSource::default();
        if entries.is_empty() {
            return Ok(out);
        }
        let variants = self.paper_variants(work, subs)?;
        let versions = self.paper_versions(work, subs)?;
        let keys = self.keys(work.id).ok();
        let mut by_task: BTreeMap<(u32, u32), Vec<&entries::Entry>> = BTreeMap::new();
        for e in &entries {
            out.codes.insert(e.code);
            by_task.entry((e.code, e.task)).or_default().push(e);
        }
        for ((code, task), es) in by_task {
            let variant = variants.get(&code).copied().unwrap_or(1);
            out.variants.insert(code, variant);
            out.versions
                .insert(code, versions.get(&code).cloned().flatten());
            let Some(spec) = work.spec.task(task) else {
                continue;
            };
            let score = if spec.is_expert() {
                let given: Vec<CriterionScore> = es
                    .iter()
                    .filter_map(|e| {
                        Some(CriterionScore {
                            criterion: e.item.clone(),
                            score: e.value.parse().ok()?,
                            note: String::new(),
                        })
                    })
                    .collect();
                for g in &given {
                    out.criteria
                        .entry(code)
                        .or_default()
                        .insert(g.criterion.clone(), g.score);
                }
                task_score(spec, &given)
            } else {
                let mut sum = Some(0u32);
                for item in &spec.items {
                    let value = es.iter().find(|e| e.item == item.id).map(|e| &e.value);
                    let check = value.map(|v| check_answer(keys.as_ref(), variant, &item.id, v));
                    sum = match (sum, check) {
                        (Some(s), Some(PaperCheck::Right)) => Some(s + item.points),
                        (Some(s), Some(PaperCheck::Wrong)) => Some(s),
                        _ => None,
                    };
                }
                for e in &es {
                    out.answers
                        .entry(code)
                        .or_default()
                        .insert(e.item.clone(), e.value.clone());
                }
                sum.map(|s| s.min(spec.max_score()))
            };
            out.tasks.insert((code, task), score);
        }
        Ok(out)
    }

    /// The entry grid of a work: a row per participant of the work (by
    /// code), a column per closed item and per criterion.
    pub fn paper_grid(&self, work_id: i64) -> Result<PaperGrid> {
        let work = self.work(work_id)?;
        let columns = paper_columns(&work);
        let subs = self.submissions(work_id)?;
        let variants = self.paper_variants(&work, &subs)?;
        let versions = self.paper_versions(&work, &subs)?;
        let keys = self.keys(work_id).ok();
        let absent: BTreeSet<i64> = self
            .absences(work_id)?
            .iter()
            .map(|a| a.participant_id)
            .collect();
        let mut values: HashMap<(u32, u32, String), String> = HashMap::new();
        for e in self.paper_entries(work_id)? {
            values.insert((e.code, e.task, e.item), e.value);
        }
        let mut people = self.participants_of_work(work_id)?;
        people.sort_by_key(|p| p.code);
        let rows = people
            .iter()
            .map(|p| {
                let variant = variants.get(&p.code).copied().unwrap_or(1);
                let version = versions.get(&p.code).cloned().flatten();
                let cells: Vec<PaperCell> = columns
                    .iter()
                    .map(|c| {
                        let value = values
                            .get(&(p.code, c.task, raw_id(c).to_string()))
                            .cloned();
                        if work.spec.applies(version.as_deref(), c.task) {
                            cell(c, value, keys.as_ref(), variant)
                        } else {
                            PaperCell {
                                column: c.id.clone(),
                                value,
                                check: PaperCheck::NotApplicable,
                                points: None,
                            }
                        }
                    })
                    .collect();
                PaperRow {
                    code: p.code,
                    variant,
                    from_station: subs.iter().any(|s| s.code == p.code),
                    absent: absent.contains(&p.id),
                    points: cells.iter().filter_map(|c| c.points).sum(),
                    complete: cells
                        .iter()
                        .all(|c| c.value.is_some() || c.check == PaperCheck::NotApplicable),
                    version,
                    cells,
                }
            })
            .collect();
        Ok(PaperGrid {
            work_id,
            columns,
            rows,
            keys_released: keys.is_some(),
        })
    }

    /// Enter one value from a participant's sheet: a short answer (checked
    /// against the keys) or an expert's score (refused outside its
    /// criterion's range); an empty value clears the cell. Every change is
    /// logged with who and when. Returns the participant's updated row.
    pub fn paper_enter(
        &self,
        work_id: i64,
        code: u32,
        item: &str,
        value: &str,
        by: &EnteredBy,
    ) -> Result<PaperRow> {
        let work = self.work(work_id)?;
        let item = item.trim();
        let refuse = |reason: String| CoordinatorError::PaperEntry {
            code,
            item: item.to_string(),
            reason,
        };
        let column = paper_columns(&work)
            .into_iter()
            .find(|c| c.id == item)
            .ok_or_else(|| refuse("в работе нет такого задания или критерия".into()))?;
        if !self
            .participants_of_work(work_id)?
            .iter()
            .any(|p| p.code == code)
        {
            return Err(refuse("такого кода нет среди участников работы".into()));
        }
        let version = self
            .paper_versions(&work, &self.submissions(work_id)?)?
            .remove(&code)
            .flatten();
        if !work.spec.applies(version.as_deref(), column.task) {
            let title = work
                .spec
                .version(version.as_deref())
                .map_or_else(String::new, |v| v.title.clone());
            return Err(refuse(format!(
                "задание {} не входит в версию участника («{title}»)",
                column.task
            )));
        }
        let value = value.trim();
        if value.chars().count() > MAX_VALUE_CHARS {
            return Err(refuse(format!("ответ длиннее {MAX_VALUE_CHARS} символов")));
        }
        let new = if value.is_empty() {
            None
        } else if column.kind == PaperColumnKind::Criterion {
            let score: u32 = (value.len() <= 6 && value.bytes().all(|b| b.is_ascii_digit()))
                .then(|| value.parse().ok())
                .flatten()
                .ok_or_else(|| {
                    refuse(format!(
                        "балл — целое число от 0 до {} (введено «{value}»)",
                        column.max
                    ))
                })?;
            if score > column.max {
                return Err(CoordinatorError::PaperOutOfRange {
                    code,
                    item: item.to_string(),
                    value: score,
                    max: column.max,
                });
            }
            Some(score.to_string())
        } else {
            Some(value.to_string())
        };
        let (by_staff, label) = self.entered_by_label(by)?;
        let raw = raw_id(&column).to_string();
        let old = self.paper_value(work_id, code, column.task, &raw)?;
        if old != new {
            let at = now_string();
            let tx = self.conn.unchecked_transaction()?;
            self.put_paper_value(
                work_id,
                code,
                column.task,
                &raw,
                new.as_deref(),
                by_staff,
                &label,
                &at,
            )?;
            self.log_paper_change(
                work_id,
                &PaperLogEntry {
                    code,
                    task: column.task,
                    item: raw,
                    old_value: old,
                    new_value: new,
                    by_staff,
                    by: label,
                    at,
                },
            )?;
            tx.commit()?;
        }
        self.paper_grid(work_id)?
            .rows
            .into_iter()
            .find(|r| r.code == code)
            .ok_or_else(|| refuse("такого кода нет среди участников работы".into()))
    }

    /// The label stored for who entered: the staff member's label, or the
    /// operator label checked to be no one's name.
    fn entered_by_label(&self, by: &EnteredBy) -> Result<(Option<i64>, String)> {
        match by {
            EnteredBy::Staff { id } => {
                let m = self.staff()?.into_iter().find(|s| s.id == *id).ok_or(
                    CoordinatorError::Missing {
                        what: "сотрудник",
                        id: *id,
                    },
                )?;
                Ok((Some(m.id), m.label()))
            }
            EnteredBy::Operator { label } => {
                let label = label.trim();
                let bad = |why: &str| CoordinatorError::PaperBy(why.to_string());
                if label.is_empty() {
                    return Err(bad("укажите, кто вносит результаты"));
                }
                if label.chars().count() > MAX_LABEL_CHARS {
                    return Err(bad("метка оператора длиннее 40 символов"));
                }
                let words: Vec<String> = label
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(str::to_lowercase)
                    .collect();
                let mut names: Vec<String> = Vec::new();
                for p in self.participants()? {
                    names.extend([p.name.last, p.name.first, p.name.middle]);
                }
                for s in self.staff()? {
                    names.extend([s.name.last, s.name.first, s.name.middle]);
                }
                let is_name = names
                    .iter()
                    .map(|n| n.trim().to_lowercase())
                    .filter(|n| n.chars().count() >= 2)
                    .any(|n| words.contains(&n));
                if is_name {
                    return Err(bad("метка оператора не может содержать имя участника или сотрудника: выберите сотрудника из списка или метку вида «Оператор 1»"));
                }
                Ok((None, label.to_string()))
            }
        }
    }
}

fn cell(c: &PaperColumn, value: Option<String>, keys: Option<&Keys>, variant: u32) -> PaperCell {
    let (check, points) = match (&value, c.kind) {
        (None, _) => (PaperCheck::Empty, None),
        (Some(v), PaperColumnKind::Answer) => match check_answer(keys, variant, raw_id(c), v) {
            PaperCheck::Right => (PaperCheck::Right, Some(c.max)),
            PaperCheck::Wrong => (PaperCheck::Wrong, Some(0)),
            other => (other, None),
        },
        (Some(v), PaperColumnKind::Criterion) => (PaperCheck::InRange, v.parse().ok()),
    };
    PaperCell {
        column: c.id.clone(),
        value,
        check,
        points,
    }
}
