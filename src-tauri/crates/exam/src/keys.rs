//! `keys.json`: scoring keys for closed items and criteria for experts, kept apart from the
//! materials, and auto-scoring of closed items.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{model::Package, ExamError, Result};

/// Keys and criteria of one package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Keys {
    /// Must equal the package's id.
    pub package_id: String,
    pub variants: Vec<VariantKeys>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct VariantKeys {
    pub number: u32,
    pub tasks: Vec<TaskKeys>,
}

/// Keys of the closed items of a task, or criteria of an expert-scored task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TaskKeys {
    pub number: u32,
    #[serde(default)]
    pub items: Vec<ItemKey>,
    #[serde(default)]
    pub criteria: Vec<Criterion>,
}

/// The accepted answers of one closed item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ItemKey {
    pub id: String,
    /// Every accepted spelling (or the option label).
    pub accepted: Vec<String>,
    #[serde(default = "one")]
    pub points: u32,
    #[serde(default)]
    pub case: CaseRule,
}

fn one() -> u32 {
    1
}

/// Whether letter case matters when comparing a typed answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CaseRule {
    #[default]
    Insensitive,
    Sensitive,
}

/// A criterion experts score an answer by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub id: String,
    /// Russian name, e.g. «Решение коммуникативной задачи».
    pub name: String,
    pub max_points: u32,
    /// What earns which points (Russian).
    pub description: String,
    /// What each score means, from the regulations' table (one per level).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<CriterionLevel>,
    /// When this criterion scores 0 the whole task scores 0 (e.g. К1
    /// «Решение коммуникативной задачи»).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub critical: bool,
}

/// One level of a criterion: `points` and what earns them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CriterionLevel {
    pub points: u32,
    pub descriptor: String,
}

/// The score of an expert-scored task from its criteria's scores (in the
/// criteria's order): the sum, or 0 when a critical criterion scored 0.
pub fn task_score_from_criteria(criteria: &[Criterion], scores: &[u32]) -> u32 {
    let zeroed = criteria
        .iter()
        .zip(scores)
        .any(|(c, &s)| c.critical && s == 0);
    if zeroed {
        0
    } else {
        scores
            .iter()
            .zip(criteria)
            .map(|(&s, c)| s.min(c.max_points))
            .fold(0u32, u32::saturating_add)
    }
}

/// A participant's answers to closed items: item id → answer.
pub type Answers = BTreeMap<String, String>;

/// The auto-score of one task; `points` is None for tasks experts score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TaskScore {
    pub number: u32,
    pub max: u32,
    pub points: Option<u32>,
}

impl Keys {
    pub fn task(&self, variant: u32, task: u32) -> Option<&TaskKeys> {
        self.variants
            .iter()
            .find(|v| v.number == variant)?
            .tasks
            .iter()
            .find(|t| t.number == task)
    }
}

/// Normalise an answer for comparison: trimmed, inner whitespace collapsed, typographic
/// apostrophes and dashes made plain, lower-cased unless case matters.
pub fn normalize(answer: &str, case: CaseRule) -> String {
    let plain: String = answer
        .chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '`' | '\u{00B4}' => '\'',
            '\u{2010}' | '\u{2011}' | '\u{2013}' | '\u{2014}' => '-',
            '\u{00A0}' => ' ',
            c => c,
        })
        .collect();
    let joined = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    match case {
        CaseRule::Insensitive => joined.to_lowercase(),
        CaseRule::Sensitive => joined,
    }
}

impl ItemKey {
    pub fn accepts(&self, answer: &str) -> bool {
        let given = normalize(answer, self.case);
        !given.is_empty()
            && self
                .accepted
                .iter()
                .any(|a| normalize(a, self.case) == given)
    }
}

/// Score the closed items of a variant from the keys (a pure function).
///
/// Tasks with closed items get their points; oral tasks get `points: None` (experts score
/// them). Unanswered items score 0; answers to unknown items are ignored.
pub fn score_closed(
    package: &Package,
    keys: &Keys,
    variant: u32,
    answers: &Answers,
) -> Result<Vec<TaskScore>> {
    let v = package
        .variant(variant)
        .ok_or(ExamError::UnknownVariant(variant))?;
    let mut out = Vec::with_capacity(v.tasks.len());
    for task in &v.tasks {
        let points = match &task.content {
            _ if task.is_expert_scored() => None,
            _ => {
                let tk = keys
                    .task(variant, task.number)
                    .ok_or(ExamError::MissingKeys(task.number))?;
                let mut sum = 0u32;
                for id in task.keyed_item_ids() {
                    let key = tk
                        .items
                        .iter()
                        .find(|k| k.id == id)
                        .ok_or(ExamError::MissingKeys(task.number))?;
                    if answers.get(id).is_some_and(|a| key.accepts(a)) {
                        sum = sum.saturating_add(key.points);
                    }
                }
                Some(sum.min(task.max_score))
            }
        };
        out.push(TaskScore {
            number: task.number,
            max: task.max_score,
            points,
        });
    }
    Ok(out)
}
