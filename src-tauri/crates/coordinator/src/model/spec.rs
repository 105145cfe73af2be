//! What a work consists of (tasks, items, criteria, marks): the JSON held
//! in `works.spec`. No SQL here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{CoordinatorError, Result};

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
