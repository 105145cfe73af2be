//! Import of station bundles: verified against the stations' registered
//! keys, refused with the reason when foreign or tampered, idempotent on
//! re-import; and the completeness board per room and participant.

use std::{collections::BTreeMap, path::Path};

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;
use vpr_bundle::{verify_bundle_with, RecordingStatus, SessionStatus, TrustedKeys, VerifyOptions};
use vpr_integrity::PublicKey;

use crate::{
    model::now_string,
    scoring::{RecordingRef, Submission},
    Coordinator, CoordinatorError, Result,
};

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
    /// Codes that are not in the roster (imported, but worth a look).
    pub unknown_codes: Vec<u32>,
    /// Sessions not imported, with the reason (unknown package, bad code).
    pub skipped: Vec<String>,
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
    fn trusted_keys(&self) -> Result<TrustedKeys> {
        let mut keys = Vec::new();
        for s in self.stations()? {
            keys.push(
                PublicKey::from_hex(&s.public_key).map_err(|_| {
                    CoordinatorError::Corrupt("ключ станции в базе повреждён".into())
                })?,
            );
        }
        Ok(TrustedKeys::only(&keys))
    }

    fn codes_of_bundle(&self, sha: &str) -> Result<Vec<u32>> {
        let mut st = self
            .conn
            .prepare("SELECT code FROM bundle_codes WHERE bundle_sha256 = ?1 ORDER BY code")?;
        let codes = st
            .query_map([sha], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(codes)
    }

    /// Verify and import one station bundle. A bundle signed by a station
    /// that is not registered, or changed in any byte, is refused with the
    /// reason and changes nothing; the same bundle again changes nothing.
    pub fn import_bundle(&self, path: &Path) -> Result<ImportReport> {
        let (sha, _) = vpr_integrity::sha256_file(path)
            .map_err(|e| CoordinatorError::BundleRejected(e.to_string()))?;
        let sha = sha.to_hex();
        let known: Option<String> = self
            .conn
            .query_row(
                "SELECT station_fingerprint FROM bundles WHERE sha256 = ?1",
                [&sha],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(station) = known {
            let unchanged = self.codes_of_bundle(&sha)?;
            return Ok(ImportReport {
                sha256: sha,
                station,
                room: String::new(),
                already_imported: true,
                added: Vec::new(),
                unchanged,
                unknown_codes: Vec::new(),
                skipped: Vec::new(),
            });
        }
        let (rel_dir, extract) = self.layout.bundle_dir(&sha);
        std::fs::create_dir_all(&extract)?;
        // Built field by field so new verifier options keep their defaults.
        #[allow(clippy::field_reassign_with_default)]
        let options = {
            let mut o = VerifyOptions::default();
            o.extract_to = Some(extract.clone());
            o
        };
        let verified = match verify_bundle_with(path, &self.trusted_keys()?, &options) {
            Ok(v) => v,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&extract);
                return Err(CoordinatorError::BundleRejected(e.to_string()));
            }
        };
        // Keep the bundle itself: the results archive carries it byte for byte.
        std::fs::copy(path, extract.join("bundle.zip"))?;
        let m = &verified.manifest;
        let station = m.key_fingerprint.to_string();
        let works = self.works()?;
        let roster: std::collections::HashSet<u32> = {
            let mut st = self.conn.prepare("SELECT code FROM participants")?;
            let c = st
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            c
        };
        let mut report = ImportReport {
            sha256: sha.clone(),
            station: format!("станция {} ({station})", m.station.number),
            room: m.station.room.clone(),
            already_imported: false,
            added: Vec::new(),
            unchanged: Vec::new(),
            unknown_codes: Vec::new(),
            skipped: Vec::new(),
        };
        let tx = self.conn.unchecked_transaction()?;
        for file in &verified.answers {
            let Some(code) = file
                .code
                .parse::<u32>()
                .ok()
                .filter(|c| (10_000..=99_999).contains(c))
            else {
                report
                    .skipped
                    .push(format!("код «{}» не из пяти цифр", file.code));
                continue;
            };
            // Per work, the latest non-training session of this code.
            let mut latest: BTreeMap<i64, &vpr_bundle::BundleSession> = BTreeMap::new();
            for s in file
                .sessions
                .iter()
                .filter(|s| s.status != SessionStatus::Training)
            {
                let Some(work) = works
                    .iter()
                    .find(|w| !w.package_id.is_empty() && w.package_id == s.package_id)
                else {
                    report.skipped.push(format!(
                        "код {code}: пакет заданий «{}» не относится ни к одной работе",
                        s.package_id
                    ));
                    continue;
                };
                if latest
                    .get(&work.id)
                    .is_none_or(|prev| prev.started_at < s.started_at)
                {
                    latest.insert(work.id, s);
                }
            }
            for (work_id, s) in latest {
                let Ok(variant) = s.variant.trim().parse::<u32>() else {
                    report
                        .skipped
                        .push(format!("код {code}: вариант «{}» не число", s.variant));
                    continue;
                };
                let answers: BTreeMap<String, String> = s
                    .answers
                    .iter()
                    .map(|a| (a.item.clone(), answer_text(&a.value)))
                    .collect();
                let mut recordings = Vec::new();
                for r in &s.recordings {
                    let (Some(task), Some(entry), Some(hash)) =
                        (task_number(&r.task), &r.file, &r.sha256)
                    else {
                        continue;
                    };
                    if matches!(r.status, RecordingStatus::Recording) {
                        continue;
                    }
                    recordings.push(RecordingRef {
                        task,
                        path: format!("{rel_dir}/{entry}"),
                        sha256: hash.to_hex(),
                        duration_ms: r.duration_ms,
                        silent: r.level_flags.silent,
                    });
                }
                let sub = Submission {
                    work_id,
                    code,
                    variant,
                    station_fingerprint: station.clone(),
                    bundle_sha256: sha.clone(),
                    interrupted: s.status != SessionStatus::Finished,
                    answers,
                };
                if self.record_submission_in(&sub, &recordings)? {
                    report.added.push(code);
                } else {
                    report.unchanged.push(code);
                }
                tx.execute(
                    "INSERT OR IGNORE INTO bundle_codes (bundle_sha256, work_id, code) VALUES (?1, ?2, ?3)",
                    params![sha, work_id, code],
                )?;
                if !roster.contains(&code) && !report.unknown_codes.contains(&code) {
                    report.unknown_codes.push(code);
                }
            }
        }
        tx.execute(
            "INSERT INTO bundles (sha256, station_fingerprint, imported_at, stored_path) VALUES (?1, ?2, ?3, ?4)",
            params![sha, station, now_string(), rel_dir],
        )?;
        tx.commit()?;
        Ok(report)
    }

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
