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
    /// The adapted version (ОВЗ) the participant sat, as the station recorded
    /// it (the package's adaptation id); None for the standard version.
    #[serde(default)]
    pub adaptation: Option<String>,
}

/// A recording of a spoken answer kept next to the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecordingRef {
    pub task: u32,
    /// The question or prompt of an interview or «ask questions» task
    /// (1-based); 0 when the task is recorded as one answer.
    #[serde(default)]
    pub part: u32,
    /// Pieces of one answer continued after a pause or a restart: 1, 2, …
    #[serde(default = "first_segment")]
    pub segment: u32,
    /// Path relative to the coordinator's data folder.
    pub path: String,
    pub sha256: String,
    pub duration_ms: u64,
    /// The recording holds no speech (peak below the silence threshold).
    pub silent: bool,
}

fn first_segment() -> u32 {
    1
}

/// The part and segment of a station recording from its store `item`:
/// `q<part>.<segment>` for an interview's question or a prompt (part
/// 1-based), `<segment>` for a task recorded as one answer, none for
/// segment 1 of such a task. None for anything else (the caller refuses it).
pub fn recording_part(item: Option<&str>) -> Option<(u32, u32)> {
    fn number(s: &str) -> Option<u32> {
        if s.is_empty() || s.len() > 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse::<u32>().ok().filter(|n| *n > 0)
    }
    let Some(item) = item else {
        return Some((0, 1));
    };
    match item.strip_prefix('q') {
        Some(rest) => {
            let (part, segment) = rest.split_once('.')?;
            Some((number(part)?, number(segment)?))
        }
        None => Some((0, number(item)?)),
    }
}

/// What recording a submission did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Recorded {
    Added,
    Unchanged,
    /// A different work of the same participant is already there: nothing
    /// changed, the coordinator decides (the reason says why).
    Conflict(String),
}

impl Coordinator {
    /// Store a submitted work (idempotent: the same work again replaces nothing
    /// when it is identical, and is refused when it differs).
    pub fn record_submission(&self, s: &Submission, recordings: &[RecordingRef]) -> Result<bool> {
        let tx = self.conn.unchecked_transaction()?;
        let added = match self.record_submission_in(s, recordings)? {
            Recorded::Added => true,
            Recorded::Unchanged => false,
            Recorded::Conflict(reason) => return Err(CoordinatorError::BundleRejected(reason)),
        };
        tx.commit()?;
        Ok(added)
    }

    /// As [`Coordinator::record_submission`] inside the caller's transaction.
    pub(crate) fn record_submission_in(
        &self,
        s: &Submission,
        recordings: &[RecordingRef],
    ) -> Result<Recorded> {
        let work = self.work(s.work_id)?;
        let existing: Option<(bool, u32, String, Option<String>)> = self
            .conn
            .query_row(
                "SELECT interrupted, variant, answers, adaptation FROM submissions WHERE work_id = ?1 AND code = ?2",
                params![s.work_id, s.code],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let answers = serde_json::to_string(&s.answers)
            .map_err(|e| CoordinatorError::Corrupt(e.to_string()))?;
        if let Some((was_interrupted, variant, old, adaptation)) = existing {
            if variant == s.variant && old == answers && adaptation == s.adaptation {
                if was_interrupted == s.interrupted || s.interrupted {
                    return Ok(Recorded::Unchanged);
                }
                // The same answers, now from a finished session: only the state changes.
                self.conn.execute(
                    "UPDATE submissions SET interrupted = 0, station_fingerprint = ?3, bundle_sha256 = ?4
                     WHERE work_id = ?1 AND code = ?2",
                    params![s.work_id, s.code, s.station_fingerprint, s.bundle_sha256],
                )?;
                self.insert_recordings(&work, s, recordings)?;
                return Ok(Recorded::Added);
            }
            // A participant whose station failed finishes at another one: the
            // finished session wins over the interrupted one, whichever comes first.
            if !was_interrupted && s.interrupted {
                return Ok(Recorded::Unchanged);
            }
            if !was_interrupted || s.interrupted {
                return Ok(Recorded::Conflict(format!(
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
                return Ok(Recorded::Conflict(format!(
                    "прерванная работа участника {} уже оценивается экспертами; завершённую нельзя подставить сама собой",
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
            "INSERT INTO submissions (work_id, code, variant, station_fingerprint, bundle_sha256, interrupted, answers, adaptation)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![s.work_id, s.code, s.variant, s.station_fingerprint, s.bundle_sha256, s.interrupted, answers, s.adaptation],
        )?;
        self.insert_recordings(&work, s, recordings)?;
        Ok(Recorded::Added)
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
                "INSERT OR REPLACE INTO recordings (work_id, code, task, part, segment, path, sha256, duration_ms, silent)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![s.work_id, s.code, r.task, r.part, r.segment, r.path, r.sha256, r.duration_ms as i64, r.silent],
            )?;
        }
        Ok(())
    }

    pub fn submissions(&self, work_id: i64) -> Result<Vec<Submission>> {
        let mut st = self.conn.prepare(
            "SELECT work_id, code, variant, station_fingerprint, bundle_sha256, interrupted, answers, adaptation
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
                r.get::<_, Option<String>>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (
                work_id,
                code,
                variant,
                station_fingerprint,
                bundle_sha256,
                interrupted,
                answers,
                adaptation,
            ) = row?;
            out.push(Submission {
                work_id,
                code,
                variant,
                station_fingerprint,
                bundle_sha256,
                interrupted,
                answers: from_json(&answers)?,
                adaptation,
            });
        }
        Ok(out)
    }

    pub fn recordings(&self, work_id: i64, code: u32) -> Result<Vec<RecordingRef>> {
        let mut st = self.conn.prepare(
            "SELECT task, part, segment, path, sha256, duration_ms, silent FROM recordings
             WHERE work_id = ?1 AND code = ?2 ORDER BY task, part, segment",
        )?;
        let rows = st.query_map(params![work_id, code], |r| {
            Ok(RecordingRef {
                task: r.get(0)?,
                part: r.get(1)?,
                segment: r.get(2)?,
                path: r.get(3)?,
                sha256: r.get(4)?,
                duration_ms: r.get::<_, i64>(5)?.max(0) as u64,
                silent: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The files of one recorded answer (for the expert's player), by code,
    /// task and part (0 for a task recorded as one answer, else the question
    /// number), its segments in order.
    pub fn recording_paths(
        &self,
        work_id: i64,
        code: u32,
        task: u32,
        part: u32,
    ) -> Result<Vec<std::path::PathBuf>> {
        let paths: Vec<std::path::PathBuf> = self
            .recordings(work_id, code)?
            .into_iter()
            .filter(|r| r.task == task && r.part == part)
            .map(|r| self.layout.resolve(&r.path))
            .collect();
        if paths.is_empty() {
            return Err(CoordinatorError::Missing {
                what: "запись задания",
                id: i64::from(task),
            });
        }
        Ok(paths)
    }

    /// Where one segment of a recorded answer lives, by code, task, part and segment.
    pub fn recording_path(
        &self,
        work_id: i64,
        code: u32,
        task: u32,
        part: u32,
        segment: u32,
    ) -> Result<std::path::PathBuf> {
        let r = self
            .recordings(work_id, code)?
            .into_iter()
            .find(|r| r.task == task && r.part == part && r.segment == segment)
            .ok_or(CoordinatorError::Missing {
                what: "запись задания",
                id: i64::from(task),
            })?;
        Ok(self.layout.resolve(&r.path))
    }

    /// The waveform of one segment of a recorded answer for the expert's screen.
    pub fn recording_waveform(
        &self,
        work_id: i64,
        code: u32,
        task: u32,
        part: u32,
        segment: u32,
        buckets: usize,
    ) -> Result<Vec<f32>> {
        wav_peaks(
            &self.recording_path(work_id, code, task, part, segment)?,
            buckets.clamp(1, 10_000),
        )
    }
}

/// Peaks of a recording for drawing a waveform: `buckets` values in 0..=1
/// (the larger of each span's lowest and highest sample, streamed by
/// `vpr_audio::waveform`); a short file is padded with silence.
pub fn wav_peaks(path: &std::path::Path, buckets: usize) -> Result<Vec<f32>> {
    Ok(peaks(vpr_audio::waveform(path, buckets)?, buckets))
}

/// [`wav_peaks`] of a WAV held in memory (`name` names it in errors).
pub fn wav_bytes_peaks(bytes: &[u8], name: &str, buckets: usize) -> Result<Vec<f32>> {
    Ok(peaks(
        vpr_audio::waveform_of_bytes(bytes, name, buckets)?,
        buckets,
    ))
}

fn peaks(w: Vec<vpr_audio::WaveformBucket>, buckets: usize) -> Vec<f32> {
    let mut out: Vec<f32> = w
        .into_iter()
        .map(|b| b.min.abs().max(b.max.abs()).clamp(0.0, 1.0))
        .collect();
    out.resize(buckets, 0.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waveform_of_a_real_wav_and_bad_files_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.wav");
        for bytes in [&b""[..], b"RIFF", b"RIFF\0\0\0\0WAVEfmt \xff\xff\xff\xff"] {
            std::fs::write(&p, bytes).unwrap();
            assert!(wav_peaks(&p, 10).is_err(), "{bytes:?}");
        }
        // Half a second at 22,050 Hz: a half-scale first half, then silence.
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 22_050,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&p, spec).unwrap();
        for i in 0..11_025 {
            let s: i16 = if i < 5_512 {
                if i % 2 == 0 {
                    16_384
                } else {
                    -16_384
                }
            } else {
                0
            };
            w.write_sample(s).unwrap();
        }
        w.finalize().unwrap();
        let peaks = wav_peaks(&p, 2).unwrap();
        assert_eq!(peaks.len(), 2);
        assert!((peaks[0] - 0.5).abs() < 0.01, "{peaks:?}");
        assert!(peaks[1] < 0.01, "{peaks:?}");
        assert_eq!(wav_peaks(&p, 20_000).unwrap().len(), 20_000, "padded");
    }
}
