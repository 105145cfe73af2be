//! Roster import from CSV or XLSX as schools have them: UTF-8 (with or
//! without BOM) or cp1251, `;`, `,` or tab, title rows above the header,
//! columns in any order under their common names («Фамилия», «ФИО» in one
//! column, «Класс» and «Литера», «Дата рождения», «ОВЗ», «Пол»), classes
//! normalised («7 б» → «7Б»), dates checked. Every problem is reported by
//! the file's own row number and column name; re-importing a file updates
//! the participants already there instead of adding them twice.

use std::path::Path;

mod columns;
mod edit;
mod read;

pub use edit::{RosterChoices, RosterEdit};

pub use columns::{normalise_class, parse_birth_date};
pub use read::{column_letter, decode_text, grid_from_bytes, parse_csv, read_grid, Grid};
pub use read::{MAX_CELL_CHARS, MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS};

use columns::{find_header, parse_sex, parse_special_needs, Header};
pub(crate) use columns::{find_header_with, Col};

use crate::{
    error::RosterIssue, Coordinator, CoordinatorError, NewParticipant, PersonName, Result,
};

/// A parsed roster row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    pub participant: NewParticipant,
    pub grade: u8,
    pub language: String,
    /// The row's number in the file (1-based, as a spreadsheet shows it).
    pub row: u32,
}

/// The valid rows of a roster and the problems of the others.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedRoster {
    pub rows: Vec<RosterRow>,
    pub issues: Vec<RosterIssue>,
}

/// Read a roster (`.csv`, `.xlsx`) into rows; any problem refuses the file
/// with the full list of row/column issues. The file is read within the caps
/// of [`read`]: an oversized or far-spread file is refused, never allocated.
pub fn read_roster(path: &Path) -> Result<Vec<RosterRow>> {
    strict(parse_grid(&read::read_grid(path)?)?)
}

/// As [`read_roster`] for a file's bytes (`name` with its extension).
pub fn read_roster_bytes(name: &str, bytes: &[u8]) -> Result<Vec<RosterRow>> {
    strict(parse_grid(&read::grid_from_bytes(name, bytes)?)?)
}

/// Read a roster keeping the valid rows beside the problems of the others
/// (a file without a usable header is still refused).
pub fn read_roster_lenient(path: &Path) -> Result<ParsedRoster> {
    parse_grid(&read::read_grid(path)?)
}

/// A roster as the coordinator sees it before importing: the valid rows
/// beside the problems of the others (names: the coordinator's window only),
/// with the coordinator's corrections applied and skipped rows apart.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct RosterPreview {
    pub valid: Vec<RosterPreviewRow>,
    pub problems: Vec<RosterIssue>,
    /// Rows the coordinator left out (their problems, or a note).
    pub skipped: Vec<RosterIssue>,
    /// What each problem cell holds in the file (row, column, value).
    pub found: Vec<RosterEdit>,
    /// The file's SHA-256: the import refuses a file changed since.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct RosterPreviewRow {
    /// The row's number in the file.
    pub row: u32,
    pub class_name: String,
    pub name: PersonName,
    pub sex: String,
    pub special_needs: bool,
}

/// Read a roster for the preview; a file without a usable header gives its
/// problems and no rows.
pub fn preview_roster(path: &Path) -> Result<RosterPreview> {
    preview_roster_edited(path, &RosterChoices::default())
}

/// The preview with the coordinator's corrections and skipped rows applied
/// (nothing imported, the file never written).
pub fn preview_roster_edited(path: &Path, choices: &RosterChoices) -> Result<RosterPreview> {
    let file = edit::read_file(path)?;
    let (parsed, skipped) = match edit::parse_with(&file, choices) {
        Ok(p) => p,
        Err(CoordinatorError::Roster(problems)) => (
            ParsedRoster {
                rows: Vec::new(),
                issues: problems,
            },
            Vec::new(),
        ),
        Err(e) => return Err(e),
    };
    Ok(RosterPreview {
        valid: parsed
            .rows
            .into_iter()
            .map(|r| RosterPreviewRow {
                row: r.row,
                class_name: r.participant.class_name,
                name: r.participant.name,
                sex: r.participant.sex,
                special_needs: r.participant.special_needs,
            })
            .collect(),
        found: edit::problem_values(&file, choices, &parsed.issues),
        problems: parsed.issues,
        skipped,
        sha256: file.sha256,
    })
}

fn strict(p: ParsedRoster) -> Result<Vec<RosterRow>> {
    if !p.issues.is_empty() {
        return Err(CoordinatorError::Roster(p.issues));
    }
    Ok(p.rows)
}

/// The grade is the leading number of a class name («7А», «11 Б»).
pub fn grade_of_class(name: &str) -> Option<u8> {
    let digits: String = name
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok().filter(|g| (1..=11).contains(g))
}

fn check_name_part(
    value: &str,
    column: &str,
    row: u32,
    required: bool,
    issues: &mut Vec<RosterIssue>,
) {
    let mut push = |message: &str| {
        issues.push(RosterIssue {
            row,
            column: column.into(),
            message: message.into(),
        });
    };
    if value.is_empty() {
        if required {
            push("не заполнено");
        }
        return;
    }
    // A name that starts with =, +, - or @ is kept as written (exports
    // quote it); it still needs a letter.
    if value.chars().count() > 80 {
        push("слишком длинное значение (больше 80 символов)");
    } else if value.chars().any(char::is_control) {
        push("недопустимые управляющие символы");
    } else if !value.chars().any(char::is_alphabetic) {
        push("нет ни одной буквы");
    }
}

fn header_issue(row: u32, column: String, message: String) -> CoordinatorError {
    CoordinatorError::Roster(vec![RosterIssue {
        row,
        column,
        message,
    }])
}

fn check_header(grid: &Grid) -> Result<Header> {
    let Some(header) = find_header(grid) else {
        return Err(header_issue(
            1,
            String::new(),
            if grid.iter().all(|r| r.iter().all(|c| c.trim().is_empty())) {
                "файл пуст".into()
            } else {
                "не найдена строка заголовка: нужны столбцы «Класс» и «Фамилия», «Имя» (или «ФИО»)"
                    .into()
            },
        ));
    };
    let row = header.row as u32 + 1;
    let mut issues = Vec::new();
    for (i, c) in header.cols.iter().enumerate() {
        if let Some(c) = c {
            if header.cols[..i].contains(&Some(*c)) {
                issues.push(RosterIssue {
                    row,
                    column: header.titles[i].trim().to_string(),
                    message: format!("столбец «{}» повторяется", c.title()),
                });
            }
        }
    }
    if !header.has(Col::Class) {
        issues.push(RosterIssue {
            row,
            column: Col::Class.title().into(),
            message: "нет обязательного столбца в заголовке".into(),
        });
    }
    if !header.has(Col::FullName) {
        for needed in [Col::Last, Col::First] {
            if !header.has(needed) {
                issues.push(RosterIssue {
                    row,
                    column: needed.title().into(),
                    message: "нет обязательного столбца в заголовке (или одного столбца «ФИО»)"
                        .into(),
                });
            }
        }
    }
    if !issues.is_empty() {
        return Err(CoordinatorError::Roster(issues));
    }
    Ok(header)
}

fn parse_grid(grid: &Grid) -> Result<ParsedRoster> {
    let header = check_header(grid)?;
    let mut out = ParsedRoster::default();
    for (i, cells) in grid.iter().enumerate().skip(header.row + 1) {
        let row = i as u32 + 1;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |want: Col| -> String {
            header
                .position(want)
                .and_then(|p| cells.get(p))
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default()
        };
        let mut issues = Vec::new();
        let mut issue = |col: Col, message: &str| {
            issues.push(RosterIssue {
                row,
                column: header.title(col),
                message: message.into(),
            });
        };
        let class_text = format!("{}{}", get(Col::Class), get(Col::Letter));
        let class = columns::normalise_class(&class_text);
        if class_text.trim().is_empty() {
            issue(Col::Class, "не заполнено");
        } else if class.is_none() {
            issue(
                Col::Class,
                "класс должен начинаться с номера параллели 1–11, затем буква, например «7А»",
            );
        }
        let name = if header.has(Col::FullName) && !header.has(Col::Last) {
            let full = get(Col::FullName);
            let mut parts = full.split(' ');
            let last = parts.next().unwrap_or("").to_string();
            let first = parts.next().unwrap_or("").to_string();
            let middle = parts.collect::<Vec<_>>().join(" ");
            if first.is_empty() {
                issue(
                    Col::FullName,
                    if last.is_empty() {
                        "не заполнено"
                    } else {
                        "нужны фамилия и имя через пробел"
                    },
                );
            }
            PersonName {
                last,
                first,
                middle,
            }
        } else {
            PersonName {
                last: get(Col::Last),
                first: get(Col::First),
                middle: get(Col::Middle),
            }
        };
        let name_col = |c: Col| {
            if header.has(c) {
                header.title(c)
            } else {
                header.title(Col::FullName)
            }
        };
        check_name_part(&name.last, &name_col(Col::Last), row, true, &mut issues);
        if !name.last.is_empty() || header.has(Col::Last) {
            check_name_part(&name.first, &name_col(Col::First), row, true, &mut issues);
        }
        check_name_part(
            &name.middle,
            &name_col(Col::Middle),
            row,
            false,
            &mut issues,
        );
        let mut issue = |col: Col, message: &str| {
            issues.push(RosterIssue {
                row,
                column: header.title(col),
                message: message.into(),
            });
        };
        let birth = get(Col::BirthDate);
        if !birth.is_empty() && parse_birth_date(&birth).is_none() {
            issue(
                Col::BirthDate,
                "дата не распознана: ожидается ДД.ММ.ГГГГ, настоящая дата не раньше 1950 года",
            );
        }
        let sex = parse_sex(&get(Col::Sex)).unwrap_or_else(|| {
            issue(Col::Sex, "ожидается «М» или «Ж»");
            String::new()
        });
        let special_needs = parse_special_needs(&get(Col::SpecialNeeds)).unwrap_or_else(|| {
            issue(Col::SpecialNeeds, "ожидается «да» или «нет»");
            false
        });
        let mark_text = get(Col::Mark);
        let previous_mark = if mark_text.is_empty() {
            None
        } else {
            match mark_text.replace(',', ".").parse::<f64>() {
                Ok(m) if (2.0..=5.0).contains(&m) && m.fract() == 0.0 => Some(m as u8),
                _ => {
                    issue(Col::Mark, "ожидается отметка от 2 до 5");
                    None
                }
            }
        };
        if !issues.is_empty() {
            out.issues.extend(issues);
            continue;
        }
        let class = class.unwrap_or_default();
        out.rows.push(RosterRow {
            grade: grade_of_class(&class).unwrap_or(0),
            participant: NewParticipant {
                class_name: class,
                name,
                sex,
                special_needs,
                previous_mark,
            },
            language: get(Col::Language),
            row,
        });
    }
    // Duplicates inside the file: the later row is the problem.
    let mut seen: std::collections::HashMap<String, u32> = Default::default();
    let mut dup_rows = Vec::new();
    for r in &out.rows {
        let key =
            crate::model::participant_index_input(&r.participant.class_name, &r.participant.name);
        match seen.get(&key) {
            Some(first) => {
                out.issues.push(RosterIssue {
                    row: r.row,
                    column: if header.has(Col::FullName) {
                        header.title(Col::FullName)
                    } else {
                        "ФИО".into()
                    },
                    message: format!("участник уже записан в строке {first}"),
                });
                dup_rows.push(r.row);
            }
            None => {
                seen.insert(key, r.row);
            }
        }
    }
    out.rows.retain(|r| !dup_rows.contains(&r.row));
    out.issues.sort_by_key(|i| i.row);
    if out.rows.is_empty() && out.issues.is_empty() {
        out.issues.push(RosterIssue {
            row: header.row as u32 + 2,
            column: String::new(),
            message: "в файле нет ни одного участника".into(),
        });
    }
    Ok(out)
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct RosterImport {
    /// Participants new to the database (each with a fresh code).
    pub added: u32,
    /// Participants already there (same class and name) whose details were updated.
    pub updated: u32,
    pub classes: Vec<String>,
    /// Rows left out (with `--skip-invalid`), by the file's row and column.
    pub skipped: Vec<RosterIssue>,
}

impl Coordinator {
    /// Import a roster file: classes are created as needed, each new
    /// participant gets a fresh code, one already in the database is
    /// updated; any bad row refuses the whole file.
    pub fn import_roster(&mut self, path: &Path) -> Result<RosterImport> {
        let rows = read_roster(path)?;
        self.import_rows(&rows, Vec::new())
    }

    /// Import the valid rows of a roster file and list the others
    /// (`vpr coordinator roster FILE --skip-invalid`).
    pub fn import_roster_skipping_invalid(&mut self, path: &Path) -> Result<RosterImport> {
        let parsed = read_roster_lenient(path)?;
        if parsed.rows.is_empty() {
            return Err(CoordinatorError::Roster(parsed.issues));
        }
        self.import_rows(&parsed.rows, parsed.issues)
    }

    /// Import parsed rows in one transaction.
    pub fn import_rows(
        &mut self,
        rows: &[RosterRow],
        skipped: Vec<RosterIssue>,
    ) -> Result<RosterImport> {
        let mut classes: Vec<String> = Vec::new();
        for r in rows {
            if !classes.contains(&r.participant.class_name) {
                classes.push(r.participant.class_name.clone());
            }
        }
        let people: Vec<NewParticipant> = rows.iter().map(|r| r.participant.clone()).collect();
        let tx = self.conn.unchecked_transaction()?;
        for r in rows {
            self.upsert_class(&r.participant.class_name, r.grade, &r.language)?;
        }
        let (added, updated) = self.upsert_participants_in(&people)?;
        tx.commit()?;
        Ok(RosterImport {
            added,
            updated,
            classes,
            skipped,
        })
    }
}
