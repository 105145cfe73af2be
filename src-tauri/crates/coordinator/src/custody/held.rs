//! Table `held_sessions`: imported sessions kept off the form until the
//! coordinator decides — a code that is not on the roster (assign it to a
//! roster code or discard it), or a second, different work of a
//! participant (keep the one already imported or take the new one; both
//! are shown). Never "first wins", never silently on the form.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    model::{from_json, json},
    scoring::{Recorded, RecordingRef, Submission},
    Coordinator, CoordinatorError, Result,
};

/// Why a session is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HeldKind {
    /// The code is not on the roster.
    UnknownCode,
    /// The participant already has a different imported work.
    Conflict,
}

impl HeldKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::UnknownCode => "unknown_code",
            Self::Conflict => "conflict",
        }
    }
}

/// One side of a decision: where and when a work came from and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct HeldSide {
    /// «станция 2, аудитория 21 (отпечаток …)».
    pub station: String,
    pub bundle_sha256: String,
    /// When the session started (RFC 3339).
    pub started_at: String,
    pub variant: u32,
    pub answers: u32,
    pub recordings: u32,
    pub interrupted: bool,
    /// The receipt recomputed from the bundle (`ABCD-EFGH`).
    pub receipt: Option<String>,
}

/// A held session, with the work already imported for a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct HeldSession {
    pub id: i64,
    pub kind: HeldKind,
    pub work_id: i64,
    pub code: u32,
    pub reason: String,
    pub held: HeldSide,
    pub existing: Option<HeldSide>,
}

/// The coordinator's decision on a held session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Resolution {
    /// Drop the held session (nothing goes on the form from it).
    Discard,
    /// An unknown code was a slip: the work is this roster code's.
    AssignCode { code: u32 },
    /// A conflict: the work already imported stays.
    KeepExisting,
    /// A conflict: the held work replaces the one imported (its scores go).
    TakeHeld,
}

/// A session to hold, as import found it.
pub(crate) struct ToHold<'a> {
    pub submission: &'a Submission,
    pub recordings: &'a [RecordingRef],
    pub started_at: &'a str,
    pub station: &'a str,
    pub receipt: Option<&'a str>,
}

impl Coordinator {
    /// Hold a session (inside the caller's transaction); the same one again
    /// is held once.
    pub(crate) fn hold_session(&self, kind: HeldKind, h: &ToHold<'_>) -> Result<()> {
        let s = h.submission;
        self.conn.execute(
            "INSERT OR IGNORE INTO held_sessions
               (kind, work_id, code, bundle_sha256, station, started_at, submission, recordings, receipt)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                kind.as_str(),
                s.work_id,
                s.code,
                s.bundle_sha256,
                h.station,
                h.started_at,
                json(s)?,
                json(&h.recordings)?,
                h.receipt
            ],
        )?;
        Ok(())
    }

    /// Held sessions of a work, oldest first.
    pub fn held_sessions(&self, work_id: i64) -> Result<Vec<HeldSession>> {
        let ids: Vec<i64> = {
            let mut st = self
                .conn
                .prepare("SELECT id FROM held_sessions WHERE work_id = ?1 ORDER BY id")?;
            let ids = st
                .query_map([work_id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            ids
        };
        ids.into_iter().map(|id| self.held_session(id)).collect()
    }

    fn held_row(&self, id: i64) -> Result<(String, Submission, Vec<RecordingRef>, HeldSide)> {
        let row: Option<(String, String, String, String, String, Option<String>)> = self
            .conn
            .query_row(
                "SELECT kind, station, started_at, submission, recordings, receipt
                 FROM held_sessions WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                },
            )
            .optional()?;
        let (kind, station, started_at, sub, recs, receipt) =
            row.ok_or(CoordinatorError::Missing {
                what: "отложенная работа",
                id,
            })?;
        let sub: Submission = from_json(&sub)?;
        let recs: Vec<RecordingRef> = from_json(&recs)?;
        let side = HeldSide {
            station,
            bundle_sha256: sub.bundle_sha256.clone(),
            started_at,
            variant: sub.variant,
            answers: u32::try_from(sub.answers.len()).unwrap_or(u32::MAX),
            recordings: u32::try_from(recs.len()).unwrap_or(u32::MAX),
            interrupted: sub.interrupted,
            receipt: receipt.as_deref().map(vpr_integrity::display_receipt),
        };
        Ok((kind, sub, recs, side))
    }

    fn held_session(&self, id: i64) -> Result<HeldSession> {
        let (kind, sub, _, held) = self.held_row(id)?;
        let kind = if kind == "conflict" {
            HeldKind::Conflict
        } else {
            HeldKind::UnknownCode
        };
        let (existing, reason) = match kind {
            HeldKind::Conflict => (
                self.existing_side(sub.work_id, sub.code)?,
                format!(
                    "код {}: вторая, другая работа того же участника — выберите, какая идёт в форму",
                    sub.code
                ),
            ),
            HeldKind::UnknownCode => (
                None,
                format!(
                    "код {} не из списка участников — назначьте код из списка или отбросьте работу",
                    sub.code
                ),
            ),
        };
        Ok(HeldSession {
            id,
            kind,
            work_id: sub.work_id,
            code: sub.code,
            reason,
            held,
            existing,
        })
    }

    fn existing_side(&self, work_id: i64, code: u32) -> Result<Option<HeldSide>> {
        let Some(s) = self
            .submissions(work_id)?
            .into_iter()
            .find(|s| s.code == code)
        else {
            return Ok(None);
        };
        let started_at: String = self.conn.query_row(
            "SELECT started_at FROM submissions WHERE work_id = ?1 AND code = ?2",
            params![work_id, code],
            |r| r.get(0),
        )?;
        let receipt = self.receipt(work_id, code)?.computed;
        Ok(Some(HeldSide {
            station: self.station_label(&s.station_fingerprint)?,
            bundle_sha256: s.bundle_sha256.clone(),
            started_at,
            variant: s.variant,
            answers: u32::try_from(s.answers.len()).unwrap_or(u32::MAX),
            recordings: u32::try_from(self.recordings(work_id, code)?.len()).unwrap_or(u32::MAX),
            interrupted: s.interrupted,
            receipt,
        }))
    }

    /// «станция 2, аудитория 21 (отпечаток)» for an enrolled key.
    pub(crate) fn station_label(&self, fingerprint: &str) -> Result<String> {
        Ok(self
            .stations()?
            .into_iter()
            .find(|s| s.fingerprint == fingerprint)
            .map_or_else(
                || format!("станция с ключом {fingerprint}"),
                |s| {
                    format!(
                        "станция {}, аудитория «{}» ({fingerprint})",
                        s.number, s.station_room
                    )
                },
            ))
    }

    /// Record a work from an import or a decision, keeping its receipt and
    /// start time; a different work already there holds this one as a conflict.
    pub(crate) fn record_or_hold(&self, h: &ToHold<'_>) -> Result<Recorded> {
        let outcome = self.record_submission_in(h.submission, h.recordings)?;
        match &outcome {
            Recorded::Added => {
                let s = h.submission;
                self.set_computed_receipt(s.work_id, s.code, h.receipt)?;
                self.conn.execute(
                    "UPDATE submissions SET started_at = ?3 WHERE work_id = ?1 AND code = ?2",
                    params![s.work_id, s.code, h.started_at],
                )?;
            }
            Recorded::Unchanged => {}
            Recorded::Conflict(_) => self.hold_session(HeldKind::Conflict, h)?,
        }
        Ok(outcome)
    }

    /// Carry out the coordinator's decision on a held session.
    pub fn resolve_held(&self, id: i64, resolution: &Resolution) -> Result<()> {
        let (kind, mut sub, recs, side) = self.held_row(id)?;
        let receipt = side
            .receipt
            .as_deref()
            .and_then(vpr_integrity::normalize_receipt);
        let tx = self.conn.unchecked_transaction()?;
        match (kind.as_str(), resolution) {
            (_, Resolution::Discard) | ("conflict", Resolution::KeepExisting) => {}
            ("unknown_code", Resolution::AssignCode { code }) => {
                let on_roster: bool = self.conn.query_row(
                    "SELECT EXISTS (SELECT 1 FROM participants WHERE code = ?1)",
                    [code],
                    |r| r.get(0),
                )?;
                if !on_roster {
                    return Err(CoordinatorError::Invalid(format!(
                        "кода {code} нет в списке участников"
                    )));
                }
                sub.code = *code;
                self.record_or_hold(&ToHold {
                    submission: &sub,
                    recordings: &recs,
                    started_at: &side.started_at,
                    station: &side.station,
                    receipt: receipt.as_deref(),
                })?;
            }
            ("conflict", Resolution::TakeHeld) => {
                for table in [
                    "submissions",
                    "recordings",
                    "auto_scores",
                    "assignments",
                    "expert_scores",
                ] {
                    self.conn.execute(
                        &format!("DELETE FROM {table} WHERE work_id = ?1 AND code = ?2"),
                        params![sub.work_id, sub.code],
                    )?;
                }
                self.conn.execute(
                    "UPDATE receipts SET computed = NULL WHERE work_id = ?1 AND code = ?2",
                    params![sub.work_id, sub.code],
                )?;
                let outcome = self.record_or_hold(&ToHold {
                    submission: &sub,
                    recordings: &recs,
                    started_at: &side.started_at,
                    station: &side.station,
                    receipt: receipt.as_deref(),
                })?;
                if outcome != Recorded::Added {
                    return Err(CoordinatorError::Corrupt(
                        "отложенная работа не записалась".into(),
                    ));
                }
            }
            _ => {
                return Err(CoordinatorError::Invalid(
                    "такое решение к этой отложенной работе не относится".into(),
                ))
            }
        }
        self.conn
            .execute("DELETE FROM held_sessions WHERE id = ?1", [id])?;
        tx.commit()?;
        tracing::info!(held = id, ?resolution, "held session resolved");
        Ok(())
    }

    /// The form's problems from held sessions.
    pub(crate) fn held_problems(&self, work_id: i64) -> Result<Vec<String>> {
        Ok(self
            .held_sessions(work_id)?
            .into_iter()
            .map(|h| h.reason)
            .collect())
    }
}
