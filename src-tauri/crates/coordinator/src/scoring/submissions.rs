//! Tables `submissions` and `recordings`: works as they arrived from the
//! stations (by code only) and the spoken answers kept beside the database.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{model::from_json, Coordinator, CoordinatorError, Result};

/// One participant's work as it arrived from a station (by code, never by name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Submission {
    pub work_id: i64,
    pub code: u32,
    pub variant: u32,
    pub station_fingerprint: String,
    pub bundle_sha256: String,
    /// The session ended before the work was finished.
    pub interrupted: bool,
    /// Closed item id → the participant's answer.
    pub answers: BTreeMap<String, String>,
}

/// A recording of a spoken answer kept next to the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecordingRef {
    pub task: u32,
    /// Path relative to the coordinator's data folder.
    pub path: String,
    pub sha256: String,
    pub duration_ms: u64,
    /// The recording holds no speech (peak below the silence threshold).
    pub silent: bool,
}

impl Coordinator {
    /// Store a submitted work (idempotent: the same work again replaces nothing
    /// when it is identical, and is refused when it differs).
    pub fn record_submission(&self, s: &Submission, recordings: &[RecordingRef]) -> Result<bool> {
        let tx = self.conn.unchecked_transaction()?;
        let added = self.record_submission_in(s, recordings)?;
        tx.commit()?;
        Ok(added)
    }

    /// As [`Coordinator::record_submission`] inside the caller's transaction.
    pub(crate) fn record_submission_in(
        &self,
        s: &Submission,
        recordings: &[RecordingRef],
    ) -> Result<bool> {
        let work = self.work(s.work_id)?;
        let existing: Option<(bool, u32, String)> = self
            .conn
            .query_row(
                "SELECT interrupted, variant, answers FROM submissions WHERE work_id = ?1 AND code = ?2",
                params![s.work_id, s.code],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let answers = serde_json::to_string(&s.answers)
            .map_err(|e| CoordinatorError::Corrupt(e.to_string()))?;
        if let Some((was_interrupted, variant, old)) = existing {
            if variant == s.variant && old == answers {
                if was_interrupted == s.interrupted || s.interrupted {
                    return Ok(false);
                }
                // The same answers, now from a finished session: only the state changes.
                self.conn.execute(
                    "UPDATE submissions SET interrupted = 0, station_fingerprint = ?3, bundle_sha256 = ?4
                     WHERE work_id = ?1 AND code = ?2",
                    params![s.work_id, s.code, s.station_fingerprint, s.bundle_sha256],
                )?;
                self.insert_recordings(&work, s, recordings)?;
                return Ok(true);
            }
            // A participant whose station failed finishes at another one: the
            // finished session wins over the interrupted one, whichever comes first.
            if !was_interrupted && s.interrupted {
                return Ok(false);
            }
            if !was_interrupted || s.interrupted {
                return Err(CoordinatorError::BundleRejected(format!(
                    "работа участника {} уже импортирована с другими ответами",
                    s.code
                )));
            }
            let scored: i64 = self.conn.query_row(
                "SELECT COUNT(*) FROM expert_scores WHERE work_id = ?1 AND code = ?2",
                params![s.work_id, s.code],
                |r| r.get(0),
            )?;
            if scored > 0 {
                return Err(CoordinatorError::BundleRejected(format!(
                    "прерванная работа участника {} уже оценивается экспертами; завершённую нельзя подставить",
                    s.code
                )));
            }
            for table in ["submissions", "recordings", "auto_scores", "assignments"] {
                self.conn.execute(
                    &format!("DELETE FROM {table} WHERE work_id = ?1 AND code = ?2"),
                    params![s.work_id, s.code],
                )?;
            }
        }
        let tx = &self.conn;
        tx.execute(
            "INSERT INTO submissions (work_id, code, variant, station_fingerprint, bundle_sha256, interrupted, answers)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![s.work_id, s.code, s.variant, s.station_fingerprint, s.bundle_sha256, s.interrupted, answers],
        )?;
        self.insert_recordings(&work, s, recordings)?;
        Ok(true)
    }

    fn insert_recordings(
        &self,
        work: &crate::Work,
        s: &Submission,
        recordings: &[RecordingRef],
    ) -> Result<()> {
        let tx = &self.conn;
        for r in recordings {
            if work.spec.task(r.task).is_none() {
                return Err(CoordinatorError::BundleRejected(format!(
                    "запись к несуществующему заданию {}",
                    r.task
                )));
            }
            tx.execute(
                "INSERT OR REPLACE INTO recordings (work_id, code, task, path, sha256, duration_ms, silent)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![s.work_id, s.code, r.task, r.path, r.sha256, r.duration_ms as i64, r.silent],
            )?;
        }
        Ok(())
    }

    pub fn submissions(&self, work_id: i64) -> Result<Vec<Submission>> {
        let mut st = self.conn.prepare(
            "SELECT work_id, code, variant, station_fingerprint, bundle_sha256, interrupted, answers
             FROM submissions WHERE work_id = ?1 ORDER BY code",
        )?;
        let rows = st.query_map([work_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, bool>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (work_id, code, variant, station_fingerprint, bundle_sha256, interrupted, answers) =
                row?;
            out.push(Submission {
                work_id,
                code,
                variant,
                station_fingerprint,
                bundle_sha256,
                interrupted,
                answers: from_json(&answers)?,
            });
        }
        Ok(out)
    }

    pub fn recordings(&self, work_id: i64, code: u32) -> Result<Vec<RecordingRef>> {
        let mut st = self.conn.prepare(
            "SELECT task, path, sha256, duration_ms, silent FROM recordings WHERE work_id = ?1 AND code = ?2 ORDER BY task",
        )?;
        let rows = st.query_map(params![work_id, code], |r| {
            Ok(RecordingRef {
                task: r.get(0)?,
                path: r.get(1)?,
                sha256: r.get(2)?,
                duration_ms: r.get::<_, i64>(3)?.max(0) as u64,
                silent: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Where a recording lives (for the expert's player), by code and task.
    pub fn recording_path(&self, work_id: i64, code: u32, task: u32) -> Result<std::path::PathBuf> {
        let r = self
            .recordings(work_id, code)?
            .into_iter()
            .find(|r| r.task == task)
            .ok_or(CoordinatorError::Missing {
                what: "запись задания",
                id: i64::from(task),
            })?;
        Ok(self.dir.join(r.path))
    }

    /// The waveform of a recording for the expert's screen.
    pub fn recording_waveform(
        &self,
        work_id: i64,
        code: u32,
        task: u32,
        buckets: usize,
    ) -> Result<Vec<f32>> {
        wav_peaks(
            &self.recording_path(work_id, code, task)?,
            buckets.clamp(1, 10_000),
        )
    }
}

/// Peaks of a 16-bit PCM WAV for drawing a waveform: `buckets` values in 0..=1.
pub fn wav_peaks(path: &std::path::Path, buckets: usize) -> Result<Vec<f32>> {
    let bytes = std::fs::read(path)?;
    let bad = || CoordinatorError::Invalid("запись не в формате WAV (PCM 16 бит)".into());
    if bytes.len() < 12 || &bytes[..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Err(bad());
    }
    let (mut pos, mut bits, mut channels, mut data) = (12usize, 0u16, 1u16, None);
    while pos + 8 <= bytes.len() {
        let id = &bytes[pos..pos + 4];
        let len = u32::from_le_bytes([
            bytes[pos + 4],
            bytes[pos + 5],
            bytes[pos + 6],
            bytes[pos + 7],
        ]) as usize;
        let body = pos + 8;
        let end = body.saturating_add(len).min(bytes.len());
        if id == b"fmt " && end >= body + 16 {
            channels = u16::from_le_bytes([bytes[body + 2], bytes[body + 3]]).max(1);
            bits = u16::from_le_bytes([bytes[body + 14], bytes[body + 15]]);
        } else if id == b"data" {
            data = Some(&bytes[body..end]);
        }
        pos = body.saturating_add(len + (len & 1));
    }
    let data = data.ok_or_else(bad)?;
    if bits != 16 || buckets == 0 {
        return Err(bad());
    }
    let frame = 2 * usize::from(channels);
    let frames = data.len() / frame;
    let per = frames.div_ceil(buckets).max(1);
    let mut out = Vec::with_capacity(buckets);
    for chunk in data[..frames * frame].chunks(per * frame) {
        let peak = chunk
            .chunks_exact(2)
            .map(|s| i16::from_le_bytes([s[0], s[1]]).unsigned_abs())
            .max()
            .unwrap_or(0);
        out.push(f32::from(peak) / 32768.0);
    }
    out.resize(buckets, 0.0);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waveform_of_bad_files_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.wav");
        for bytes in [
            &b""[..],
            b"RIFF",
            b"RIFF\0\0\0\0WAVEfmt \xff\xff\xff\xff",
            b"RIFF\0\0\0\0WAVEdata\x10\0\0\0\x01",
        ] {
            std::fs::write(&p, bytes).unwrap();
            assert!(wav_peaks(&p, 10).is_err(), "{bytes:?}");
        }
        // A valid 16-bit mono file with a truncated data chunk still draws.
        let mut w = b"RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0\x22\x56\0\0\x44\xac\0\0\x02\0\x10\0data\xff\xff\0\0".to_vec();
        w.extend_from_slice(&[0, 0x40, 0, 0xc0, 0, 0, 0, 0]);
        std::fs::write(&p, &w).unwrap();
        let peaks = wav_peaks(&p, 2).unwrap();
        assert_eq!(peaks, vec![0.5, 0.0]);
    }
}
