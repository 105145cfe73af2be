//! Templates: a valid skeleton of a work in one of the formats schools hold, with every text
//! the author must write marked «Замените: …» and every media file named under `media/`
//! (the skeleton's only problems are the missing media).
//!
//! The figures (tasks, times, plays, points, conversion) are the public models in
//! `DESIGN.md`: ВПР 7 computer form 2020–23, ОГЭ and ЕГЭ oral parts as the demo works
//! `oge-en-oral` and `ege-en-oral`. The ВПР 4–8 written work has no public computer model:
//! its points, word ranges and conversion are this template's defaults for the author to set.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use vpr_exam::{
    keys::{TaskKeys, VariantKeys},
    Choice, Criterion, CriterionLevel, GapFill, GapItem, ItemKey, Keys, Language, MarkBand,
    Package, Subject, Task, TaskContent, Timing, Variant, FORMAT,
};

use crate::{error::Result, AuthorError};

/// Every text the author must replace starts with this.
pub const PLACEHOLDER: &str = "Замените: ";

/// The formats a work starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "template", rename_all = "snake_case")]
pub enum Template {
    /// ВПР 7, computer form, 2020–23 model: 6 tasks, 45 min, 30 points.
    Vpr7,
    /// ВПР grades 4–8, written work: reading, grammar, vocabulary, an e-mail.
    VprWritten { grade: u32 },
    /// ОГЭ oral part: reading aloud, a six-question interview, a monologue.
    OgeOral,
    /// ЕГЭ oral part (2022–2025 model): 4 tasks, 17 min, 20 points.
    EgeOral,
    /// One task of typed gaps, for a work of the school's own design.
    Empty { grade: u32 },
}

impl Template {
    /// `vpr7`, `vpr-written`, `oge-oral`, `ege-oral`, `empty` (the CLI's names); the grade
    /// is used by `vpr-written` (4–8) and `empty`.
    pub fn parse(name: &str, grade: Option<u32>) -> Result<Self> {
        Ok(match name {
            "vpr7" => Self::Vpr7,
            "vpr-written" => Self::VprWritten {
                grade: grade.unwrap_or(5),
            },
            "oge-oral" => Self::OgeOral,
            "ege-oral" => Self::EgeOral,
            "empty" => Self::Empty {
                grade: grade.unwrap_or(7),
            },
            other => return Err(AuthorError::UnknownTemplate(other.to_owned())),
        })
    }

    /// «в формате ВПР по английскому языку, 7 класс (…)», for the title.
    fn format_name(self, language: Language) -> String {
        let lang = subject_dative(language);
        match self {
            Self::Vpr7 => format!("ВПР по {lang}, 7 класс (компьютерная форма, модель 2020–2023)"),
            Self::VprWritten { grade } => {
                format!("ВПР по {lang}, {grade} класс (письменная работа)")
            }
            Self::OgeOral => format!("устной части ОГЭ по {lang}"),
            Self::EgeOral => format!("устной части ЕГЭ по {lang} (модель 2022–2025)"),
            Self::Empty { grade } => format!("работы школы по {lang}, {grade} класс"),
        }
    }

    /// The default title: «Тренировочный вариант в формате …».
    pub fn default_title(self, language: Language) -> String {
        format!(
            "Тренировочный вариант в формате {}",
            self.format_name(language)
        )
    }

    /// The skeleton package and keys.
    pub fn skeleton(self, language: Language, id: &str, title: &str) -> Result<(Package, Keys)> {
        let (grade, body) = match self {
            Self::Vpr7 => (7, crate::template_vpr::vpr7(language)),
            Self::VprWritten { grade } => {
                if !(4..=8).contains(&grade) {
                    return Err(AuthorError::BadGrade(grade));
                }
                (grade, crate::template_vpr::written(language, grade))
            }
            Self::OgeOral => (9, crate::template_oral::oge(language)),
            Self::EgeOral => (11, crate::template_oral::ege(language)),
            Self::Empty { grade } => {
                if !(2..=11).contains(&grade) {
                    return Err(AuthorError::BadGrade(grade));
                }
                (grade, empty(language))
            }
        };
        let package = Package {
            format: FORMAT,
            id: id.to_owned(),
            title: title.to_owned(),
            subject: Subject::ForeignLanguage,
            grade,
            language,
            demo: false,
            training: false,
            briefing: body.briefing,
            briefing_track: None,
            timing: body.timing,
            conversion: body.conversion,
            adaptations: Vec::new(),
            participant_codes: None,
            variants: vec![Variant {
                number: 1,
                tasks: body.tasks,
            }],
        };
        let keys = Keys {
            package_id: id.to_owned(),
            variants: vec![VariantKeys {
                number: 1,
                tasks: body.keys,
            }],
        };
        Ok((package, keys))
    }
}

/// What a format fills in.
pub(crate) struct Body {
    pub briefing: Vec<String>,
    pub timing: Timing,
    pub conversion: Vec<MarkBand>,
    pub tasks: Vec<Task>,
    pub keys: Vec<TaskKeys>,
}

/// «английскому языку» for «по …».
fn subject_dative(language: Language) -> &'static str {
    match language {
        Language::En => "английскому языку",
        Language::De => "немецкому языку",
        Language::Fr => "французскому языку",
    }
}

/// A text the author must write.
pub(crate) fn ph(what: &str) -> String {
    format!("{PLACEHOLDER}{what}")
}

/// A task instruction: the format's wording in English; for German and French, marked for
/// translation.
pub(crate) fn instruction(language: Language, english: &str) -> String {
    match language {
        Language::En => english.to_owned(),
        Language::De => format!("{PLACEHOLDER}переведите на немецкий язык — {english}"),
        Language::Fr => format!("{PLACEHOLDER}переведите на французский язык — {english}"),
    }
}

pub(crate) fn timing(total_s: u32, reminders_s: Vec<u32>) -> Timing {
    Timing {
        total_s,
        reminders_s,
        eye_breaks: Vec::new(),
    }
}

/// Bands `[(max, mark)]` from 0 upwards.
pub(crate) fn bands(tops: &[(u32, u32)]) -> Vec<MarkBand> {
    let mut min = 0;
    tops.iter()
        .map(|&(max, mark)| {
            let b = MarkBand { min, max, mark };
            min = max + 1;
            b
        })
        .collect()
}

/// Options `1..=n`, their texts to write.
pub(crate) fn options(n: u32, what: &str) -> Vec<Choice> {
    (1..=n)
        .map(|i| Choice {
            label: i.to_string(),
            text: ph(&format!("{what} {i}")),
        })
        .collect()
}

/// Keys of one point each, the answer to set.
pub(crate) fn item_keys(ids: &[String], accepted: &str) -> Vec<ItemKey> {
    ids.iter()
        .map(|id| ItemKey {
            id: id.clone(),
            accepted: vec![accepted.to_owned()],
            points: 1,
            case: vpr_exam::CaseRule::Insensitive,
        })
        .collect()
}

/// A criterion with one level per score, each to describe.
pub(crate) fn criterion(id: &str, name: &str, max_points: u32, critical: bool) -> Criterion {
    Criterion {
        id: id.to_owned(),
        name: name.to_owned(),
        max_points,
        description: if critical {
            format!("{name}. При 0 баллов по этому критерию всё задание оценивается в 0 баллов.")
        } else {
            name.to_owned()
        },
        levels: (0..=max_points)
            .rev()
            .map(|points| CriterionLevel {
                points,
                descriptor: ph(&format!(
                    "за что ставится {points} б. (из критериев оценивания)"
                )),
            })
            .collect(),
        critical,
    }
}

pub(crate) fn expert_keys(number: u32, criteria: Vec<Criterion>) -> TaskKeys {
    TaskKeys {
        number,
        items: Vec::new(),
        criteria,
    }
}

pub(crate) fn closed_keys(number: u32, items: Vec<ItemKey>) -> TaskKeys {
    TaskKeys {
        number,
        items,
        criteria: Vec::new(),
    }
}

pub(crate) fn task(
    number: u32,
    title: &str,
    instruction: String,
    max_score: u32,
    content: TaskContent,
) -> Task {
    Task {
        number,
        title: format!("Задание {number}. {title}"),
        instruction,
        max_score,
        fixed_s: None,
        instruction_track: None,
        content,
    }
}

/// `n` gaps `prefix.1..n`, typed (with a word to transform) or chosen from `choices` options.
pub(crate) fn gaps(prefix: u32, n: u32, base_word: bool, choices: u32) -> GapFill {
    GapFill {
        text: Some(ph("заголовок или связный текст (необязательно)")),
        items: (1..=n)
            .map(|i| GapItem {
                id: format!("{prefix}.{i}"),
                prompt: ph(&format!("предложение {i} с пропуском ___")),
                base_word: base_word.then(|| ph("слово")),
                options: if choices > 0 {
                    options(choices, "вариант")
                } else {
                    Vec::new()
                },
            })
            .collect(),
    }
}

pub(crate) fn ids(content: &GapFill) -> Vec<String> {
    content.items.iter().map(|i| i.id.clone()).collect()
}

/// A work of the school's own design: one task of four typed gaps.
fn empty(language: Language) -> Body {
    let g = gaps(1, 4, false, 0);
    let keys = item_keys(&ids(&g), &ph("ответ"));
    Body {
        briefing: vec![ph(
            "инструктаж участнику: из чего состоит работа и сколько она длится",
        )],
        timing: timing(45 * 60, vec![900, 300]),
        conversion: bands(&[(0, 2), (2, 3), (3, 4), (4, 5)]),
        tasks: vec![task(
            1,
            "Грамматика",
            instruction(language, "Read the sentences and fill in the gaps."),
            4,
            TaskContent::Grammar(g),
        )],
        keys: vec![closed_keys(1, keys)],
    }
}
