//! What a work consists of (tasks, items, criteria, marks): the JSON held
//! in `works.spec`, built from an exam package (`vpr-exam`) and completed by
//! its keys. No SQL here. Criteria and keys are the package's own types.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use vpr_exam::{Criterion, ItemKey, Keys, TaskContent};

use crate::{CoordinatorError, Result};

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
    /// Answers recorded apart: an interview's questions or the prompts of
    /// «ask questions» (0 for a task recorded or written as one answer).
    #[serde(default)]
    pub parts: u32,
}

impl TaskSpec {
    pub fn max_score(&self) -> u32 {
        self.items.iter().map(|i| i.points).sum::<u32>()
            + self.criteria.iter().map(|c| c.max_points).sum::<u32>()
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
    /// The adapted versions (ОВЗ) and what each leaves out (absent in works
    /// added before versions were scored: every participant as standard).
    #[serde(default)]
    pub versions: Vec<super::VersionSpec>,
    /// The package's variant numbers (absent in works added before: any).
    #[serde(default)]
    pub variants: Vec<u32>,
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

    pub(crate) fn validate(&self) -> Result<()> {
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

impl WorkSpec {
    /// The work's tasks, maxima and mark conversion from a package (the
    /// lowest variant gives the structure; every variant has the same
    /// tasks). Before the keys are released an oral task has one criterion
    /// worth its maximum and every closed item one point; [`WorkSpec::with_keys`]
    /// puts in the real criteria and points.
    pub fn from_package(package: &vpr_exam::Package, stations_per_room: u32) -> Self {
        let variant = package.variants.iter().min_by_key(|v| v.number);
        let tasks = variant
            .map(|v| {
                v.tasks
                    .iter()
                    .map(|t| {
                        if t.is_expert_scored() {
                            TaskSpec {
                                number: t.number,
                                title: t.title.clone(),
                                oral: t.is_oral(),
                                parts: match t.content {
                                    TaskContent::Interview(_) | TaskContent::AskQuestions(_) => {
                                        t.recorded_parts()
                                    }
                                    _ => 0,
                                },
                                items: Vec::new(),
                                criteria: vec![Criterion {
                                    id: format!("{}.score", t.number),
                                    name: t.title.clone(),
                                    max_points: t.max_score,
                                    description: String::new(),
                                    levels: Vec::new(),
                                    critical: false,
                                }],
                            }
                        } else {
                            TaskSpec {
                                number: t.number,
                                title: t.title.clone(),
                                oral: false,
                                items: t
                                    .item_ids()
                                    .into_iter()
                                    .map(|id| ClosedItem {
                                        id: id.to_string(),
                                        points: 1,
                                    })
                                    .collect(),
                                criteria: Vec::new(),
                                parts: 0,
                            }
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        WorkSpec {
            tasks,
            marks: package
                .conversion
                .iter()
                .map(|b| MarkBand {
                    min_total: b.min,
                    mark: b.mark.min(5) as u8,
                })
                .collect(),
            second_scoring: None,
            stations_per_room,
            versions: super::VersionSpec::from_package(package),
            variants: {
                let mut v: Vec<u32> = package.variants.iter().map(|v| v.number).collect();
                v.sort_unstable();
                v
            },
        }
    }

    /// The spec with the keys' item points and the experts' criteria (which
    /// arrive with the keys), taken from the lowest variant that has them.
    /// Every closed item needs a key in at least one variant.
    pub fn with_keys(&self, keys: &Keys) -> Result<Self> {
        let mut variants: Vec<&vpr_exam::keys::VariantKeys> = keys.variants.iter().collect();
        variants.sort_by_key(|v| v.number);
        let task_keys = |n: u32| {
            variants
                .iter()
                .filter_map(move |v| v.tasks.iter().find(|t| t.number == n))
        };
        let mut out = self.clone();
        for t in &mut out.tasks {
            for item in &mut t.items {
                let key = task_keys(t.number)
                    .find_map(|tk| tk.items.iter().find(|k| k.id == item.id))
                    .ok_or_else(|| {
                        CoordinatorError::Invalid(format!(
                            "в ключах нет позиции {} (задание {})",
                            item.id, t.number
                        ))
                    })?;
                item.points = key.points;
            }
            if t.is_expert() {
                if let Some(tk) = task_keys(t.number).find(|tk| !tk.criteria.is_empty()) {
                    t.criteria = tk.criteria.clone();
                }
            }
        }
        Ok(out)
    }
}

/// The key of a closed item for a variant, wherever in the variant's tasks it is.
pub fn item_key<'k>(keys: &'k Keys, variant: u32, item: &str) -> Option<&'k ItemKey> {
    keys.variants
        .iter()
        .find(|v| v.number == variant)?
        .tasks
        .iter()
        .flat_map(|t| t.items.iter())
        .find(|k| k.id == item)
}

/// Whether the keys hold anything for a variant.
pub fn has_variant(keys: &Keys, variant: u32) -> bool {
    keys.variants.iter().any(|v| v.number == variant)
}

impl WorkSpec {
    /// Keys for this spec's closed items in the given variants, the accepted
    /// answers chosen by `accepted` (for works described by a spec file, and
    /// for tests and benchmarks).
    pub fn keys_for(
        &self,
        package_id: &str,
        variants: &[u32],
        accepted: impl Fn(&ClosedItem) -> Vec<String>,
    ) -> Keys {
        Keys {
            package_id: package_id.to_string(),
            variants: variants
                .iter()
                .map(|&number| vpr_exam::keys::VariantKeys {
                    number,
                    tasks: self
                        .tasks
                        .iter()
                        .map(|t| vpr_exam::keys::TaskKeys {
                            number: t.number,
                            items: t
                                .items
                                .iter()
                                .map(|i| ItemKey {
                                    id: i.id.clone(),
                                    accepted: accepted(i),
                                    points: i.points,
                                    case: vpr_exam::CaseRule::Insensitive,
                                })
                                .collect(),
                            criteria: t.criteria.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_package_maps_to_a_work_and_its_keys_complete_it() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../audio-fixtures/packages/en-7");
        let package = vpr_exam::Package::load_dir(&dir).unwrap();
        let keys = vpr_exam::Keys::load_dir(&dir, &package).unwrap().unwrap();
        let before = WorkSpec::from_package(&package, 4);
        let after = before.with_keys(&keys).unwrap();
        assert_eq!(before.max_total(), after.max_total());
        assert_eq!(after.tasks.len(), package.variants[0].tasks.len());
        let oral = after.tasks.iter().find(|t| t.oral).unwrap();
        assert!(!oral.criteria.is_empty());
        assert_ne!(oral.criteria, before.task(oral.number).unwrap().criteria);
        assert!(after.mark_for(after.max_total()).is_some());
        let k = item_key(&keys, 1, "1.1").unwrap();
        assert!(k.accepts(" 2 "));
        assert!(!k.accepts("3"));
        assert!(item_key(&keys, 99, "1.1").is_none());
        let mut missing = keys.clone();
        for v in &mut missing.variants {
            v.tasks.retain(|t| t.number != 1);
        }
        assert!(matches!(
            before.with_keys(&missing),
            Err(CoordinatorError::Invalid(_))
        ));
    }
}
