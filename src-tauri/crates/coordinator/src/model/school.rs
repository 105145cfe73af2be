//! Tables `school` and `classes`: the school as the federal forms name it
//! and its classes (grade, foreign language).

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::*;
use crate::{Coordinator, CoordinatorError, Result};

/// The school (ОО) as the federal forms name it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct School {
    pub name: String,
    /// Login of the school in ФИС ОКО (e.g. `sch123456`).
    pub login: String,
    pub region: String,
    pub municipality: String,
    /// «город» or «село».
    pub settlement: String,
    pub students_total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClassInfo {
    pub id: i64,
    pub name: String,
    pub grade: u8,
    pub foreign_language: String,
}

impl Coordinator {
    pub fn set_school(&self, school: &School) -> Result<()> {
        non_empty("название ОО", &school.name)?;
        self.conn.execute(
            "INSERT INTO school (id, name, login, region, municipality, settlement, students_total)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (id) DO UPDATE SET name = ?1, login = ?2, region = ?3, municipality = ?4,
               settlement = ?5, students_total = ?6",
            params![
                school.name,
                school.login,
                school.region,
                school.municipality,
                school.settlement,
                school.students_total
            ],
        )?;
        Ok(())
    }

    pub fn school(&self) -> Result<Option<School>> {
        Ok(self
            .conn
            .query_row(
                "SELECT name, login, region, municipality, settlement, students_total FROM school",
                [],
                |r| {
                    Ok(School {
                        name: r.get(0)?,
                        login: r.get(1)?,
                        region: r.get(2)?,
                        municipality: r.get(3)?,
                        settlement: r.get(4)?,
                        students_total: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    /// Add a class or update its grade and language; returns its id.
    pub fn upsert_class(&self, name: &str, grade: u8, foreign_language: &str) -> Result<i64> {
        non_empty("класс", name)?;
        if !(1..=11).contains(&grade) {
            return Err(CoordinatorError::Invalid(format!(
                "класс «{name}»: параллель {grade} вне 1–11"
            )));
        }
        self.conn.execute(
            "INSERT INTO classes (name, grade, foreign_language) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET grade = ?2,
               foreign_language = CASE WHEN ?3 = '' THEN foreign_language ELSE ?3 END",
            params![name.trim(), grade, foreign_language.trim()],
        )?;
        Ok(self.conn.query_row(
            "SELECT id FROM classes WHERE name = ?1",
            [name.trim()],
            |r| r.get(0),
        )?)
    }

    pub fn classes(&self) -> Result<Vec<ClassInfo>> {
        let mut st = self.conn.prepare(
            "SELECT id, name, grade, foreign_language FROM classes ORDER BY grade, name",
        )?;
        let rows = st.query_map([], |r| {
            Ok(ClassInfo {
                id: r.get(0)?,
                name: r.get(1)?,
                grade: r.get(2)?,
                foreign_language: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
