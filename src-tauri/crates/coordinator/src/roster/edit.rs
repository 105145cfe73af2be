//! A roster fixed where it stands: the coordinator corrects a problem cell in
//! place or leaves a row out, sees the result again, and imports. The file on
//! disk is never written; the edits are applied to the grid read from it, and
//! the import refuses a file that changed since the preview (SHA-256).

use std::path::Path;

use super::{columns::find_header, parse_grid, read, Col, ParsedRoster, RosterImport};
use crate::{error::RosterIssue, Coordinator, CoordinatorError, Result};

/// One cell corrected by the coordinator: the file's row number and the
/// column as the problem names it (the file's own header title).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct RosterEdit {
    pub row: u32,
    pub column: String,
    pub value: String,
}

/// What the coordinator chose for a roster: corrected cells and rows left out.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct RosterChoices {
    pub edits: Vec<RosterEdit>,
    /// Rows left out by the file's row number.
    pub skip: Vec<u32>,
    /// Leave out every row still with a problem after the edits.
    #[serde(default)]
    pub skip_invalid: bool,
}

/// The value a problem cell holds in the file (after the coordinator's
/// fixes), for the fix box to start from.
pub(crate) fn problem_values(
    file: &RosterFile,
    choices: &RosterChoices,
    problems: &[RosterIssue],
) -> Vec<RosterEdit> {
    let mut grid = file.grid.clone();
    if apply(&mut grid, &choices.edits).is_err() {
        return Vec::new();
    }
    let Some(header) = find_header(&grid) else {
        return Vec::new();
    };
    problems
        .iter()
        .filter_map(|p| {
            let col = header
                .titles
                .iter()
                .position(|t| t.trim() == p.column.trim())?;
            let value = grid.get((p.row as usize).checked_sub(1)?)?.get(col)?;
            Some(RosterEdit {
                row: p.row,
                column: p.column.clone(),
                value: value.trim().to_string(),
            })
        })
        .collect()
}

/// Most edits taken at once (a roster has at most [`read::MAX_ROWS`] rows).
const MAX_EDITS: usize = 2_000;

/// A roster file read and hashed once.
pub(crate) struct RosterFile {
    pub grid: read::Grid,
    pub sha256: String,
}

pub(crate) fn read_file(path: &Path) -> Result<RosterFile> {
    let (name, bytes) = read::read_bytes(path)?;
    let sha256 = hex::encode(ring::digest::digest(&ring::digest::SHA256, &bytes));
    Ok(RosterFile {
        grid: read::grid_from_bytes(&name, &bytes)?,
        sha256,
    })
}

fn edit_issue(e: &RosterEdit, message: &str) -> CoordinatorError {
    CoordinatorError::Invalid(format!(
        "исправление в строке {}, столбец «{}»: {message}",
        e.row,
        e.column.trim()
    ))
}

/// Apply the coordinator's corrections to the grid (a file without a usable
/// header takes none). A correction to a row above the data or to a column
/// the header does not have is refused by its row and column.
pub(crate) fn apply(grid: &mut read::Grid, edits: &[RosterEdit]) -> Result<()> {
    if edits.len() > MAX_EDITS {
        return Err(CoordinatorError::Invalid(format!(
            "слишком много исправлений сразу ({}, допустимо до {MAX_EDITS})",
            edits.len()
        )));
    }
    let Some(header) = find_header(grid) else {
        return match edits.first() {
            Some(e) => Err(edit_issue(e, "в файле не найдена строка заголовка")),
            None => Ok(()),
        };
    };
    for e in edits {
        let index = (e.row as usize).checked_sub(1).filter(|i| *i > header.row);
        let Some(index) = index.filter(|i| *i < grid.len()) else {
            return Err(edit_issue(e, "такой строки участника в файле нет"));
        };
        let wanted = e.column.trim();
        let col = header
            .titles
            .iter()
            .position(|t| t.trim() == wanted)
            .or_else(|| {
                header
                    .cols
                    .iter()
                    .position(|c| c.is_some_and(|c| c.title() == wanted))
            });
        let Some(col) = col else {
            return Err(edit_issue(e, "такого столбца в заголовке нет"));
        };
        if e.value.chars().count() > read::MAX_CELL_CHARS {
            return Err(edit_issue(e, "слишком длинное значение"));
        }
        let letter = header.position(Col::Letter);
        let row = &mut grid[index];
        let width = col.max(letter.unwrap_or(0)) + 1;
        if row.len() < width {
            row.resize(width, String::new());
        }
        row[col] = e.value.trim().to_string();
        // A class typed whole («7Б») replaces class and letter together.
        if header.cols[col] == Some(Col::Class) {
            if let Some(l) = letter {
                row[l].clear();
            }
        }
    }
    Ok(())
}

/// The roster with the coordinator's choices applied: valid rows, the
/// problems left, and the rows left out (their problems, if any, or a note).
pub(crate) fn parse_with(
    file: &RosterFile,
    choices: &RosterChoices,
) -> Result<(ParsedRoster, Vec<RosterIssue>)> {
    let mut grid = file.grid.clone();
    apply(&mut grid, &choices.edits)?;
    let mut parsed = parse_grid(&grid)?;
    let mut skipped = Vec::new();
    for &row in &choices.skip {
        let mut own: Vec<RosterIssue> = parsed
            .issues
            .iter()
            .filter(|i| i.row == row)
            .cloned()
            .collect();
        if own.is_empty() && parsed.rows.iter().any(|r| r.row == row) {
            own.push(RosterIssue {
                row,
                column: String::new(),
                message: "строка пропущена координатором".into(),
            });
        }
        skipped.extend(own);
    }
    parsed.rows.retain(|r| !choices.skip.contains(&r.row));
    parsed.issues.retain(|i| !choices.skip.contains(&i.row));
    if choices.skip_invalid {
        skipped.append(&mut parsed.issues);
        skipped.sort_by_key(|i| i.row);
    }
    Ok((parsed, skipped))
}

impl Coordinator {
    /// Import a roster with the coordinator's corrections and skipped rows
    /// (one body for the window and `vpr coordinator roster --fix/--skip`).
    /// `expected_sha256` (from the preview) refuses a file changed since;
    /// a problem left anywhere refuses the whole import, nothing added.
    pub fn import_roster_edited(
        &mut self,
        path: &Path,
        expected_sha256: Option<&str>,
        choices: &RosterChoices,
    ) -> Result<RosterImport> {
        let file = read_file(path)?;
        if let Some(want) = expected_sha256 {
            if !want.eq_ignore_ascii_case(&file.sha256) {
                return Err(CoordinatorError::Invalid(format!(
                    "файл «{}» изменился после просмотра: откройте его снова",
                    path.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                )));
            }
        }
        let (parsed, skipped) = parse_with(&file, choices)?;
        if !parsed.issues.is_empty() {
            return Err(CoordinatorError::Roster(parsed.issues));
        }
        if parsed.rows.is_empty() {
            return Err(CoordinatorError::Roster(vec![RosterIssue {
                row: 1,
                column: String::new(),
                message: "не осталось ни одной строки для загрузки".into(),
            }]));
        }
        self.import_rows(&parsed.rows, skipped)
    }
}
