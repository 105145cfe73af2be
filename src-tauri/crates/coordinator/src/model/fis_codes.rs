//! Table `fis_codes`: the participant codes the school downloaded from
//! ФИС ОКО, in the file's order, with the class (or parallel) each was
//! issued for. Imported from CSV or XLSX as schools have them (the header
//! found as the roster importer finds it, below title rows; a bare column
//! of codes also reads), then handed out: in roster order or at random, a
//! class's codes to that class, one code per participant for all works.
//! Once a list is in, new participants take the next free code of the list;
//! codes are generated locally only while no list is given.

use std::path::Path;

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    crypto::random_bytes,
    error::RosterIssue,
    roster::{find_header_with, normalise_class, read_grid, Col, Grid},
    Coordinator, CoordinatorError, Result,
};

/// How imported codes are handed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CodeOrder {
    /// The list's codes in its order to participants in roster order (class, name).
    Roster,
    /// Shuffled before handing out.
    Random,
}

/// One code of a list as the file has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedCode {
    pub code: u32,
    /// «7А», a parallel «7», or empty when the list has no class column.
    pub class_name: String,
    /// The file's row (1-based).
    pub row: u32,
}

/// What importing a list of codes did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CodesImport {
    /// Codes of the file new to the database.
    pub imported: u32,
    /// Codes of the file already imported before.
    pub already: u32,
    /// Participants given a code of the list now.
    pub assigned: u32,
    /// Participants who keep their code: works are already recorded under it.
    pub kept: Vec<u32>,
    /// Codes of the lists not handed out (for participants added later).
    pub free: u32,
    /// Classes no list has codes for: their participants keep their codes.
    pub uncovered: Vec<String>,
}

fn issue(row: u32, column: &str, message: impl Into<String>) -> RosterIssue {
    RosterIssue {
        row,
        column: column.into(),
        message: message.into(),
    }
}

/// The codes of a grid: under a «Код участника» header (and «Класс» if
/// there is one), or a bare first column of numbers.
pub fn parse_code_list(grid: &Grid) -> Result<Vec<ListedCode>> {
    let header = find_header_with(grid, &[Col::Code]);
    let (first_row, code_col, class_col, code_title) = match &header {
        Some(h) => (
            h.row + 1,
            h.position(Col::Code).unwrap_or(0),
            h.position(Col::Class),
            h.title(Col::Code),
        ),
        None => (0, 0, None, "A".to_string()),
    };
    let mut out: Vec<ListedCode> = Vec::new();
    let mut issues = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (i, cells) in grid.iter().enumerate().skip(first_row) {
        let row = i as u32 + 1;
        let text = cells.get(code_col).map(|s| s.trim()).unwrap_or("");
        if text.is_empty() {
            continue;
        }
        if !text.chars().all(|c| c.is_ascii_digit()) || !(4..=9).contains(&text.len()) {
            issues.push(issue(
                row,
                &code_title,
                format!("«{text}» — не код участника (ожидается от 4 до 9 цифр)"),
            ));
            continue;
        }
        if text.starts_with('0') {
            issues.push(issue(
                row,
                &code_title,
                format!("код «{text}» начинается с нуля: такие коды не поддерживаются"),
            ));
            continue;
        }
        let code: u32 = text.parse().unwrap_or(0);
        if let Some(first) = seen.insert(code, row) {
            issues.push(issue(
                row,
                &code_title,
                format!("код {code} уже есть в строке {first}"),
            ));
            continue;
        }
        let class_name = match class_col.and_then(|c| cells.get(c)).map(|s| s.trim()) {
            None | Some("") => String::new(),
            Some(c) => match normalise_class(c) {
                Some(n) => n,
                None => {
                    issues.push(issue(
                        row,
                        "Класс",
                        "класс должен начинаться с номера параллели 1–11, например «7А»",
                    ));
                    continue;
                }
            },
        };
        out.push(ListedCode {
            code,
            class_name,
            row,
        });
    }
    if header.is_none() && out.is_empty() && issues.is_empty() {
        issues.push(issue(1, "", "не найден столбец «Код участника»"));
    }
    if header.is_none() && !issues.is_empty() && out.is_empty() {
        issues.truncate(1);
        issues[0] = issue(
            1,
            "",
            "не найден столбец «Код участника» (или столбец кодов без заголовка)",
        );
    }
    if !issues.is_empty() {
        return Err(CoordinatorError::CodeList(issues));
    }
    if out.is_empty() {
        return Err(CoordinatorError::CodeList(vec![issue(
            first_row as u32 + 1,
            &code_title,
            "в файле нет ни одного кода",
        )]));
    }
    Ok(out)
}

/// Read a list of codes (`.csv`, `.xlsx`) within the roster reader's caps.
pub fn read_code_list(path: &Path) -> Result<Vec<ListedCode>> {
    parse_code_list(&read_grid(path)?)
}

/// Whether a list's class fits a participant's class.
fn fits(list_class: &str, class_name: &str, grade: u8) -> bool {
    list_class.is_empty()
        || list_class == class_name
        || (list_class.chars().all(|c| c.is_ascii_digit()) && list_class == grade.to_string())
}

/// How specific a list's class is for a class: its own 0, its parallel 1, any 2.
fn rank(list_class: &str, class_name: &str) -> u8 {
    if list_class == class_name {
        0
    } else if list_class.is_empty() {
        2
    } else {
        1
    }
}

fn shuffle<T>(v: &mut [T]) -> Result<()> {
    for i in (1..v.len()).rev() {
        let bound = (i + 1) as u64;
        let j = loop {
            let r = u64::from_le_bytes(random_bytes::<8>()?);
            if r < u64::MAX - (u64::MAX % bound) {
                break (r % bound) as usize;
            }
        };
        v.swap(i, j);
    }
    Ok(())
}

impl Coordinator {
    /// Whether a list of codes from ФИС ОКО has been imported.
    pub fn has_code_list(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM fis_codes)", [], |r| r.get(0))?)
    }

    /// The next free code of the list for a participant of `class_name`
    /// (its own class first, then its parallel, then codes for any class).
    pub(crate) fn next_list_code(&self, class_name: &str, grade: u8) -> Result<Option<u32>> {
        let mut st = self.conn.prepare(
            "SELECT f.code, f.class_name FROM fis_codes f
             WHERE NOT EXISTS (SELECT 1 FROM participants p WHERE p.code = f.code)
             ORDER BY f.position",
        )?;
        let free: Vec<(u32, String)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(free
            .into_iter()
            .filter(|(code, c)| {
                fits(c, class_name, grade) && !self.code_in_use(*code).unwrap_or(true)
            })
            .min_by_key(|(_, c)| rank(c, class_name))
            .map(|(code, _)| code))
    }

    /// Whether any work, score or held session is recorded under `code`.
    fn code_in_use(&self, code: u32) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM submissions WHERE code = ?1)
                 OR EXISTS (SELECT 1 FROM held_sessions WHERE code = ?1)
                 OR EXISTS (SELECT 1 FROM auto_scores WHERE code = ?1)
                 OR EXISTS (SELECT 1 FROM paper_entries WHERE code = ?1)
                 OR EXISTS (SELECT 1 FROM expert_scores WHERE code = ?1)
                 OR EXISTS (SELECT 1 FROM assignments WHERE code = ?1)
                 OR EXISTS (SELECT 1 FROM receipts WHERE code = ?1)
                 OR EXISTS (SELECT 1 FROM bundle_codes WHERE code = ?1)
                 OR EXISTS (SELECT 1 FROM cross_packages WHERE code = ?1)",
            [code],
            |r| r.get(0),
        )?)
    }

    /// Import a list of codes and hand them out (one transaction): every
    /// participant without a code of a list gets one, unless a work is
    /// already recorded under their code. Not enough codes for a class
    /// refuses the whole import, naming the class.
    pub fn import_codes(&mut self, path: &Path, order: CodeOrder) -> Result<CodesImport> {
        let listed = read_code_list(path)?;
        let source = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tx = self.conn.unchecked_transaction()?;
        let mut imported = 0;
        let start: i64 = tx.query_row(
            "SELECT COALESCE(MAX(position), 0) FROM fis_codes",
            [],
            |r| r.get(0),
        )?;
        let at = super::now_string();
        for (i, c) in listed.iter().enumerate() {
            imported += tx.execute(
                "INSERT OR IGNORE INTO fis_codes (code, class_name, position, source, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![c.code, c.class_name, start + 1 + i as i64, source, at],
            )? as u32;
        }
        let already = listed.len() as u32 - imported;
        // Participants not yet holding a list code issued for their class.
        let mut people = Vec::new();
        for p in self.participants()? {
            let listed: Option<String> = tx
                .query_row(
                    "SELECT class_name FROM fis_codes WHERE code = ?1",
                    [p.code],
                    |r| r.get(0),
                )
                .optional()?;
            if !listed.is_some_and(|c| fits(&c, &p.class_name, p.grade)) {
                people.push(p);
            }
        }
        let mut kept = Vec::new();
        people.retain(|p| match self.code_in_use(p.code) {
            Ok(true) => {
                kept.push(p.code);
                false
            }
            _ => true,
        });
        people.sort_by_key(|p| (p.grade, p.class_name.clone(), p.name.normalised()));
        // Free codes of the lists: not held by anyone staying as they are
        // (those being moved give theirs up), not used by any work.
        let moving: std::collections::HashSet<u32> = people.iter().map(|p| p.code).collect();
        let mut st = tx.prepare(
            "SELECT f.code, f.class_name, EXISTS (SELECT 1 FROM participants p WHERE p.code = f.code)
             FROM fis_codes f ORDER BY f.position",
        )?;
        let mut free: Vec<(u32, String)> = Vec::new();
        for row in st.query_map([], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })? {
            let (code, class, held) = row?;
            if (!held || moving.contains(&code)) && !self.code_in_use(code)? {
                free.push((code, class));
            }
        }
        drop(st);
        if order == CodeOrder::Random {
            shuffle(&mut free)?;
        }
        let mut plan: Vec<(i64, u32)> = Vec::new();
        let mut short: std::collections::BTreeMap<String, u32> = Default::default();
        let mut uncovered: Vec<String> = Vec::new();
        for p in &people {
            if !self.list_fits_class(&p.class_name, p.grade)? {
                if !uncovered.contains(&p.class_name) {
                    uncovered.push(p.class_name.clone());
                }
                continue;
            }
            let pick = free
                .iter()
                .enumerate()
                .filter(|(_, (_, c))| fits(c, &p.class_name, p.grade))
                .min_by_key(|(i, (_, c))| (rank(c, &p.class_name), *i))
                .map(|(i, _)| i);
            match pick {
                Some(i) => plan.push((p.id, free.remove(i).0)),
                None => *short.entry(p.class_name.clone()).or_default() += 1,
            }
        }
        if !short.is_empty() {
            return Err(CoordinatorError::CodesShort(
                short
                    .iter()
                    .map(|(c, n)| format!("{c}: не хватает {n}"))
                    .collect(),
            ));
        }
        // Move everyone to a placeholder first, so a list code equal to the
        // old code of another participant being moved never collides.
        for (id, _) in &plan {
            tx.execute("INSERT OR IGNORE INTO used_codes (code) VALUES (?1)", [-id])?;
            tx.execute(
                "UPDATE participants SET code = ?1 WHERE id = ?2",
                params![-id, id],
            )?;
        }
        for (id, code) in &plan {
            tx.execute(
                "INSERT OR IGNORE INTO used_codes (code) VALUES (?1)",
                [code],
            )?;
            tx.execute(
                "UPDATE participants SET code = ?1 WHERE id = ?2",
                params![code, id],
            )?;
        }
        tx.execute("DELETE FROM used_codes WHERE code < 0", [])?;
        tx.commit()?;
        Ok(CodesImport {
            imported,
            already,
            assigned: plan.len() as u32,
            kept,
            free: free.len() as u32,
            uncovered,
        })
    }

    /// Whether any imported list has codes for this class (its own, its
    /// parallel's or codes for any class), handed out or not.
    fn list_fits_class(&self, class_name: &str, grade: u8) -> Result<bool> {
        let mut st = self
            .conn
            .prepare("SELECT DISTINCT class_name FROM fis_codes")?;
        let classes: Vec<String> = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(classes.iter().any(|c| fits(c, class_name, grade)))
    }

    /// A list code for a new participant when a list has codes for the
    /// class; None when none has (the code is generated). A list whose codes
    /// for the class are all handed out refuses.
    pub(crate) fn code_from_list(&self, class_name: &str, grade: u8) -> Result<Option<u32>> {
        if !self.list_fits_class(class_name, grade)? {
            return Ok(None);
        }
        match self.next_list_code(class_name, grade)? {
            Some(code) => {
                self.conn
                    .execute("INSERT OR IGNORE INTO used_codes (code) VALUES (?1)", [code])?;
                Ok(Some(code))
            }
            None => Err(CoordinatorError::CodesShort(vec![format!(
                "{class_name}: в списке из ФИС ОКО свободных кодов нет, загрузите дополнительный список"
            )])),
        }
    }
}
