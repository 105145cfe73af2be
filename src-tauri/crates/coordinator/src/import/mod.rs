//! Import of station bundles (`bundle.rs`): verified against the enrolled
//! station keys, the station's number and room, the school, the work's date
//! and signed package; refused with the reason when anything disagrees
//! (leaving nothing on disk), idempotent on re-import; unknown codes and
//! conflicts held for the coordinator. And the completeness board per room
//! and participant.

mod bundle;

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

use crate::{scoring::Submission, Coordinator, Result};

/// What one import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportReport {
    /// SHA-256 of the bundle file.
    pub sha256: String,
    pub station: String,
    pub room: String,
    /// This exact bundle was imported before: nothing changed.
    pub already_imported: bool,
    /// Works newly added (by code).
    pub added: Vec<u32>,
    /// Works that were already there, identical.
    pub unchanged: Vec<u32>,
    /// Codes that are not on the roster: held off the form for the
    /// coordinator to assign to a roster code or discard.
    pub unknown_codes: Vec<u32>,
    /// Codes whose participant already had a different work: held for the
    /// coordinator to decide, neither is on the form until then.
    pub conflicts: Vec<u32>,
    /// Sessions not imported, with the reason (unknown package, bad code).
    pub skipped: Vec<String>,
    /// Imported, worth a look: e.g. a participant sat another variant than
    /// the seating gave (the variant sat is the one scored).
    pub warnings: Vec<String>,
}

/// A participant's state on the completeness board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WorkState {
    /// No work imported and no absence recorded.
    Missing,
    /// Absent with a recorded reason (possibly moved to a reserve day).
    Absent,
    /// Imported and finished normally.
    Complete,
    /// Imported, but the session did not finish normally.
    Interrupted,
}

/// One participant on the board (code only; the screen may join names locally).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BoardRow {
    pub code: u32,
    pub class_name: String,
    pub state: WorkState,
    /// Oral tasks without a recording file.
    pub missing_recordings: Vec<u32>,
    /// Oral tasks whose recording is silent.
    pub silent_recordings: Vec<u32>,
    pub reserve_date: Option<String>,
}

/// The board of one room (`room` is empty for participants not seated anywhere).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RoomBoard {
    pub room: String,
    pub rows: Vec<BoardRow>,
}

fn task_number(s: &str) -> Option<u32> {
    let digits: String = s
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn answer_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        serde_json::Value::Array(a) => a.iter().map(answer_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

impl Coordinator {
    /// The completeness board of a work: per room, every participant's state,
    /// missing and silent recordings, absences.
    pub fn completeness(&self, work_id: i64) -> Result<Vec<RoomBoard>> {
        let work = self.work(work_id)?;
        let oral: Vec<u32> = work
            .spec
            .tasks
            .iter()
            .filter(|t| t.oral)
            .map(|t| t.number)
            .collect();
        let subs: BTreeMap<u32, Submission> = self
            .submissions(work_id)?
            .into_iter()
            .map(|s| (s.code, s))
            .collect();
        let absences: BTreeMap<i64, crate::Absence> = self
            .absences(work_id)?
            .into_iter()
            .map(|a| (a.participant_id, a))
            .collect();
        let rooms = self.rooms()?;
        let stations = self.stations()?;
        let mut seat_room: BTreeMap<i64, String> = BTreeMap::new();
        for room in &rooms {
            for (_, ps) in self.seating(work_id, room.id)? {
                for p in ps {
                    seat_room.insert(p.id, room.name.clone());
                }
            }
        }
        let mut boards: BTreeMap<String, Vec<BoardRow>> = BTreeMap::new();
        for p in self.participants_of_work(work_id)? {
            let sub = subs.get(&p.code);
            let station_room = sub
                .and_then(|s| {
                    stations
                        .iter()
                        .find(|st| st.fingerprint == s.station_fingerprint)
                })
                .and_then(|st| rooms.iter().find(|r| r.id == st.room_id))
                .map(|r| r.name.clone());
            let room = station_room
                .or_else(|| seat_room.get(&p.id).cloned())
                .unwrap_or_default();
            let absence = absences.get(&p.id);
            let (state, missing_recordings, silent_recordings) = match (sub, absence) {
                (Some(s), _) => {
                    let recs = self.recordings(work_id, p.code)?;
                    let missing: Vec<u32> = oral
                        .iter()
                        .copied()
                        .filter(|t| !recs.iter().any(|r| r.task == *t))
                        .collect();
                    let silent: Vec<u32> =
                        recs.iter().filter(|r| r.silent).map(|r| r.task).collect();
                    let state = if s.interrupted {
                        WorkState::Interrupted
                    } else {
                        WorkState::Complete
                    };
                    (state, missing, silent)
                }
                (None, Some(_)) => (WorkState::Absent, Vec::new(), Vec::new()),
                (None, None) => (WorkState::Missing, Vec::new(), Vec::new()),
            };
            boards.entry(room).or_default().push(BoardRow {
                code: p.code,
                class_name: p.class_name.clone(),
                state,
                missing_recordings,
                silent_recordings,
                reserve_date: absence.and_then(|a| a.reserve_date.clone()),
            });
        }
        Ok(boards
            .into_iter()
            .map(|(room, rows)| RoomBoard { room, rows })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_numbers_and_answer_values() {
        assert_eq!(task_number("task3"), Some(3));
        assert_eq!(task_number("12"), Some(12));
        assert_eq!(task_number("оральное"), None);
        assert_eq!(answer_text(&serde_json::json!("B")), "B");
        assert_eq!(answer_text(&serde_json::json!(3)), "3");
        assert_eq!(answer_text(&serde_json::json!(["A", "C"])), "A,C");
    }
}
