//! Tables `staff` and `staff_rooms`: organizers, observers, experts and
//! technicians (names sealed), and organizers placed in rooms.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::*;
use crate::{Coordinator, CoordinatorError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    Organizer,
    Observer,
    Expert,
    Technician,
}

impl StaffRole {
    fn as_str(self) -> &'static str {
        match self {
            Self::Organizer => "organizer",
            Self::Observer => "observer",
            Self::Expert => "expert",
            Self::Technician => "technician",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "organizer" => Self::Organizer,
            "observer" => Self::Observer,
            "expert" => Self::Expert,
            "technician" => Self::Technician,
            other => {
                return Err(CoordinatorError::Corrupt(format!(
                    "неизвестная роль «{other}»"
                )))
            }
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewStaff {
    pub role: StaffRole,
    pub name: PersonName,
    /// Subjects the person teaches (for experts: the subjects they may score).
    pub subjects: Vec<String>,
    /// Class names the person teaches.
    pub teaches_classes: Vec<String>,
    pub experience_years: u32,
    pub school_employee: bool,
    pub parent_of_participant: bool,
    pub organization: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StaffMember {
    pub id: i64,
    pub role: StaffRole,
    pub name: PersonName,
    pub subjects: Vec<String>,
    pub teaches_classes: Vec<String>,
    pub experience_years: u32,
    pub school_employee: bool,
    pub parent_of_participant: bool,
    pub organization: String,
}

impl StaffMember {
    /// The label experts are known by in scores and exports (no name).
    pub fn label(&self) -> String {
        format!("Э-{:03}", self.id)
    }
}

/// The table and column of a staff member's sealed name (its AAD).
pub(crate) const STAFF: &str = "staff";
pub(crate) const STAFF_NAME: &str = "name_sealed";

impl Coordinator {
    /// Add a staff member; refuses an observer who works at the school or is a
    /// participant's parent, and an expert without the subject or a year of experience.
    pub fn add_staff(&self, s: &NewStaff) -> Result<i64> {
        non_empty("фамилия", &s.name.last)?;
        match s.role {
            StaffRole::Observer if s.school_employee || s.parent_of_participant => {
                return Err(CoordinatorError::Invalid(
                    "общественный наблюдатель не может быть работником ОО или родителем участника"
                        .into(),
                ))
            }
            StaffRole::Expert if s.subjects.is_empty() => {
                return Err(CoordinatorError::Invalid(
                    "у эксперта не указан предмет".into(),
                ))
            }
            StaffRole::Expert if s.experience_years < 1 => {
                return Err(CoordinatorError::Invalid(
                    "эксперт должен иметь опыт преподавания предмета не менее одного года".into(),
                ))
            }
            _ => {}
        }
        // The name is sealed to its row, so the id comes first (one transaction).
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO staff (role, name_sealed, subjects, teaches_classes, experience_years, school_employee,
               parent_of_participant, organization) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                s.role.as_str(),
                Vec::<u8>::new(),
                json(&s.subjects)?,
                json(&s.teaches_classes)?,
                s.experience_years,
                s.school_employee,
                s.parent_of_participant,
                s.organization
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "UPDATE staff SET name_sealed = ?1 WHERE id = ?2",
            params![
                self.vault
                    .seal_cell(STAFF, STAFF_NAME, id, json(&s.name)?.as_bytes())?,
                id
            ],
        )?;
        tx.commit()?;
        Ok(id)
    }

    pub fn staff(&self) -> Result<Vec<StaffMember>> {
        let mut st = self.conn.prepare(
            "SELECT id, role, name_sealed, subjects, teaches_classes, experience_years, school_employee,
               parent_of_participant, organization FROM staff ORDER BY role, id",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Vec<u8>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, u32>(5)?,
                r.get::<_, bool>(6)?,
                r.get::<_, bool>(7)?,
                r.get::<_, String>(8)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (
                id,
                role,
                sealed,
                subjects,
                classes,
                experience_years,
                school_employee,
                parent,
                organization,
            ) = row?;
            out.push(StaffMember {
                id,
                role: StaffRole::parse(&role)?,
                name: from_json(&self.vault.open_cell_str(STAFF, STAFF_NAME, id, &sealed)?)?,
                subjects: from_json(&subjects)?,
                teaches_classes: from_json(&classes)?,
                experience_years,
                school_employee,
                parent_of_participant: parent,
                organization,
            });
        }
        Ok(out)
    }

    pub fn remove_staff(&self, id: i64) -> Result<()> {
        if self.conn.execute("DELETE FROM staff WHERE id = ?1", [id])? == 0 {
            return Err(CoordinatorError::Missing {
                what: "сотрудник",
                id,
            });
        }
        Ok(())
    }

    /// Put an organizer in a room for a work; returns warnings (the regulations
    /// advise against an organizer who teaches the subject or a class in the room).
    pub fn assign_organizer(
        &self,
        staff_id: i64,
        work_id: i64,
        room_id: i64,
    ) -> Result<Vec<String>> {
        let member = self.staff()?.into_iter().find(|s| s.id == staff_id).ok_or(
            CoordinatorError::Missing {
                what: "сотрудник",
                id: staff_id,
            },
        )?;
        if member.role != StaffRole::Organizer {
            return Err(CoordinatorError::Invalid(
                "в аудиторию назначается организатор".into(),
            ));
        }
        self.conn.execute(
            "INSERT INTO staff_rooms (staff_id, work_id, room_id) VALUES (?1, ?2, ?3)
             ON CONFLICT (staff_id, work_id) DO UPDATE SET room_id = ?3",
            params![staff_id, work_id, room_id],
        )?;
        self.organizer_warnings(work_id, staff_id)
    }

    /// Warnings for one organizer's assignment in a work.
    pub fn organizer_warnings(&self, work_id: i64, staff_id: i64) -> Result<Vec<String>> {
        let work = self.work(work_id)?;
        let Some(member) = self.staff()?.into_iter().find(|s| s.id == staff_id) else {
            return Ok(Vec::new());
        };
        let room: Option<i64> = self
            .conn
            .query_row(
                "SELECT room_id FROM staff_rooms WHERE staff_id = ?1 AND work_id = ?2",
                params![staff_id, work_id],
                |r| r.get(0),
            )
            .optional()?;
        let mut warnings = Vec::new();
        let label = format!("организатор №{staff_id}");
        if member.subjects.iter().any(|s| {
            s.trim().eq_ignore_ascii_case(work.subject.trim())
                || s.trim().to_lowercase() == work.subject.trim().to_lowercase()
        }) {
            warnings.push(format!("{label} преподаёт предмет «{}»", work.subject));
        }
        if let Some(room) = room {
            let mut classes: Vec<String> = self
                .seating(work_id, room)?
                .into_iter()
                .flat_map(|(_, ps)| ps.into_iter().map(|p| p.class_name))
                .filter(|c| member.teaches_classes.iter().any(|t| t.trim() == c))
                .collect();
            classes.sort();
            classes.dedup();
            for c in classes {
                warnings.push(format!(
                    "{label} преподаёт в классе {c}, который пишет в этой аудитории"
                ));
            }
        }
        Ok(warnings)
    }
}
