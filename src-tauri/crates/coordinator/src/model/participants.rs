//! Tables `participants` and `used_codes`: the roster with sealed names
//! and blind indexes, and every code ever handed out (never reused). A new
//! participant's code comes from the list imported from ФИС ОКО when one
//! covers the class ([`super::fis_codes`]), else it is generated.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::*;
use crate::{crypto::random_bytes, Coordinator, CoordinatorError, Result};

/// A person's name; sealed at rest, never written to any export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonName {
    pub last: String,
    pub first: String,
    pub middle: String,
}

impl PersonName {
    pub fn full(&self) -> String {
        [
            self.last.as_str(),
            self.first.as_str(),
            self.middle.as_str(),
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
    }

    pub(crate) fn normalised(&self) -> String {
        let norm = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
                .replace('ё', "е")
        };
        format!(
            "{}|{}|{}",
            norm(&self.last),
            norm(&self.first),
            norm(&self.middle)
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewParticipant {
    pub class_name: String,
    pub name: PersonName,
    /// «М», «Ж» or empty.
    pub sex: String,
    /// ОВЗ: special educational needs.
    pub special_needs: bool,
    /// Mark in the subject for the previous term, if known (context data).
    pub previous_mark: Option<u8>,
}

/// A participant as the coordinator's screens see it (names inside the app only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Participant {
    pub id: i64,
    pub code: u32,
    pub class_id: i64,
    pub class_name: String,
    pub grade: u8,
    pub name: PersonName,
    pub sex: String,
    pub special_needs: bool,
    pub previous_mark: Option<u8>,
}

/// Where a participant's sealed cell lives (its associated data).
pub(crate) const PARTICIPANTS: &str = "participants";
pub(crate) const NAME_CELL: &str = "name_sealed";

/// What the sealed cell of a participant holds: the name and the ОВЗ flag
/// (the plain `special_needs` column stays 0).
#[derive(Serialize, Deserialize)]
pub(crate) struct SealedPerson {
    #[serde(flatten)]
    pub name: PersonName,
    pub special_needs: bool,
}

pub(crate) fn sealed_person(name: &PersonName, special_needs: bool) -> Result<Vec<u8>> {
    Ok(json(&SealedPerson {
        name: name.clone(),
        special_needs,
    })?
    .into_bytes())
}

/// What a participant's blind index is computed from: class and name,
/// trimmed, lower case, ё as е.
pub(crate) fn participant_index_input(class_name: &str, name: &PersonName) -> String {
    format!("{}|{}", class_name.trim().to_lowercase(), name.normalised())
}

/// A new code never used before in this database (not even by a deleted participant).
fn fresh_code(tx: &Connection) -> Result<u32> {
    let used: i64 = tx.query_row("SELECT COUNT(*) FROM used_codes", [], |r| r.get(0))?;
    if used >= 90_000 {
        return Err(CoordinatorError::CodesExhausted);
    }
    for _ in 0..10_000 {
        let r = u32::from_le_bytes(random_bytes::<4>()?);
        // Rejection sampling keeps the distribution uniform.
        if r >= u32::MAX - (u32::MAX % 90_000) {
            continue;
        }
        let code = 10_000 + r % 90_000;
        if tx.execute(
            "INSERT OR IGNORE INTO used_codes (code) VALUES (?1)",
            [code],
        )? == 1
        {
            return Ok(code);
        }
    }
    Err(CoordinatorError::CodesExhausted)
}

impl Coordinator {
    /// Add participants in one transaction, each with a fresh random code.
    /// Duplicates (same class and name, also against those already stored)
    /// refuse the whole batch with the position of each.
    pub fn add_participants(&mut self, people: &[NewParticipant]) -> Result<Vec<u32>> {
        let tx = self.conn.unchecked_transaction()?;
        let codes = self.add_participants_in(people)?;
        tx.commit()?;
        Ok(codes)
    }

    /// As [`Coordinator::add_participants`] inside the caller's transaction.
    pub(crate) fn add_participants_in(&self, people: &[NewParticipant]) -> Result<Vec<u32>> {
        let mut issues = Vec::new();
        let mut seen = std::collections::HashMap::new();
        let mut indexes = Vec::with_capacity(people.len());
        for (i, p) in people.iter().enumerate() {
            let row = i as u32 + 1;
            let index = self
                .vault
                .blind_index(&participant_index_input(&p.class_name, &p.name));
            if let Some(first) = seen.insert(index.clone(), row) {
                issues.push(crate::error::RosterIssue {
                    row,
                    column: "ФИО".into(),
                    message: format!("тот же участник уже в записи {first}"),
                });
            } else if self
                .conn
                .query_row(
                    "SELECT 1 FROM participants WHERE name_index = ?1",
                    [&index],
                    |_| Ok(()),
                )
                .optional()?
                .is_some()
            {
                issues.push(crate::error::RosterIssue {
                    row,
                    column: "ФИО".into(),
                    message: "этот участник уже есть в базе".into(),
                });
            }
            indexes.push(index);
        }
        if !issues.is_empty() {
            return Err(CoordinatorError::Roster(issues));
        }
        let mut codes = Vec::with_capacity(people.len());
        for (p, index) in people.iter().zip(indexes) {
            let (class_id, grade): (i64, u8) = self
                .conn
                .query_row(
                    "SELECT id, grade FROM classes WHERE name = ?1",
                    [p.class_name.trim()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?
                .ok_or_else(|| {
                    CoordinatorError::Invalid(format!("класс «{}» не заведён", p.class_name))
                })?;
            // A code of the list from ФИС ОКО when one covers the class, else generated.
            let code = match self.code_from_list(p.class_name.trim(), grade)? {
                Some(code) => code,
                None => fresh_code(&self.conn)?,
            };
            // The row id is part of the sealed cell's associated data: insert,
            // then seal name and ОВЗ for that row (one transaction, the caller's).
            self.conn.execute(
                "INSERT INTO participants (code, class_id, name_sealed, name_index, sex, special_needs, previous_mark)
                 VALUES (?1, ?2, x'', ?3, ?4, 0, ?5)",
                params![code, class_id, index, p.sex, p.previous_mark],
            )?;
            let id = self.conn.last_insert_rowid();
            self.conn.execute(
                "UPDATE participants SET name_sealed = ?1 WHERE id = ?2",
                params![
                    self.vault.seal_cell(
                        PARTICIPANTS,
                        NAME_CELL,
                        id,
                        &sealed_person(&p.name, p.special_needs)?
                    )?,
                    id
                ],
            )?;
            codes.push(code);
        }
        Ok(codes)
    }

    /// Add the people not yet in the database and update those already
    /// there (same class and name: sex, ОВЗ, previous mark, the name's
    /// spelling), inside the caller's transaction. Returns (added, updated).
    pub(crate) fn upsert_participants_in(&self, people: &[NewParticipant]) -> Result<(u32, u32)> {
        let mut new = Vec::new();
        let mut updated = 0;
        for p in people {
            let index = self
                .vault
                .blind_index(&participant_index_input(&p.class_name, &p.name));
            let existing: Option<i64> = self
                .conn
                .query_row(
                    "SELECT id FROM participants WHERE name_index = ?1",
                    [&index],
                    |r| r.get(0),
                )
                .optional()?;
            match existing {
                Some(id) => {
                    self.conn.execute(
                        "UPDATE participants SET name_sealed = ?1, sex = ?2, previous_mark = ?3 WHERE id = ?4",
                        params![
                            self.vault.seal_cell(
                                PARTICIPANTS,
                                NAME_CELL,
                                id,
                                &sealed_person(&p.name, p.special_needs)?
                            )?,
                            p.sex,
                            p.previous_mark,
                            id
                        ],
                    )?;
                    updated += 1;
                }
                None => new.push(p.clone()),
            }
        }
        let codes = self.add_participants_in(&new)?;
        Ok((codes.len() as u32, updated))
    }

    /// Delete a participant; the code stays used and is never handed out again.
    pub fn delete_participant(&mut self, id: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM absences WHERE participant_id = ?1", [id])?;
        tx.execute("DELETE FROM seating WHERE participant_id = ?1", [id])?;
        if tx.execute("DELETE FROM participants WHERE id = ?1", [id])? == 0 {
            return Err(CoordinatorError::Missing {
                what: "участник",
                id,
            });
        }
        tx.commit()?;
        Ok(())
    }

    /// Every participant with their name decrypted, ordered by class and code.
    pub fn participants(&self) -> Result<Vec<Participant>> {
        let mut st = self.conn.prepare(
            "SELECT p.id, p.code, p.class_id, c.name, c.grade, p.name_sealed, p.sex, p.previous_mark
             FROM participants p JOIN classes c ON c.id = p.class_id ORDER BY c.grade, c.name, p.code",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, u8>(4)?,
                r.get::<_, Vec<u8>>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<u8>>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, code, class_id, class_name, grade, sealed, sex, previous_mark) = row?;
            let SealedPerson {
                name,
                special_needs,
            } = from_json(
                &self
                    .vault
                    .open_cell_str(PARTICIPANTS, NAME_CELL, id, &sealed)?,
            )?;
            out.push(Participant {
                id,
                code,
                class_id,
                class_name,
                grade,
                name,
                sex,
                special_needs,
                previous_mark,
            });
        }
        Ok(out)
    }

    /// Participants of the grade a work is for.
    pub fn participants_of_work(&self, work_id: i64) -> Result<Vec<Participant>> {
        let work = self.work(work_id)?;
        Ok(self
            .participants()?
            .into_iter()
            .filter(|p| p.grade == work.grade)
            .collect())
    }
}
