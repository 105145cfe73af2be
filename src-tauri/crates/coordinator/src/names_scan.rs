//! No names through free text: expert and cross-check notes are scanned
//! against the names the coordinator holds (participants and staff:
//! surname, first name, patronymic) before anything leaves the school.
//! Words are compared whole, case-insensitively, with ё read as е. A hit
//! names the place (table, code, task, criterion), never the name.

use std::collections::HashSet;

use rusqlite::params;

use crate::{Coordinator, CoordinatorError, PersonName, Result};

/// One note that contains a name from the roster or the staff list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct NameHit {
    /// Where the text is: `expert_scores` (expert and cross-check notes) or
    /// `cross_scores` (notes of a scores file going to another school).
    pub table: String,
    pub code: Option<u32>,
    pub task: Option<u32>,
    /// Which scoring (1, 2, 3) of the task.
    pub round: Option<u32>,
    pub criterion: String,
    /// The position of the score in an outgoing scores file (1-based).
    pub entry: Option<u32>,
}

impl std::fmt::Display for NameHit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut place = Vec::new();
        if let Some(c) = self.code {
            place.push(format!("код {c}"));
        }
        if let Some(t) = self.task {
            place.push(format!("задание {t}"));
        }
        if let Some(r) = self.round {
            place.push(format!("проверка {r}"));
        }
        if !self.criterion.is_empty() {
            place.push(format!("критерий {}", self.criterion));
        }
        if let Some(e) = self.entry {
            place.push(format!("запись {e}"));
        }
        write!(
            f,
            "{}: {}: в примечании имя, фамилия или отчество из списка — уберите его",
            self.table,
            place.join(", ")
        )
    }
}

/// The folded form words are compared in: lower case, ё as е.
fn fold(s: &str) -> String {
    s.to_lowercase().replace('ё', "е")
}

/// The words of a text (letters and digits between any other characters).
fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
}

/// The set of name words to look for.
#[derive(Debug, Default)]
pub(crate) struct NameScanner {
    words: HashSet<String>,
}

impl NameScanner {
    pub(crate) fn new<'a>(names: impl IntoIterator<Item = &'a PersonName>) -> Self {
        let mut set = HashSet::new();
        for n in names {
            for part in [&n.last, &n.first, &n.middle] {
                // A one-letter part (an initial) would match every «А».
                set.extend(words(part).filter(|w| w.chars().count() >= 2));
            }
        }
        Self { words: set }
    }

    /// Whether `text` contains one of the names as a whole word.
    pub(crate) fn hits(&self, text: &str) -> bool {
        words(text).any(|w| self.words.contains(&w))
    }
}

impl Coordinator {
    /// A scanner over every participant's and staff member's name.
    pub(crate) fn name_scanner(&self) -> Result<NameScanner> {
        let people = self.participants()?;
        let staff = self.staff()?;
        Ok(NameScanner::new(
            people
                .iter()
                .map(|p| &p.name)
                .chain(staff.iter().map(|s| &s.name)),
        ))
    }

    /// Every note of a work's expert scores (local, third expert and
    /// imported cross-check scores) that contains a name.
    pub fn names_in_notes(&self, work_id: i64) -> Result<Vec<NameHit>> {
        let scanner = self.name_scanner()?;
        let mut st = self.conn.prepare(
            "SELECT code, task, round, criterion, note FROM expert_scores
             WHERE work_id = ?1 AND note <> '' ORDER BY code, task, round, criterion",
        )?;
        let rows = st.query_map(params![work_id], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut hits = Vec::new();
        for row in rows {
            let (code, task, round, criterion, note) = row?;
            if scanner.hits(&note) {
                hits.push(NameHit {
                    table: "expert_scores".into(),
                    code: Some(code),
                    task: Some(task),
                    round: Some(round),
                    criterion,
                    entry: None,
                });
            }
        }
        Ok(hits)
    }

    /// Refuse an export while a note of the work contains a name.
    pub(crate) fn refuse_names_in_notes(&self, work_id: i64) -> Result<()> {
        names_refused(self.names_in_notes(work_id)?)
    }
}

/// `Ok` when there are no hits, otherwise the refusal naming each place.
pub(crate) fn names_refused(hits: Vec<NameHit>) -> Result<()> {
    if hits.is_empty() {
        return Ok(());
    }
    let n = hits.len();
    tracing::warn!(
        hits = n,
        "выгрузка остановлена: в примечаниях найдены имена"
    );
    Err(CoordinatorError::Invalid(format!(
        "выгрузка остановлена: примечаний с именами — {n}; {}",
        hits.iter()
            .take(5)
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(last: &str, first: &str, middle: &str) -> PersonName {
        PersonName {
            last: last.into(),
            first: first.into(),
            middle: middle.into(),
        }
    }

    #[test]
    fn whole_words_any_case_and_yo_folded() {
        let names = [
            name("Ёлкин", "Максим", "Петрович"),
            name("Петрова-Водкина", "Анна", "А"),
        ];
        let s = NameScanner::new(names.iter());
        for hit in [
            "ответ ЕЛКИН хороший",
            "Максим молодец",
            "(петрович)",
            "водкина",
            "ёлкин,",
            "Ответил: Анна.",
        ] {
            assert!(s.hits(hit), "{hit}");
        }
        for miss in [
            "максимум баллов",
            "Петровичи",
            "а также",
            "",
            "ёлкинский",
            "Annа",
        ] {
            assert!(!s.hits(miss), "{miss}");
        }
        let hit = NameHit {
            table: "expert_scores".into(),
            code: Some(12345),
            task: Some(3),
            round: None,
            criterion: "К1".into(),
            entry: None,
        };
        let text = hit.to_string();
        assert!(text.contains("код 12345, задание 3, критерий К1"), "{text}");
    }
}
