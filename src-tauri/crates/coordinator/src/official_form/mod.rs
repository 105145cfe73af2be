//! The official results collection form: the XLSX the school downloads
//! from ФИС ОКО for a work, filled in and uploaded as the same file.
//!
//! The header is found below the title block ([`header`]), its columns are
//! mapped to the work's tasks, criteria and items (a column that fits
//! nothing or several things is a [`FormQuestion`] the caller answers with
//! [`FormAnswer`]s, never a guess), and code, variant and scores are written
//! into the target sheet's XML only ([`write`]): every other part of the
//! workbook — other sheets, styles, defined names — is copied byte for byte,
//! and the sheet keeps its merged cells, formulas and data validation. Codes
//! are written as text where the template formats the column as text (`@`),
//! scores as numbers, strings inline (`t="inlineStr"`). Nothing is written
//! while a score is missing. The product's own layout ([`crate::forms`])
//! stays the fallback when there is no template.

mod book;
mod header;
mod sheet;
mod write;
mod xml;

use std::{
    collections::{BTreeMap, HashMap},
    path::Path,
};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use book::{MAX_PART_BYTES, MAX_TEMPLATE_BYTES};
pub use sheet::MAX_SHEET_ROWS;

use book::Book;
use sheet::{parse_column, scan_sheet, Sheet};
use write::Put;

use crate::{model::item_key, Coordinator, CoordinatorError, Result, WorkSpec};

/// What a column of the form holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum FormTarget {
    Code,
    Variant,
    /// The participant's class («7А»).
    Class,
    /// A task's final score.
    Task(u32),
    /// An expert criterion's final score (`3К1`).
    Criterion(String),
    /// A closed item's points (`1.1`).
    Item(String),
    Total,
    Mark,
    /// Left as the template has it.
    Skip,
}

impl FormTarget {
    /// How the target reads to a person.
    pub fn label(&self) -> String {
        match self {
            Self::Code => "код участника".into(),
            Self::Variant => "вариант".into(),
            Self::Class => "класс".into(),
            Self::Task(n) => format!("задание {n}"),
            Self::Criterion(id) => format!("критерий {id}"),
            Self::Item(id) => format!("позиция {id}"),
            Self::Total => "сумма баллов".into(),
            Self::Mark => "отметка".into(),
            Self::Skip => "не заполнять".into(),
        }
    }

    /// How the CLI's `--map` spells the target (what [`FormTarget::parse`] reads).
    pub fn spelling(&self) -> String {
        match self {
            Self::Code => "код".into(),
            Self::Variant => "вариант".into(),
            Self::Class => "класс".into(),
            Self::Task(n) => n.to_string(),
            Self::Criterion(id) | Self::Item(id) => id.clone(),
            Self::Total => "сумма".into(),
            Self::Mark => "отметка".into(),
            Self::Skip => "-".into(),
        }
    }

    /// A target as the CLI writes it (`код`, `вариант`, `3`, `3К1`, `1.1`,
    /// `сумма`, `отметка`, `-`), checked against the work.
    pub fn parse(s: &str, spec: &WorkSpec) -> Result<Self> {
        let f = header::fold(s);
        let bad = || {
            CoordinatorError::Invalid(format!(
                "«{s}»: ожидается код, вариант, класс, номер задания, критерий (3К1), позиция (1.1), сумма, отметка или «-»"
            ))
        };
        let t = match f.as_str() {
            "" if s.trim() == "-" => Self::Skip,
            "код" | "code" => Self::Code,
            "вариант" | "variant" => Self::Variant,
            "класс" | "class" => Self::Class,
            "сумма" | "total" => Self::Total,
            "отметка" | "mark" => Self::Mark,
            "нет" | "skip" => Self::Skip,
            _ => {
                let criterion = spec
                    .tasks
                    .iter()
                    .flat_map(|t| &t.criteria)
                    .find(|c| header::fold(&c.id) == f);
                let item = spec.tasks.iter().flat_map(|t| &t.items).find(|i| i.id == f);
                match (f.parse::<u32>().ok(), criterion, item) {
                    (Some(n), _, _) if spec.task(n).is_some() => Self::Task(n),
                    (_, Some(c), _) => Self::Criterion(c.id.clone()),
                    (_, None, Some(i)) => Self::Item(i.id.clone()),
                    _ => return Err(bad()),
                }
            }
        };
        Ok(t)
    }
}

/// The caller's answer for one column: its letter and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FormAnswer {
    pub column: String,
    pub target: FormTarget,
}

impl FormAnswer {
    /// `D=3К1` as the CLI's `--map` gives it.
    pub fn parse(s: &str, spec: &WorkSpec) -> Result<Self> {
        let (col, target) = s.split_once('=').ok_or_else(|| {
            CoordinatorError::Invalid(format!("«{s}»: ожидается СТОЛБЕЦ=ЗАДАНИЕ, например D=3К1"))
        })?;
        let column = col.trim().to_uppercase();
        if parse_column(&column).is_none() {
            return Err(CoordinatorError::Invalid(format!(
                "«{col}»: ожидается буква столбца (A, B, …, AA)"
            )));
        }
        Ok(Self {
            column,
            target: FormTarget::parse(target, spec)?,
        })
    }
}

/// One mapped column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FormColumn {
    pub column: String,
    /// The header as the form writes it (a group and its sub-header joined by « / »).
    pub header: String,
    pub target: FormTarget,
    /// Set by the caller's answer rather than recognised.
    pub answered: bool,
    /// The template has a formula in this column (kept).
    pub formula: bool,
}

/// A column the caller must say what it holds (or a task without a column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FormQuestion {
    /// The column's letter; none when a task has no column at all.
    pub column: Option<String>,
    pub header: String,
    pub message: String,
    /// The choices, the likeliest first.
    pub candidates: Vec<FormTarget>,
}

/// The form as recognised: where the header is, each column's meaning, what
/// is still to be answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FormMapping {
    pub file: String,
    pub sheet: String,
    /// First and last header rows and the first data row (1-based).
    pub header_rows: Vec<u32>,
    pub first_data_row: u32,
    /// Codes the template already lists (their rows are filled by code).
    pub listed_codes: u32,
    pub columns: Vec<FormColumn>,
    pub questions: Vec<FormQuestion>,
    /// Every target a column can be given.
    pub choices: Vec<FormTarget>,
    pub warnings: Vec<String>,
}

/// What filling the form did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OfficialForm {
    pub file: String,
    pub sheet: String,
    pub rows: u32,
    pub columns: Vec<FormColumn>,
    pub warnings: Vec<String>,
}

/// A template read and its form sheet recognised.
struct Recognised {
    book: Book,
    part: String,
    sheet: Sheet,
    mapping: FormMapping,
    layout: header::Layout,
    /// Code → row, when the template lists codes.
    listed: BTreeMap<u32, u32>,
    /// Rows below the header with anything in the code column.
    occupied: Vec<u32>,
}

fn recognise(path: &Path, spec: &WorkSpec, answers: &[FormAnswer]) -> Result<Recognised> {
    let book = Book::open(path)?;
    for a in answers {
        if parse_column(&a.column).is_none() {
            return Err(CoordinatorError::Invalid(format!(
                "«{}»: неверная буква столбца",
                a.column
            )));
        }
    }
    for entry in book.sheets.iter().filter(|s| !s.hidden) {
        let Some(xml) = book.part(&entry.part)? else {
            continue;
        };
        let sheet = scan_sheet(&book.file, &entry.name, xml, &book.shared)?;
        let Some(layout) = header::layout(&sheet, spec, answers) else {
            continue;
        };
        let mut listed = BTreeMap::new();
        let mut occupied = Vec::new();
        for &(r, start, end) in sheet.rows.iter().filter(|x| x.0 >= layout.data_start) {
            let row = sheet
                .parse_row(start, end, &book.shared)
                .map_err(|e| book::refuse(&book.file, format!("лист «{}»: {e}", entry.name)))?;
            let text = row
                .cell(layout.code_col)
                .map(|c| c.text.trim().to_string())
                .unwrap_or_default();
            if text.is_empty() {
                continue;
            }
            occupied.push(r);
            if let Ok(code) = text.parse::<u32>() {
                if listed.insert(code, r).is_some() {
                    return Err(book::refuse(
                        &book.file,
                        format!(
                            "лист «{}»: код {code} записан в форме дважды (строка {r})",
                            entry.name
                        ),
                    ));
                }
            }
        }
        let mut warnings = layout.warnings.clone();
        if let Some(hidden) = book.sheets.iter().find(|s| s.hidden) {
            warnings.push(format!("скрытый лист «{}» оставлен как есть", hidden.name));
        }
        let mapping = FormMapping {
            file: book.file.clone(),
            sheet: entry.name.clone(),
            header_rows: vec![layout.top, layout.bottom],
            first_data_row: layout.data_start,
            listed_codes: listed.len() as u32,
            columns: layout.columns.clone(),
            questions: layout.questions.clone(),
            choices: header::all_targets(spec),
            warnings,
        };
        return Ok(Recognised {
            part: entry.part.clone(),
            book,
            sheet,
            mapping,
            layout,
            listed,
            occupied,
        });
    }
    Err(book::refuse(
        &book.file,
        "не найден лист с заголовком формы: нужна строка со столбцом «Код участника» (или «Код») и столбцами заданий",
    ))
}

/// One participant's values for the form.
struct RowData {
    code: u32,
    variant: u32,
    class: String,
    tasks: BTreeMap<u32, Option<u32>>,
    /// The adapted version sat and the tasks it leaves out («—» on the form).
    adaptation: Option<String>,
    not_applicable: Vec<u32>,
    criteria: HashMap<String, u32>,
    items: HashMap<String, u32>,
}

impl Coordinator {
    /// Read a form template and map its columns to the work (nothing written):
    /// what the caller shows and asks before [`Coordinator::fill_official_form`].
    pub fn official_form_mapping(
        &self,
        work_id: i64,
        template: &Path,
        answers: &[FormAnswer],
    ) -> Result<FormMapping> {
        let work = self.work(work_id)?;
        Ok(recognise(template, &work.spec, answers)?.mapping)
    }

    /// Fill the form template for a work and write it to `out` (which may be
    /// the template itself). Refused while a column is a question, while any
    /// participant's score is missing (naming the code and the task), or
    /// while anything else blocks the form ([`Coordinator::missing_for_form`]).
    pub fn fill_official_form(
        &self,
        work_id: i64,
        template: &Path,
        out: &Path,
        answers: &[FormAnswer],
    ) -> Result<OfficialForm> {
        let work = self.work(work_id)?;
        let rec = recognise(template, &work.spec, answers)?;
        if !rec.mapping.questions.is_empty() {
            return Err(CoordinatorError::FormQuestions {
                file: rec.book.file.clone(),
                questions: rec.mapping.questions,
            });
        }
        let data = self.form_rows(work_id, &work.spec, &rec.mapping.columns)?;
        let columns: Vec<(u32, &FormColumn)> = rec
            .mapping
            .columns
            .iter()
            .filter(|c| c.target != FormTarget::Skip)
            .filter_map(|c| parse_column(&c.column).map(|n| (n, c)))
            .collect();
        // Every value first: a missing one refuses before anything is written.
        let mut puts: Vec<(u32, BTreeMap<u32, Put>)> = Vec::new();
        let mut warnings = rec.mapping.warnings.clone();
        for d in &data {
            let mut cells = BTreeMap::new();
            for (col, c) in &columns {
                let text_cell = || {
                    let at = rec
                        .sheet
                        .top
                        .get(&rec.layout.data_start)
                        .and_then(|r| r.cell(*col));
                    at.and_then(|c| c.style)
                        .or_else(|| rec.sheet.col_style(*col))
                        .and_then(|s| rec.book.text_styles.get(s as usize).copied())
                        .unwrap_or(false)
                };
                let put = value(&work.spec, d, &c.target, text_cell)?;
                cells.insert(
                    *col,
                    if c.formula {
                        Put::Cached(num(&put))
                    } else {
                        put
                    },
                );
            }
            puts.push((d.code, cells));
        }
        let blockers: Vec<String> = self.missing_for_form(work_id)?;
        if !blockers.is_empty() {
            return Err(CoordinatorError::FormBlocked(blockers));
        }
        let mut rows: BTreeMap<u32, BTreeMap<u32, Put>> = BTreeMap::new();
        if rec.listed.is_empty() {
            if let Some(r) = rec.occupied.first() {
                return Err(book::refuse(
                    &rec.book.file,
                    format!(
                        "лист «{}», строка {r}: в столбце кода уже что-то записано, но не код участника; нужна чистая форма",
                        rec.mapping.sheet
                    ),
                ));
            }
            for (i, (_, mut cells)) in puts.into_iter().enumerate() {
                let r = rec.layout.data_start + i as u32;
                if r > 1_048_576 {
                    return Err(CoordinatorError::Invalid("в форме не хватает строк".into()));
                }
                cells.retain(|_, p| !matches!(p, Put::Text(t) if t.is_empty()));
                rows.insert(r, cells);
            }
        } else {
            let unlisted: Vec<String> = puts
                .iter()
                .filter(|(code, _)| !rec.listed.contains_key(code))
                .map(|(code, _)| code.to_string())
                .collect();
            if !unlisted.is_empty() {
                return Err(CoordinatorError::FormBlocked(vec![format!(
                    "в форме «{}» нет строк для кодов: {}",
                    rec.book.file,
                    unlisted.join(", ")
                )]));
            }
            let code_col = rec.layout.code_col;
            for (code, mut cells) in puts {
                cells.remove(&code_col);
                rows.insert(rec.listed[&code], cells);
            }
            let done: Vec<u32> = data.iter().map(|d| d.code).collect();
            for code in rec.listed.keys().filter(|c| !done.contains(c)) {
                warnings.push(format!(
                    "код {code} есть в форме, но работы нет: строка оставлена пустой"
                ));
            }
        }
        let shared = &rec.book.shared;
        let xml = write::sheet_xml(&rec.sheet, &rows, |start, end| {
            rec.sheet
                .parse_row(start, end, shared)
                .map_err(|e| book::refuse(&rec.book.file, e.to_string()))
        })?;
        write::write_book(&rec.book, &rec.part, &xml, out)?;
        Ok(OfficialForm {
            file: out.display().to_string(),
            sheet: rec.mapping.sheet.clone(),
            rows: rows.len() as u32,
            columns: rec.mapping.columns,
            warnings,
        })
    }

    /// Per participant with a work: variant, class, final task scores, and
    /// criterion and item scores when the form has columns for them.
    fn form_rows(
        &self,
        work_id: i64,
        spec: &WorkSpec,
        columns: &[FormColumn],
    ) -> Result<Vec<RowData>> {
        let want_criteria = columns
            .iter()
            .any(|c| matches!(c.target, FormTarget::Criterion(_)));
        let want_items = columns
            .iter()
            .any(|c| matches!(c.target, FormTarget::Item(_)));
        let want_class = columns.iter().any(|c| c.target == FormTarget::Class);
        let work = self.work(work_id)?;
        let subs = self.submissions(work_id)?;
        let paper = self.paper_source(&work, &subs)?;
        let mut answers: HashMap<u32, BTreeMap<String, String>> = if want_items {
            subs.into_iter().map(|s| (s.code, s.answers)).collect()
        } else {
            HashMap::new()
        };
        // Short answers typed from paper sheets stand beside a station's.
        for (code, given) in &paper.answers {
            answers
                .entry(*code)
                .or_default()
                .extend(given.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        let keys = if want_items {
            self.keys(work_id).ok()
        } else {
            None
        };
        let mut out = Vec::new();
        for r in self.results(work_id)? {
            let mut criteria = HashMap::new();
            if want_criteria {
                for t in spec.tasks.iter().filter(|t| t.is_expert()) {
                    if paper.task(r.code, t.number).is_some() {
                        // Scored on paper: the criteria as entered.
                        if let Some(given) = paper.criteria.get(&r.code) {
                            criteria.extend(
                                t.criteria
                                    .iter()
                                    .filter_map(|c| given.get(&c.id).map(|v| (c.id.clone(), *v))),
                            );
                        }
                        continue;
                    }
                    if let Some(m) = self.final_criteria(&work, r.code, t.number)? {
                        criteria.extend(m);
                    }
                }
            }
            let mut items = HashMap::new();
            if let (Some(keys), Some(given)) = (&keys, answers.get(&r.code)) {
                for item in spec.tasks.iter().flat_map(|t| &t.items) {
                    let right = given.get(&item.id).is_some_and(|a| {
                        item_key(keys, r.variant, &item.id).is_some_and(|k| k.accepts(a))
                    });
                    items.insert(item.id.clone(), if right { item.points } else { 0 });
                }
            }
            out.push(RowData {
                code: r.code,
                variant: r.variant,
                class: if want_class {
                    self.class_of_code(r.code)?.unwrap_or_default()
                } else {
                    String::new()
                },
                tasks: r.tasks,
                adaptation: r.adaptation,
                not_applicable: r.not_applicable,
                criteria,
                items,
            });
        }
        Ok(out)
    }
}

fn num(p: &Put) -> f64 {
    match p {
        Put::Number(n) | Put::Cached(n) => *n,
        Put::Text(t) => t.parse().unwrap_or(0.0),
    }
}

fn task_of(spec: &WorkSpec, target: &FormTarget) -> String {
    let owner = |pred: &dyn Fn(&crate::TaskSpec) -> bool| {
        spec.tasks
            .iter()
            .find(|t| pred(t))
            .map(|t| t.number.to_string())
    };
    match target {
        FormTarget::Task(n) => n.to_string(),
        FormTarget::Criterion(id) => owner(&|t| t.criteria.iter().any(|c| &c.id == id))
            .map_or(id.clone(), |n| format!("{n} (критерий {id})")),
        FormTarget::Item(id) => owner(&|t| t.items.iter().any(|i| &i.id == id))
            .map_or(id.clone(), |n| format!("{n} (позиция {id})")),
        other => other.label(),
    }
}

/// The value of one cell for a participant; a missing score refuses.
fn value(
    spec: &WorkSpec,
    d: &RowData,
    target: &FormTarget,
    text_cell: impl Fn() -> bool,
) -> Result<Put> {
    let missing = || CoordinatorError::FormScoreMissing {
        code: d.code,
        task: task_of(spec, target),
    };
    let number_or_text = |n: u32| {
        if text_cell() {
            Put::Text(n.to_string())
        } else {
            Put::Number(f64::from(n))
        }
    };
    let total = || -> Option<u32> { d.tasks.values().copied().sum() };
    // A task, criterion or item of a task the participant's version leaves out.
    let left_out = |pred: &dyn Fn(&crate::TaskSpec) -> bool| {
        spec.tasks
            .iter()
            .any(|t| pred(t) && d.not_applicable.contains(&t.number))
    };
    let not_applicable = match target {
        FormTarget::Task(n) => d.not_applicable.contains(n),
        FormTarget::Criterion(id) => left_out(&|t| t.criteria.iter().any(|c| &c.id == id)),
        FormTarget::Item(id) => left_out(&|t| t.items.iter().any(|i| &i.id == id)),
        _ => false,
    };
    if not_applicable {
        return Ok(Put::Text(crate::NOT_APPLICABLE.to_string()));
    }
    Ok(match target {
        FormTarget::Code => number_or_text(d.code),
        FormTarget::Variant => number_or_text(d.variant),
        FormTarget::Class => Put::Text(d.class.clone()),
        FormTarget::Task(n) => Put::Number(f64::from(
            d.tasks.get(n).copied().flatten().ok_or_else(missing)?,
        )),
        FormTarget::Criterion(id) => {
            Put::Number(f64::from(*d.criteria.get(id).ok_or_else(missing)?))
        }
        FormTarget::Item(id) => Put::Number(f64::from(*d.items.get(id).ok_or_else(missing)?)),
        FormTarget::Total => Put::Number(f64::from(total().ok_or_else(missing)?)),
        FormTarget::Mark => {
            let mark = total()
                .and_then(|t| spec.mark_of(t, d.adaptation.as_deref()))
                .ok_or_else(missing)?;
            Put::Number(f64::from(mark))
        }
        FormTarget::Skip => Put::Text(String::new()),
    })
}
