//! A paper work described in the coordinator's window, without a package
//! (any ВПР subject written on paper): its tasks as the teacher reads them
//! off the criteria sheet — short answers (each right or wrong, with its
//! points) or expert criteria (each scored 0…max) —, the number of
//! variants, the lowest totals for the marks 3, 4 and 5, and then the keys
//! typed per variant and item. Both become the same [`WorkSpec`] and
//! [`Keys`] a package gives; every field is checked with caps and named
//! when refused. No SQL here: [`Coordinator::add_work`] and
//! [`Coordinator::set_keys`] store them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use vpr_exam::{keys::TaskKeys, keys::VariantKeys, CaseRule, Criterion, ItemKey, Keys};

use crate::{
    model::{ClosedItem, MarkBand, TaskSpec, WorkSpec},
    Coordinator, CoordinatorError, NewWork, Result, Work,
};

/// Most tasks a paper work has (the longest ВПР has under 40).
pub const MAX_TASKS: usize = 60;
/// Most answers or criteria one task has.
pub const MAX_PARTS: u32 = 20;
/// Most points one short answer gives, or one criterion's maximum.
pub const MAX_POINTS: u32 = 20;
/// Most variants.
pub const MAX_VARIANTS: u32 = 20;
/// Longest subject or task title.
pub const MAX_TITLE_CHARS: usize = 120;
/// Longest key text (every accepted spelling, `;` between them).
pub const MAX_KEY_CHARS: usize = 400;

/// How a task of a paper work is scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PaperTaskKind {
    /// `count` short answers typed from the sheet, each right (`points`) or wrong (0).
    Answers { count: u32, points: u32 },
    /// `count` expert criteria, each scored 0…`max`.
    Criteria { count: u32, max: u32 },
}

/// One task as described in the window (numbered by its place, from 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PaperTaskDraft {
    #[serde(default)]
    pub title: String,
    pub kind: PaperTaskKind,
}

/// A paper work as described in the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PaperWorkDraft {
    pub subject: String,
    pub grade: u8,
    /// `YYYY-MM-DD`.
    pub date: String,
    #[serde(default)]
    pub reserve_dates: Vec<String>,
    pub upload_deadline: String,
    /// Variants 1…`variants`.
    pub variants: u32,
    pub tasks: Vec<PaperTaskDraft>,
    /// The lowest totals for the marks 3, 4 and 5 (below the first: 2).
    pub marks: Vec<u32>,
}

/// The keys of a paper work as typed: per variant, per short-answer item
/// every accepted spelling with `;` between them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct PaperKeyTable {
    pub variants: Vec<PaperVariantKeys>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct PaperVariantKeys {
    pub number: u32,
    /// Item id → accepted answers (`;` between spellings).
    pub answers: BTreeMap<String, String>,
}

fn refuse(field: impl Into<String>, reason: impl Into<String>) -> CoordinatorError {
    CoordinatorError::PaperWork {
        field: field.into(),
        reason: reason.into(),
    }
}

fn title(field: &str, s: &str) -> Result<String> {
    let s = s.trim();
    if s.chars().count() > MAX_TITLE_CHARS {
        return Err(refuse(field, format!("длиннее {MAX_TITLE_CHARS} символов")));
    }
    Ok(s.to_string())
}

fn in_range(field: &str, what: &str, v: u32, max: u32) -> Result<u32> {
    if v == 0 || v > max {
        return Err(refuse(
            field,
            format!("{what}: от 1 до {max} (указано {v})"),
        ));
    }
    Ok(v)
}

impl PaperTaskDraft {
    /// The task's spec: item ids `N` (one answer) or `N.1`, `N.2` …;
    /// criterion ids `NК1`, `NК2` ….
    fn to_task(&self, number: u32) -> Result<TaskSpec> {
        let field = format!("задание {number}");
        let title = match title(&field, &self.title)? {
            t if t.is_empty() => format!("Задание {number}"),
            t => t,
        };
        let (items, criteria) = match self.kind {
            PaperTaskKind::Answers { count, points } => {
                let count = in_range(&field, "число ответов", count, MAX_PARTS)?;
                let points = in_range(&field, "баллов за верный ответ", points, MAX_POINTS)?;
                let items = (1..=count)
                    .map(|k| ClosedItem {
                        id: if count == 1 {
                            number.to_string()
                        } else {
                            format!("{number}.{k}")
                        },
                        points,
                    })
                    .collect();
                (items, Vec::new())
            }
            PaperTaskKind::Criteria { count, max } => {
                let count = in_range(&field, "число критериев", count, MAX_PARTS)?;
                let max = in_range(&field, "наибольший балл критерия", max, MAX_POINTS)?;
                let criteria = (1..=count)
                    .map(|k| Criterion {
                        id: format!("{number}К{k}"),
                        name: if count == 1 {
                            title.clone()
                        } else {
                            format!("{title}, критерий {k}")
                        },
                        max_points: max,
                        description: String::new(),
                        levels: Vec::new(),
                        critical: false,
                    })
                    .collect();
                (Vec::new(), criteria)
            }
        };
        Ok(TaskSpec {
            number,
            title,
            oral: false,
            items,
            criteria,
            parts: 0,
        })
    }
}

impl PaperWorkDraft {
    /// The work's spec, every field checked.
    pub fn to_spec(&self) -> Result<WorkSpec> {
        if self.tasks.is_empty() {
            return Err(refuse("задания", "добавьте хотя бы одно задание"));
        }
        if self.tasks.len() > MAX_TASKS {
            return Err(refuse("задания", format!("больше {MAX_TASKS} заданий")));
        }
        let variants = in_range("варианты", "число вариантов", self.variants, MAX_VARIANTS)?;
        let tasks = self
            .tasks
            .iter()
            .zip(1u32..)
            .map(|(t, n)| t.to_task(n))
            .collect::<Result<Vec<_>>>()?;
        let max: u32 = tasks.iter().map(TaskSpec::max_score).sum();
        if self.marks.len() != 3 {
            return Err(refuse(
                "отметки",
                "нужны три порога: наименьшие суммы для «3», «4» и «5»",
            ));
        }
        let mut marks = vec![MarkBand {
            min_total: 0,
            mark: 2,
        }];
        let mut below = 0;
        for (min, mark) in self.marks.iter().copied().zip(3u8..) {
            let field = format!("отметка «{mark}»");
            if min <= below || min > max {
                return Err(refuse(
                    field,
                    format!(
                        "порог {min}: нужен больше {below} и не больше максимума работы ({max})"
                    ),
                ));
            }
            below = min;
            marks.push(MarkBand {
                min_total: min,
                mark,
            });
        }
        Ok(WorkSpec {
            tasks,
            marks,
            second_scoring: None,
            stations_per_room: 1,
            versions: Vec::new(),
            variants: (1..=variants).collect(),
        })
    }
}

impl PaperKeyTable {
    /// The keys of a spec: every short-answer item of every variant needs
    /// at least one accepted answer; an item or variant the work does not
    /// have is refused.
    pub fn to_keys(&self, spec: &WorkSpec) -> Result<Keys> {
        let items: Vec<(&TaskSpec, &ClosedItem)> = spec
            .tasks
            .iter()
            .flat_map(|t| t.items.iter().map(move |i| (t, i)))
            .collect();
        let mut variants = Vec::new();
        for &number in &spec.variants {
            let given = self.variants.iter().find(|v| v.number == number);
            let field = |id: &str| format!("вариант {number}, ответ {id}");
            if let Some(g) = given {
                if let Some(id) = g
                    .answers
                    .keys()
                    .find(|id| !items.iter().any(|(_, i)| &i.id == *id))
                {
                    return Err(refuse(field(id), "в работе нет такой позиции"));
                }
            }
            let mut tasks: Vec<TaskKeys> = Vec::new();
            for t in &spec.tasks {
                let mut keys = Vec::new();
                for i in &t.items {
                    let text = given
                        .and_then(|g| g.answers.get(&i.id))
                        .map_or("", |s| s.as_str());
                    if text.chars().count() > MAX_KEY_CHARS {
                        return Err(refuse(
                            field(&i.id),
                            format!("длиннее {MAX_KEY_CHARS} символов"),
                        ));
                    }
                    let accepted: Vec<String> = text
                        .split(';')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect();
                    if accepted.is_empty() {
                        return Err(refuse(field(&i.id), "не указан верный ответ"));
                    }
                    keys.push(ItemKey {
                        id: i.id.clone(),
                        accepted,
                        points: i.points,
                        case: CaseRule::Insensitive,
                    });
                }
                tasks.push(TaskKeys {
                    number: t.number,
                    items: keys,
                    criteria: t.criteria.clone(),
                });
            }
            variants.push(VariantKeys { number, tasks });
        }
        if let Some(v) = self
            .variants
            .iter()
            .find(|v| !spec.variants.contains(&v.number))
        {
            return Err(refuse(
                format!("вариант {}", v.number),
                "в работе нет такого варианта",
            ));
        }
        Ok(Keys {
            package_id: String::new(),
            variants,
        })
    }

    /// The table of stored keys (empty answers where none are in).
    pub fn from_keys(spec: &WorkSpec, keys: Option<&Keys>) -> Self {
        let variants = spec
            .variants
            .iter()
            .map(|&number| {
                let stored = keys.and_then(|k| k.variants.iter().find(|v| v.number == number));
                let answers = spec
                    .tasks
                    .iter()
                    .flat_map(|t| &t.items)
                    .map(|i| {
                        let text = stored
                            .and_then(|v| {
                                v.tasks.iter().flat_map(|t| &t.items).find(|k| k.id == i.id)
                            })
                            .map(|k| k.accepted.join("; "))
                            .unwrap_or_default();
                        (i.id.clone(), text)
                    })
                    .collect();
                PaperVariantKeys { number, answers }
            })
            .collect();
        Self { variants }
    }
}

/// The work a draft describes, its subject, grade and tasks checked.
pub(crate) fn checked_new_work(draft: &PaperWorkDraft) -> Result<NewWork> {
    let subject = title("предмет", &draft.subject)?;
    if subject.is_empty() {
        return Err(refuse("предмет", "не указан"));
    }
    if !(1..=11).contains(&draft.grade) {
        return Err(refuse(
            "класс",
            format!("от 1 до 11 (указано {})", draft.grade),
        ));
    }
    Ok(NewWork {
        package_id: String::new(),
        subject,
        grade: draft.grade,
        date: draft.date.clone(),
        reserve_dates: draft.reserve_dates.clone(),
        upload_deadline: draft.upload_deadline.clone(),
        spec: draft.to_spec()?,
    })
}

impl Coordinator {
    /// Add a paper work described in the window (no package).
    pub fn add_paper_work(&self, draft: &PaperWorkDraft) -> Result<Work> {
        let id = self.add_work(&checked_new_work(draft)?)?;
        self.work(id)
    }

    /// The keys of a work described without a package, as the table the
    /// window edits.
    pub fn paper_key_table(&self, work_id: i64) -> Result<PaperKeyTable> {
        let work = self.work(work_id)?;
        Ok(PaperKeyTable::from_keys(
            &work.spec,
            self.keys(work_id).ok().as_ref(),
        ))
    }

    /// Store the keys typed for a work described without a package (a
    /// package's work takes its keys only from the package).
    pub fn set_paper_keys(&self, work_id: i64, table: &PaperKeyTable) -> Result<Work> {
        let work = self.work(work_id)?;
        self.set_keys(work_id, &table.to_keys(&work.spec)?)?;
        self.work(work_id)
    }
}
