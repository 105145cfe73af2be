//! Roster import from CSV or XLSX: one row per participant, columns found by
//! their header, every problem reported by row and column.

use std::path::Path;

mod read;

pub use read::{column_letter, decode_text, grid_from_bytes, parse_csv, read_grid, Grid};
pub use read::{MAX_CELL_CHARS, MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS};

use crate::{
    error::RosterIssue, Coordinator, CoordinatorError, NewParticipant, PersonName, Result,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Class,
    Last,
    First,
    Middle,
    Sex,
    SpecialNeeds,
    Mark,
    Language,
}

impl Col {
    fn title(self) -> &'static str {
        match self {
            Self::Class => "Класс",
            Self::Last => "Фамилия",
            Self::First => "Имя",
            Self::Middle => "Отчество",
            Self::Sex => "Пол",
            Self::SpecialNeeds => "ОВЗ",
            Self::Mark => "Отметка",
            Self::Language => "Язык",
        }
    }

    fn from_header(h: &str) -> Option<Self> {
        let h = h.trim().trim_start_matches('\u{feff}').to_lowercase();
        Some(match h.as_str() {
            "класс" | "class" => Self::Class,
            "фамилия" | "last name" | "surname" => Self::Last,
            "имя" | "first name" | "name" => Self::First,
            "отчество" | "middle name" | "patronymic" => Self::Middle,
            "пол" | "sex" => Self::Sex,
            "овз" | "special needs" => Self::SpecialNeeds,
            "отметка" | "отметка за четверть" | "mark" => Self::Mark,
            "язык" | "иностранный язык" | "language" => Self::Language,
            _ => return None,
        })
    }
}

/// A parsed roster row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    pub participant: NewParticipant,
    pub grade: u8,
    pub language: String,
}

/// Read a roster (`.csv`, `.xlsx`) into rows; any problem refuses the file
/// with the full list of row/column issues. The file is read within the caps
/// of [`read`]: an oversized or far-spread file is refused, never allocated.
pub fn read_roster(path: &Path) -> Result<Vec<RosterRow>> {
    parse_grid(&read::read_grid(path)?)
}

/// As [`read_roster`] for a file's bytes (`name` with its extension).
pub fn read_roster_bytes(name: &str, bytes: &[u8]) -> Result<Vec<RosterRow>> {
    parse_grid(&read::grid_from_bytes(name, bytes)?)
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

fn check_name_part(value: &str, col: Col, row: u32, required: bool, issues: &mut Vec<RosterIssue>) {
    let mut push = |message: &str| {
        issues.push(RosterIssue {
            row,
            column: col.title().into(),
            message: message.into(),
        });
    };
    if value.is_empty() {
        if required {
            push("не заполнено");
        }
        return;
    }
    if value.chars().count() > 80 {
        push("слишком длинное значение (больше 80 символов)");
    } else if value.chars().any(char::is_control) {
        push("недопустимые управляющие символы");
    } else if !value.chars().any(char::is_alphabetic) {
        push("нет ни одной буквы");
    }
}

fn parse_grid(grid: &[Vec<String>]) -> Result<Vec<RosterRow>> {
    let mut issues = Vec::new();
    let Some(header) = grid.first() else {
        return Err(CoordinatorError::Roster(vec![RosterIssue {
            row: 1,
            column: String::new(),
            message: "файл пуст".into(),
        }]));
    };
    let mut cols: Vec<Option<Col>> = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let col = Col::from_header(h);
        if let Some(c) = col {
            if cols.contains(&Some(c)) {
                issues.push(RosterIssue {
                    row: 1,
                    column: column_letter(i),
                    message: format!("столбец «{}» повторяется", c.title()),
                });
            }
        }
        cols.push(col);
    }
    for needed in [Col::Class, Col::Last, Col::First] {
        if !cols.contains(&Some(needed)) {
            issues.push(RosterIssue {
                row: 1,
                column: needed.title().into(),
                message: "нет обязательного столбца в заголовке".into(),
            });
        }
    }
    if !issues.is_empty() {
        return Err(CoordinatorError::Roster(issues));
    }
    let mut out = Vec::new();
    for (i, cells) in grid.iter().enumerate().skip(1) {
        let row = i as u32 + 1;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |want: Col| -> String {
            cols.iter()
                .position(|c| *c == Some(want))
                .and_then(|p| cells.get(p))
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default()
        };
        let before = issues.len();
        let class = get(Col::Class);
        let grade = grade_of_class(&class);
        if class.is_empty() {
            issues.push(RosterIssue {
                row,
                column: "Класс".into(),
                message: "не заполнено".into(),
            });
        } else if grade.is_none() {
            issues.push(RosterIssue {
                row,
                column: "Класс".into(),
                message: "класс должен начинаться с номера параллели 1–11, например «7А»".into(),
            });
        }
        let name = PersonName {
            last: get(Col::Last),
            first: get(Col::First),
            middle: get(Col::Middle),
        };
        check_name_part(&name.last, Col::Last, row, true, &mut issues);
        check_name_part(&name.first, Col::First, row, true, &mut issues);
        check_name_part(&name.middle, Col::Middle, row, false, &mut issues);
        let sex = match get(Col::Sex).to_uppercase().as_str() {
            "" => String::new(),
            "М" | "M" | "МУЖ" | "МУЖСКОЙ" => "М".into(),
            "Ж" | "F" | "ЖЕН" | "ЖЕНСКИЙ" => "Ж".into(),
            _ => {
                issues.push(RosterIssue {
                    row,
                    column: "Пол".into(),
                    message: "ожидается «М» или «Ж»".into(),
                });
                String::new()
            }
        };
        let special_needs = match get(Col::SpecialNeeds).to_lowercase().as_str() {
            "" | "нет" | "0" | "no" => false,
            "да" | "1" | "yes" | "+" => true,
            _ => {
                issues.push(RosterIssue {
                    row,
                    column: "ОВЗ".into(),
                    message: "ожидается «да» или «нет»".into(),
                });
                false
            }
        };
        let mark_text = get(Col::Mark);
        let previous_mark = if mark_text.is_empty() {
            None
        } else {
            match mark_text.parse::<f64>() {
                Ok(m) if (2.0..=5.0).contains(&m) && m.fract() == 0.0 => Some(m as u8),
                _ => {
                    issues.push(RosterIssue {
                        row,
                        column: "Отметка".into(),
                        message: "ожидается отметка от 2 до 5".into(),
                    });
                    None
                }
            }
        };
        if issues.len() == before {
            out.push(RosterRow {
                participant: NewParticipant {
                    class_name: class,
                    name,
                    sex,
                    special_needs,
                    previous_mark,
                },
                grade: grade.unwrap_or(0),
                language: get(Col::Language),
            });
        }
    }
    // Duplicates inside the file.
    for (i, a) in out.iter().enumerate() {
        if let Some(j) = out[..i].iter().position(|b| {
            b.participant.class_name.to_lowercase() == a.participant.class_name.to_lowercase()
                && b.participant.name.full().to_lowercase()
                    == a.participant.name.full().to_lowercase()
        }) {
            issues.push(RosterIssue {
                row: 0,
                column: "ФИО".into(),
                message: format!("участник записан дважды (записи {} и {})", j + 1, i + 1),
            });
        }
    }
    if !issues.is_empty() {
        return Err(CoordinatorError::Roster(issues));
    }
    if out.is_empty() {
        return Err(CoordinatorError::Roster(vec![RosterIssue {
            row: 2,
            column: String::new(),
            message: "в файле нет ни одного участника".into(),
        }]));
    }
    Ok(out)
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct RosterImport {
    pub added: u32,
    pub classes: Vec<String>,
}

impl Coordinator {
    /// Import a roster file: classes are created as needed, each participant
    /// gets a fresh code; a bad or duplicate row refuses the whole file.
    pub fn import_roster(&mut self, path: &Path) -> Result<RosterImport> {
        let rows = read_roster(path)?;
        let mut classes: Vec<String> = Vec::new();
        for r in &rows {
            if !classes.contains(&r.participant.class_name) {
                classes.push(r.participant.class_name.clone());
            }
        }
        // Check duplicates against the database before creating any class.
        let people: Vec<NewParticipant> = rows.iter().map(|r| r.participant.clone()).collect();
        let tx_guard = self.conn.unchecked_transaction()?;
        for r in &rows {
            self.upsert_class(&r.participant.class_name, r.grade, &r.language)?;
        }
        match self.add_participants_in(&people) {
            Ok(codes) => {
                tx_guard.commit()?;
                Ok(RosterImport {
                    added: codes.len() as u32,
                    classes,
                })
            }
            Err(e) => Err(e),
        }
    }
}
