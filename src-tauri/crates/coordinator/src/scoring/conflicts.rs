//! Conflicts of interest of a work's assignments, for the coordinator's
//! screen: organizers who teach the subject or a class writing in their
//! room, experts assigned to a participant of a class they teach, an expert
//! who was the organizer in the participant's room (the same person entered
//! as both), and pieces no eligible expert can take.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::params;

use crate::{model::StaffRole, Coordinator, Result};

impl Coordinator {
    /// Every warning of a work's organizer and expert assignments, in Russian.
    pub fn assignment_warnings(&self, work_id: i64) -> Result<Vec<String>> {
        let work = self.work(work_id)?;
        let staff = self.staff()?;
        let mut out = Vec::new();
        // Organizers placed for this work: staff id → room.
        let placed: Vec<(i64, i64)> = {
            let mut st = self.conn.prepare(
                "SELECT staff_id, room_id FROM staff_rooms WHERE work_id = ?1 ORDER BY staff_id",
            )?;
            let rows = st.query_map([work_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        // Code → the organizers (by name) of the room the participant sat in.
        let mut organizers_of: BTreeMap<u32, BTreeSet<String>> = BTreeMap::new();
        for (staff_id, room_id) in &placed {
            out.extend(self.organizer_warnings(work_id, *staff_id)?);
            let Some(member) = staff.iter().find(|s| s.id == *staff_id) else {
                continue;
            };
            for (_, people) in self.seating(work_id, *room_id)? {
                for p in people {
                    organizers_of
                        .entry(p.code)
                        .or_default()
                        .insert(person(&member.name));
                }
            }
        }
        let experts: Vec<_> = staff
            .iter()
            .filter(|s| s.role == StaffRole::Expert)
            .collect();
        if self.experts_for(&work)?.is_empty() && work.spec.tasks.iter().any(|t| t.is_expert()) {
            out.push(format!(
                "нет ни одного эксперта по предмету «{}» со стажем от года: развёрнутые ответы некому оценить",
                work.subject
            ));
        }
        let assigned: Vec<(u32, u32, String)> = {
            let mut st = self.conn.prepare(
                "SELECT code, task, expert FROM assignments WHERE work_id = ?1 ORDER BY code, task, round",
            )?;
            let rows = st.query_map(params![work_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (code, task, label) in assigned {
            let Some(expert) = experts.iter().find(|e| e.label() == label) else {
                continue;
            };
            if let Some(class) = self.class_of_code(code)? {
                if expert.teaches_classes.iter().any(|c| c.trim() == class) {
                    out.push(format!(
                        "эксперт {label} преподаёт в классе {class}, а оценивает участника {code} (задание {task})"
                    ));
                }
            }
            if organizers_of
                .get(&code)
                .is_some_and(|names| names.contains(&person(&expert.name)))
            {
                out.push(format!(
                    "эксперт {label} был организатором в аудитории участника {code} (задание {task})"
                ));
            }
        }
        Ok(out)
    }
}

/// A name compared as a person: case and spacing do not matter.
fn person(name: &crate::model::PersonName) -> String {
    name.full()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}
