//! Statistics of a work: success per task, distributions of totals and
//! marks, by class, and the flags a coordinator would want to look at.

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

use crate::{
    tabular::{Cell, Table},
    Coordinator, Result,
};

/// Mean score of a task as a share of its maximum.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TaskSuccess {
    pub task: u32,
    pub title: String,
    pub max: u32,
    pub mean: f64,
    /// 0–100.
    pub percent: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ClassStats {
    pub class_name: String,
    pub participants: u32,
    pub mean_total: f64,
    /// 0–100 of the maximum total.
    pub percent: f64,
    /// Mark → count.
    pub marks: BTreeMap<u8, u32>,
    pub tasks: Vec<TaskSuccess>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// A participant's oral and written shares differ a lot.
    OralWrittenGap,
    /// Many totals just at or above a mark boundary, few just below.
    PileAboveBoundary,
    /// A class's mean is far from the school's.
    ClassFarFromSchool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Flag {
    pub kind: FlagKind,
    pub message: String,
}

/// Everything the statistics screen charts.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct WorkStats {
    pub work_id: i64,
    /// Fully scored participants counted.
    pub participants: u32,
    pub max_total: u32,
    pub mean_total: f64,
    pub tasks: Vec<TaskSuccess>,
    /// Index = total score, value = number of participants.
    pub totals: Vec<u32>,
    pub marks: BTreeMap<u8, u32>,
    pub classes: Vec<ClassStats>,
    pub flags: Vec<Flag>,
}

/// Oral and written shares further apart than this (0–1) are flagged.
pub const ORAL_WRITTEN_GAP: f64 = 0.5;
/// A class whose mean differs from the school's by more than this many percentage points is flagged.
pub const CLASS_GAP_POINTS: f64 = 15.0;

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

impl Coordinator {
    /// Statistics over the fully scored participants of a work.
    pub fn statistics(&self, work_id: i64) -> Result<WorkStats> {
        let work = self.work(work_id)?;
        let spec = &work.spec;
        let max_total = spec.max_total();
        let class_of: BTreeMap<u32, String> = self
            .participants()?
            .into_iter()
            .map(|p| (p.code, p.class_name))
            .collect();
        let done: Vec<_> = self
            .results(work_id)?
            .into_iter()
            .filter(|r| r.total().is_some())
            .collect();
        let per_task = |rs: &[&crate::scoring::ParticipantResult]| -> Vec<TaskSuccess> {
            spec.tasks
                .iter()
                .map(|t| {
                    let scores: Vec<f64> = rs
                        .iter()
                        .filter_map(|r| r.tasks.get(&t.number).copied().flatten())
                        .map(f64::from)
                        .collect();
                    let m = mean(&scores);
                    let max = t.max_score();
                    TaskSuccess {
                        task: t.number,
                        title: t.title.clone(),
                        max,
                        mean: m,
                        percent: if max == 0 {
                            0.0
                        } else {
                            100.0 * m / f64::from(max)
                        },
                    }
                })
                .collect()
        };
        let all: Vec<_> = done.iter().collect();
        let mut totals = vec![0u32; max_total as usize + 1];
        let mut marks = BTreeMap::new();
        let mut flags = Vec::new();
        for r in &done {
            let total = r.total().unwrap_or(0);
            if let Some(slot) = totals.get_mut(total as usize) {
                *slot += 1;
            }
            // Each participant's mark under the scale of the version sat.
            if let Some(m) = r.mark(spec) {
                *marks.entry(m).or_insert(0) += 1;
            }
            let version = r.adaptation.as_deref();
            let (oral_max, written_max): (u32, u32) =
                spec.tasks_of(version).fold((0, 0), |(o, w), t| {
                    if t.oral {
                        (o + t.max_score(), w)
                    } else {
                        (o, w + t.max_score())
                    }
                });
            if oral_max > 0 && written_max > 0 {
                let (mut o, mut w) = (0u32, 0u32);
                for t in spec.tasks_of(version) {
                    let v = r.tasks.get(&t.number).copied().flatten().unwrap_or(0);
                    if t.oral {
                        o += v;
                    } else {
                        w += v;
                    }
                }
                let (os, ws) = (
                    f64::from(o) / f64::from(oral_max),
                    f64::from(w) / f64::from(written_max),
                );
                if (os - ws).abs() > ORAL_WRITTEN_GAP {
                    flags.push(Flag {
                        kind: FlagKind::OralWrittenGap,
                        message: format!(
                            "код {}: устная часть {:.0}%, письменная {:.0}%",
                            r.code,
                            os * 100.0,
                            ws * 100.0
                        ),
                    });
                }
            }
        }
        // Piles: at least 3 participants in the two totals from a boundary up,
        // and at least twice as many as in the two totals just below it.
        for band in spec.marks.iter().filter(|b| b.min_total >= 2) {
            let at = |t: u32| totals.get(t as usize).copied().unwrap_or(0);
            let above = at(band.min_total) + at(band.min_total + 1);
            let below = at(band.min_total - 1) + at(band.min_total - 2);
            if above >= 3 && above >= 2 * below.max(1) {
                flags.push(Flag {
                    kind: FlagKind::PileAboveBoundary,
                    message: format!(
                        "{above} участников набрали {}–{} баллов (граница отметки «{}»), и лишь {below} — на 1–2 балла меньше",
                        band.min_total,
                        band.min_total + 1,
                        band.mark
                    ),
                });
            }
        }
        let school_mean = mean(
            &done
                .iter()
                .map(|r| f64::from(r.total().unwrap_or(0)))
                .collect::<Vec<_>>(),
        );
        let school_percent = if max_total == 0 {
            0.0
        } else {
            100.0 * school_mean / f64::from(max_total)
        };
        let mut by_class: BTreeMap<String, Vec<&crate::scoring::ParticipantResult>> =
            BTreeMap::new();
        for r in &done {
            by_class
                .entry(
                    class_of
                        .get(&r.code)
                        .cloned()
                        .unwrap_or_else(|| "без класса".into()),
                )
                .or_default()
                .push(r);
        }
        let mut classes = Vec::new();
        for (class_name, rs) in by_class {
            let m = mean(
                &rs.iter()
                    .map(|r| f64::from(r.total().unwrap_or(0)))
                    .collect::<Vec<_>>(),
            );
            let percent = if max_total == 0 {
                0.0
            } else {
                100.0 * m / f64::from(max_total)
            };
            let mut cm = BTreeMap::new();
            for r in &rs {
                if let Some(mark) = r.mark(spec) {
                    *cm.entry(mark).or_insert(0) += 1;
                }
            }
            if done.len() >= 2 && (percent - school_percent).abs() > CLASS_GAP_POINTS {
                flags.push(Flag {
                    kind: FlagKind::ClassFarFromSchool,
                    message: format!(
                        "класс {class_name}: {percent:.0}% от максимума при {school_percent:.0}% по школе"
                    ),
                });
            }
            classes.push(ClassStats {
                class_name,
                participants: rs.len() as u32,
                mean_total: m,
                percent,
                marks: cm,
                tasks: per_task(&rs),
            });
        }
        Ok(WorkStats {
            work_id,
            participants: done.len() as u32,
            max_total,
            mean_total: school_mean,
            tasks: per_task(&all),
            totals,
            marks,
            classes,
            flags,
        })
    }
}

impl WorkStats {
    /// The statistics as sheets (for the archive and the CLI); codes and class names only.
    pub fn tables(&self) -> Vec<Table> {
        let f = |x: f64| Cell::Number((x * 10.0).round() / 10.0);
        let mut tasks = Table {
            sheet: "Задания".into(),
            title: Some(format!(
                "Участников: {}, средний балл {:.1} из {}",
                self.participants, self.mean_total, self.max_total
            )),
            header: vec![
                "Задание".into(),
                "Содержание".into(),
                "Максимум".into(),
                "Средний балл".into(),
                "Выполнение, %".into(),
            ],
            rows: Vec::new(),
        };
        for t in &self.tasks {
            tasks.rows.push(vec![
                Cell::int(t.task),
                Cell::text(t.title.clone()),
                Cell::int(t.max),
                f(t.mean),
                f(t.percent),
            ]);
        }
        let mut dist = Table {
            sheet: "Распределение".into(),
            title: None,
            header: vec!["Сумма баллов".into(), "Участников".into()],
            rows: Vec::new(),
        };
        for (total, n) in self.totals.iter().enumerate() {
            dist.rows.push(vec![Cell::int(total as i64), Cell::int(*n)]);
        }
        for (m, n) in &self.marks {
            dist.rows
                .push(vec![Cell::text(format!("Отметка «{m}»")), Cell::int(*n)]);
        }
        let mut classes = Table {
            sheet: "Классы".into(),
            title: None,
            header: vec![
                "Класс".into(),
                "Участников".into(),
                "Средний балл".into(),
                "% от максимума".into(),
            ],
            rows: Vec::new(),
        };
        for c in &self.classes {
            classes.rows.push(vec![
                Cell::text(c.class_name.clone()),
                Cell::int(c.participants),
                f(c.mean_total),
                f(c.percent),
            ]);
        }
        let flags = Table {
            sheet: "Замечания".into(),
            title: None,
            header: vec!["Замечание".into()],
            rows: self
                .flags
                .iter()
                .map(|fl| vec![Cell::text(fl.message.clone())])
                .collect(),
        };
        vec![tasks, dist, classes, flags]
    }
}
