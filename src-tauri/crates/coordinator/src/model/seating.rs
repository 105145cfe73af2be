//! Tables `slots` and `seating`: shifts per room and who sits in which.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::*;
use crate::{Coordinator, CoordinatorError, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Slot {
    pub id: i64,
    pub work_id: i64,
    pub room_id: i64,
    /// `HH:MM`.
    pub starts: String,
    pub ends: String,
}

impl Coordinator {
    pub fn add_slot(&self, work_id: i64, room_id: i64, starts: &str, ends: &str) -> Result<i64> {
        let fmt = time::macros::format_description!("[hour]:[minute]");
        let s = time::Time::parse(starts, fmt).map_err(|_| {
            CoordinatorError::Invalid(format!("время «{starts}» не в формате ЧЧ:ММ"))
        })?;
        let e = time::Time::parse(ends, fmt)
            .map_err(|_| CoordinatorError::Invalid(format!("время «{ends}» не в формате ЧЧ:ММ")))?;
        if e <= s {
            return Err(CoordinatorError::Invalid(
                "конец смены раньше начала".into(),
            ));
        }
        self.work(work_id)?;
        self.conn.execute(
            "INSERT INTO slots (work_id, room_id, starts, ends) VALUES (?1, ?2, ?3, ?4)",
            params![work_id, room_id, starts, ends],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn slots(&self, work_id: i64) -> Result<Vec<Slot>> {
        let mut st = self.conn.prepare("SELECT id, work_id, room_id, starts, ends FROM slots WHERE work_id = ?1 ORDER BY room_id, starts")?;
        let rows = st.query_map([work_id], |r| {
            Ok(Slot {
                id: r.get(0)?,
                work_id: r.get(1)?,
                room_id: r.get(2)?,
                starts: r.get(3)?,
                ends: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Seat a participant in a slot; refused when the slot already holds as
    /// many participants as the package allows at once in one room.
    pub fn seat(&self, work_id: i64, participant_id: i64, slot_id: i64) -> Result<()> {
        let work = self.work(work_id)?;
        let taken: u32 = self.conn.query_row(
            "SELECT COUNT(*) FROM seating WHERE slot_id = ?1 AND participant_id != ?2",
            params![slot_id, participant_id],
            |r| r.get(0),
        )?;
        if taken >= work.spec.stations_per_room {
            return Err(CoordinatorError::Invalid(format!(
                "в смене уже {taken} участников: столько станций работает одновременно в аудитории"
            )));
        }
        self.conn.execute(
            "INSERT INTO seating (work_id, participant_id, slot_id) VALUES (?1, ?2, ?3)
             ON CONFLICT (work_id, participant_id) DO UPDATE SET slot_id = ?3",
            params![work_id, participant_id, slot_id],
        )?;
        Ok(())
    }

    /// Seat every unseated participant of the work into slots in order, creating
    /// consecutive slots of `minutes` in `room_id` from `first_start` as needed.
    pub fn seat_all(
        &self,
        work_id: i64,
        room_id: i64,
        first_start: &str,
        minutes: u32,
    ) -> Result<Vec<Slot>> {
        let work = self.work(work_id)?;
        let fmt = time::macros::format_description!("[hour]:[minute]");
        let mut start = time::Time::parse(first_start, fmt).map_err(|_| {
            CoordinatorError::Invalid(format!("время «{first_start}» не в формате ЧЧ:ММ"))
        })?;
        let seated: std::collections::HashSet<i64> = {
            let mut st = self
                .conn
                .prepare("SELECT participant_id FROM seating WHERE work_id = ?1")?;
            let ids = st
                .query_map([work_id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            ids
        };
        let absent: std::collections::HashSet<i64> = self
            .absences(work_id)?
            .into_iter()
            .map(|a| a.participant_id)
            .collect();
        let todo: Vec<Participant> = self
            .participants_of_work(work_id)?
            .into_iter()
            .filter(|p| !seated.contains(&p.id) && !absent.contains(&p.id))
            .collect();
        let mut made = Vec::new();
        for chunk in todo.chunks(work.spec.stations_per_room as usize) {
            let end = start + time::Duration::minutes(i64::from(minutes));
            let (s, e) = (
                start.format(fmt).unwrap_or_default(),
                end.format(fmt).unwrap_or_default(),
            );
            let slot_id = self.add_slot(work_id, room_id, &s, &e)?;
            for p in chunk {
                self.seat(work_id, p.id, slot_id)?;
            }
            made.push(Slot {
                id: slot_id,
                work_id,
                room_id,
                starts: s,
                ends: e,
            });
            start = end + time::Duration::minutes(10);
        }
        Ok(made)
    }

    /// The variant the seating gives a seated participant (None: the
    /// station's default by its number), by the participant's code. Refused
    /// for a variant the work's package does not have, and for a participant
    /// not seated in the work.
    pub fn set_seat_variant(&self, work_id: i64, code: u32, variant: Option<u32>) -> Result<()> {
        let work = self.work(work_id)?;
        if let Some(v) = variant {
            if v == 0 || (!work.spec.variants.is_empty() && !work.spec.variants.contains(&v)) {
                return Err(CoordinatorError::Invalid(format!(
                    "в работе нет варианта {v}"
                )));
            }
        }
        let n = self.conn.execute(
            "UPDATE seating SET variant = ?3 WHERE work_id = ?1
               AND participant_id = (SELECT id FROM participants WHERE code = ?2)",
            params![work_id, code, variant],
        )?;
        if n == 0 {
            return Err(CoordinatorError::Invalid(format!(
                "участник с кодом {code} не рассажен на эту работу"
            )));
        }
        Ok(())
    }

    /// Participant code → the variant the seating gives (only those set).
    pub fn seat_variants(&self, work_id: i64) -> Result<std::collections::BTreeMap<u32, u32>> {
        let mut st = self.conn.prepare(
            "SELECT p.code, s.variant FROM seating s JOIN participants p ON p.id = s.participant_id
             WHERE s.work_id = ?1 AND s.variant IS NOT NULL",
        )?;
        let rows = st.query_map([work_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// `(slot, participants seated in it)` for one room.
    pub fn seating(&self, work_id: i64, room_id: i64) -> Result<Vec<(Slot, Vec<Participant>)>> {
        let people = self.participants()?;
        let mut out = Vec::new();
        for slot in self
            .slots(work_id)?
            .into_iter()
            .filter(|s| s.room_id == room_id)
        {
            let mut st = self
                .conn
                .prepare("SELECT participant_id FROM seating WHERE slot_id = ?1")?;
            let ids: Vec<i64> = st
                .query_map([slot.id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let seated = people
                .iter()
                .filter(|p| ids.contains(&p.id))
                .cloned()
                .collect();
            out.push((slot, seated));
        }
        Ok(out)
    }
}
