//! The header of a form as ФИС ОКО lays it out: found below a title block,
//! one or two rows (a group «Задания» merged over «1 2 3 …», a task over its
//! criteria «К1 К2 К3», «Код участника» merged down both rows), read into
//! one label per column, and each label matched to the work: the code, the
//! variant, a task, a criterion, an item, the total, the mark. A column that
//! matches nothing or more than one thing is a question, never a guess.

use std::collections::BTreeMap;

use super::sheet::{Range, Sheet, TOP_ROWS};
use super::{FormAnswer, FormColumn, FormQuestion, FormTarget};
use crate::{roster::column_letter, WorkSpec};

/// Most columns of a form header.
const MAX_HEADER_COLUMNS: u32 = 512;

/// What a header text says, before it is matched to the work.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Label {
    Empty,
    Code,
    Variant,
    Class,
    Total,
    Mark,
    /// A column the form has that the product does not fill (№ п/п, names).
    Skip,
    /// A group over other columns («Задания», «Баллы за задания»).
    Group,
    Task(u32),
    /// A criterion: of a task (`3К1`) or of a task given by the group (`К1`).
    Criterion(Option<u32>, u32),
    /// `1.1`: an item or a criterion written with a dot.
    Dotted(u32, u32),
    Unknown,
}

/// Lower case, ё as е, Latin K as Cyrillic к, punctuation but the dot as spaces.
pub(crate) fn fold(s: &str) -> String {
    s.to_lowercase()
        .replace('ё', "е")
        .chars()
        .map(|c| match c {
            'k' => 'к',
            c if c.is_alphanumeric() || c == '.' => c,
            _ => ' ',
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn small_number(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 3 && s.chars().all(|c| c.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
        .filter(|n| *n >= 1)
}

/// `3к1`, `3 к 1`, `3.к1` → (3, 1).
fn task_criterion(s: &str) -> Option<(u32, u32)> {
    let compact: String = s.chars().filter(|c| *c != ' ' && *c != '.').collect();
    let (a, b) = compact.split_once('к')?;
    Some((small_number(a)?, small_number(b)?))
}

fn classify(text: &str) -> Label {
    let s = fold(text);
    let s = s.trim_end_matches('.').trim();
    if s.is_empty() {
        return Label::Empty;
    }
    // A header cell is a few words; a sentence (an instruction) is not one.
    if s.chars().count() > 48 {
        return Label::Unknown;
    }
    let starts = |p: &str| s.starts_with(p);
    if s == "код"
        || [
            "код участ",
            "код обуч",
            "код учен",
            "код работ",
            "уникальный код",
        ]
        .iter()
        .any(|p| starts(p))
    {
        return Label::Code;
    }
    if s.contains("вариант") {
        return Label::Variant;
    }
    if s == "класс" || s == "параллель" || starts("класс ") && !s.contains("балл")
    {
        return Label::Class;
    }
    if s.contains("сумм") || s.contains("итог") || s.contains("первичн") || s.contains("общий балл")
    {
        return Label::Total;
    }
    if (starts("отметка") || starts("оценка")) && !s.contains("предыдущ") && !s.contains("четверт")
    {
        return Label::Mark;
    }
    if [
        "п п",
        "номер п п",
        "номер",
        "фио",
        "фамилия",
        "имя",
        "примечание",
    ]
    .iter()
    .any(|p| s == *p || starts(&format!("{p} ")))
    {
        return Label::Skip;
    }
    let rest = [
        "баллы за задание",
        "балл за задание",
        "номер задания",
        "задание",
        "задания",
        "зад",
    ]
    .iter()
    .find_map(|p| s.strip_prefix(p).map(str::trim))
    .unwrap_or(s);
    if rest.is_empty() {
        return Label::Group;
    }
    if let Some(n) = small_number(rest) {
        return Label::Task(n);
    }
    if let Some((t, c)) = task_criterion(rest) {
        return Label::Criterion(Some(t), c);
    }
    let crit = rest
        .strip_prefix("критерий")
        .or_else(|| rest.strip_prefix('к'))
        .map(str::trim);
    if let Some(n) = crit.and_then(small_number) {
        return Label::Criterion(None, n);
    }
    if let Some((a, b)) = rest.split_once('.') {
        if let (Some(a), Some(b)) = (small_number(a.trim()), small_number(b.trim())) {
            return Label::Dotted(a, b);
        }
    }
    if [
        "баллы",
        "баллы за задания",
        "номера заданий",
        "выполнение заданий",
        "результаты",
    ]
    .contains(&rest)
    {
        return Label::Group;
    }
    Label::Unknown
}

/// Where the header is and what each column holds.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// First and last header rows (1-based).
    pub top: u32,
    pub bottom: u32,
    pub data_start: u32,
    pub code_col: u32,
    pub columns: Vec<FormColumn>,
    pub questions: Vec<FormQuestion>,
    pub warnings: Vec<String>,
}

fn code_cell(sheet: &Sheet) -> Option<(u32, u32)> {
    let mut first = None;
    for (r, row) in sheet.top.range(..=TOP_ROWS) {
        for c in &row.cells {
            if classify(&c.text) == Label::Code {
                let tasks_near = [*r, r + 1].iter().any(|rr| {
                    sheet.top.get(rr).is_some_and(|row| {
                        row.cells.iter().any(|x| {
                            matches!(classify(&x.text), Label::Task(_) | Label::Criterion(..))
                        })
                    })
                });
                if tasks_near {
                    return Some((c.col, *r));
                }
                first = first.or(Some((c.col, *r)));
            }
        }
    }
    first
}

fn horizontal(m: &Range, row: u32) -> bool {
    m.r0 == row && m.c1 > m.c0
}

/// The header rows: the code's row, with the row below when cells are merged
/// down into it or a group spans columns over it, or the row above when a
/// group there spans the task columns.
fn header_rows(sheet: &Sheet, code_col: u32, row: u32) -> (u32, u32) {
    let down = sheet
        .merge_at(code_col, row)
        .is_some_and(|m| m.r0 == row && m.r1 > row)
        || sheet.merges.iter().any(|m| {
            horizontal(m, row) && (m.c0..=m.c1).any(|c| !sheet.top_text(c, row + 1).is_empty())
        });
    if down {
        return (row, row + 1);
    }
    let group_above = row > 1
        && sheet.merges.iter().any(|m| {
            m.r0 == row - 1
                && m.r1 == row - 1
                && m.c1 > m.c0
                && !(m.c0..=m.c1).contains(&code_col)
                && matches!(
                    classify(&sheet.top_text(m.c0, row - 1)),
                    Label::Group | Label::Task(_)
                )
        });
    if group_above {
        (row - 1, row)
    } else {
        (row, row)
    }
}

/// A row of column numbers under the header («1 2 3 …»), skipped.
fn numbering_row(sheet: &Sheet, row: u32) -> bool {
    let Some(r) = sheet.top.get(&row) else {
        return false;
    };
    let values: Vec<(u32, i64)> = r
        .cells
        .iter()
        .filter(|c| !c.text.trim().is_empty())
        .map(|c| (c.col, c.text.trim().parse::<i64>().unwrap_or(i64::MIN)))
        .collect();
    values.len() >= 3
        && values.windows(2).all(|w| w[1].1 == w[0].1 + 1)
        && values.iter().all(|(_, v)| *v != i64::MIN)
}

fn label_of(sheet: &Sheet, col: u32, top: u32, bottom: u32) -> (String, Label) {
    let top_text = sheet.top_text(col, top);
    if top == bottom {
        return (top_text.clone(), classify(&top_text));
    }
    let same = match (sheet.merge_at(col, top), sheet.merge_at(col, bottom)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    };
    let sub = sheet.top_text(col, bottom);
    if same || sub.is_empty() {
        return (top_text.clone(), classify(&top_text));
    }
    let text = if top_text.is_empty() {
        sub.clone()
    } else {
        format!("{top_text} / {sub}")
    };
    let context = match classify(&top_text) {
        Label::Task(n) => Some(n),
        _ => None,
    };
    let label = match (classify(&sub), context) {
        (Label::Criterion(None, c), Some(t)) => Label::Criterion(Some(t), c),
        (Label::Task(m), Some(t)) => Label::Dotted(t, m),
        (l, _) => l,
    };
    (text, label)
}

/// What a label can be in this work.
fn candidates(label: &Label, spec: &WorkSpec) -> Vec<FormTarget> {
    let criteria = || {
        spec.tasks
            .iter()
            .flat_map(|t| t.criteria.iter().map(move |c| (t.number, &c.id)))
    };
    match label {
        Label::Code => vec![FormTarget::Code],
        Label::Variant => vec![FormTarget::Variant],
        Label::Class => vec![FormTarget::Class],
        Label::Total => vec![FormTarget::Total],
        Label::Mark => vec![FormTarget::Mark],
        Label::Skip => vec![FormTarget::Skip],
        Label::Task(n) => spec
            .task(*n)
            .map(|t| vec![FormTarget::Task(t.number)])
            .unwrap_or_default(),
        Label::Criterion(task, c) => criteria()
            .filter(|(t, id)| {
                task.is_none_or(|n| n == *t) && task_criterion(&fold(id)) == Some((*t, *c))
            })
            .map(|(_, id)| FormTarget::Criterion(id.clone()))
            .collect(),
        Label::Dotted(a, b) => {
            let id = format!("{a}.{b}");
            let mut out: Vec<FormTarget> = criteria()
                .filter(|(_, cid)| **cid == id)
                .map(|(_, cid)| FormTarget::Criterion(cid.clone()))
                .collect();
            if let Some(t) = spec.task(*a) {
                if t.items.iter().any(|i| i.id == id) {
                    out.push(FormTarget::Item(id));
                }
            }
            out
        }
        Label::Empty | Label::Group | Label::Unknown => Vec::new(),
    }
}

/// Every target a column can be given (the choices of a question).
pub(crate) fn all_targets(spec: &WorkSpec) -> Vec<FormTarget> {
    let mut out = vec![FormTarget::Code, FormTarget::Variant, FormTarget::Class];
    for t in &spec.tasks {
        out.push(FormTarget::Task(t.number));
        for c in &t.criteria {
            out.push(FormTarget::Criterion(c.id.clone()));
        }
    }
    out.extend([FormTarget::Total, FormTarget::Mark, FormTarget::Skip]);
    out
}

/// Find the header and map its columns; `answers` settle columns by letter.
pub(crate) fn layout(sheet: &Sheet, spec: &WorkSpec, answers: &[FormAnswer]) -> Option<Layout> {
    let (code_col, code_row) = code_cell(sheet)?;
    let (top, bottom) = header_rows(sheet, code_col, code_row);
    let mut data_start = bottom + 1;
    if numbering_row(sheet, data_start) {
        data_start += 1;
    }
    let mut last_col = 0;
    for r in top..=bottom {
        if let Some(row) = sheet.top.get(&r) {
            for c in row.cells.iter().filter(|c| !c.text.trim().is_empty()) {
                last_col = last_col.max(c.col);
            }
        }
        for m in sheet.merges.iter().filter(|m| m.r0 <= r && r <= m.r1) {
            last_col = last_col.max(m.c1);
        }
    }
    let last_col = last_col.min(MAX_HEADER_COLUMNS - 1);
    let answered: BTreeMap<String, &FormTarget> = answers
        .iter()
        .map(|a| (a.column.trim().to_uppercase(), &a.target))
        .collect();
    let formula_at = |col: u32| {
        sheet
            .top
            .get(&data_start)
            .and_then(|r| r.cell(col))
            .is_some_and(|c| c.formula.is_some())
    };
    let mut columns = Vec::new();
    let mut questions = Vec::new();
    let all = all_targets(spec);
    for col in 0..=last_col.max(
        answered
            .keys()
            .filter_map(|k| super::sheet::parse_column(k))
            .max()
            .unwrap_or(0),
    ) {
        let letter = column_letter(col as usize);
        let (header, label) = label_of(sheet, col, top, bottom);
        if let Some(target) = answered.get(&letter) {
            columns.push(FormColumn {
                column: letter,
                header,
                target: (*target).clone(),
                answered: true,
                formula: formula_at(col),
            });
            continue;
        }
        if label == Label::Empty || (label == Label::Group && header.is_empty()) {
            continue;
        }
        let found = candidates(&label, spec);
        let formula = formula_at(col);
        match found.as_slice() {
            [one] => columns.push(FormColumn {
                column: letter,
                header,
                target: one.clone(),
                answered: false,
                formula,
            }),
            _ if formula => columns.push(FormColumn {
                column: letter,
                header,
                target: FormTarget::Skip,
                answered: false,
                formula,
            }),
            [] => questions.push(FormQuestion {
                column: Some(letter),
                message: format!(
                    "столбец {} «{header}»: не понятно, что в него записывать",
                    column_letter(col as usize)
                ),
                header,
                candidates: all.clone(),
            }),
            many => questions.push(FormQuestion {
                column: Some(letter.clone()),
                message: format!(
                    "столбец {letter} «{header}» подходит к нескольким: {}",
                    many.iter()
                        .map(FormTarget::label)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                header,
                candidates: many.to_vec(),
            }),
        }
    }
    // A target claimed by two columns is a question for each of them.
    let mut by_target: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, c) in columns.iter().enumerate() {
        if c.target != FormTarget::Skip {
            by_target.entry(c.target.label()).or_default().push(i);
        }
    }
    let mut dup: Vec<usize> = Vec::new();
    for (label, idx) in by_target.iter().filter(|(_, v)| v.len() > 1) {
        let letters: Vec<&str> = idx.iter().map(|i| columns[*i].column.as_str()).collect();
        for i in idx {
            let c = &columns[*i];
            questions.push(FormQuestion {
                column: Some(c.column.clone()),
                header: c.header.clone(),
                message: format!(
                    "столбцы {} все похожи на «{label}»: укажите, что в каком",
                    letters.join(", ")
                ),
                candidates: all.clone(),
            });
        }
        dup.extend(idx);
    }
    let mut k = 0;
    columns.retain(|_| {
        k += 1;
        !dup.contains(&(k - 1))
    });
    let mut warnings = Vec::new();
    if questions.is_empty() {
        coverage(spec, &columns, &all, &mut questions, &mut warnings);
    }
    questions.sort_by_key(|q| q.column.as_deref().and_then(super::sheet::parse_column));
    Some(Layout {
        top,
        bottom,
        data_start,
        code_col: columns
            .iter()
            .find(|c| c.target == FormTarget::Code)
            .and_then(|c| super::sheet::parse_column(&c.column))
            .unwrap_or(code_col),
        columns,
        questions,
        warnings,
    })
}

/// Every task of the work has a column (its own, or one per criterion or item).
fn coverage(
    spec: &WorkSpec,
    columns: &[FormColumn],
    all: &[FormTarget],
    questions: &mut Vec<FormQuestion>,
    warnings: &mut Vec<String>,
) {
    let has = |t: &FormTarget| columns.iter().any(|c| &c.target == t);
    if !has(&FormTarget::Code) {
        questions.push(FormQuestion {
            column: None,
            header: String::new(),
            message: "в форме не найден столбец кода участника".into(),
            candidates: all.to_vec(),
        });
    }
    if !has(&FormTarget::Variant) {
        warnings.push("в форме нет столбца варианта: вариант не записан".into());
    }
    for t in &spec.tasks {
        let by_criteria = !t.criteria.is_empty()
            && t.criteria
                .iter()
                .all(|c| has(&FormTarget::Criterion(c.id.clone())));
        let by_items =
            !t.items.is_empty() && t.items.iter().all(|i| has(&FormTarget::Item(i.id.clone())));
        if !(has(&FormTarget::Task(t.number)) || by_criteria || by_items) {
            questions.push(FormQuestion {
                column: None,
                header: String::new(),
                message: format!(
                    "для задания {} в форме не найден столбец: укажите его",
                    t.number
                ),
                candidates: vec![FormTarget::Task(t.number)],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_as_forms_write_them() {
        for (s, l) in [
            ("Код участника", Label::Code),
            ("Код", Label::Code),
            ("Код ОО", Label::Unknown),
            ("Номер варианта", Label::Variant),
            ("Вариант", Label::Variant),
            ("Задание 1", Label::Task(1)),
            ("1", Label::Task(1)),
            ("№ задания 12", Label::Task(12)),
            ("3К1", Label::Criterion(Some(3), 1)),
            ("3K2", Label::Criterion(Some(3), 2)),
            ("К1", Label::Criterion(None, 1)),
            ("Критерий 2", Label::Criterion(None, 2)),
            ("1.1", Label::Dotted(1, 1)),
            ("Задания", Label::Group),
            ("Баллы за задания", Label::Group),
            ("Сумма баллов", Label::Total),
            ("Первичный балл", Label::Total),
            ("Отметка", Label::Mark),
            ("Отметка за предыдущую четверть", Label::Unknown),
            ("№ п/п", Label::Skip),
            ("Класс", Label::Class),
            ("Примечание", Label::Skip),
            ("", Label::Empty),
            ("Что-то ещё", Label::Unknown),
            (
                "Код участника — пятизначный, его выдаёт организатор в аудитории",
                Label::Unknown,
            ),
        ] {
            assert_eq!(classify(s), l, "{s:?}");
        }
    }
}
