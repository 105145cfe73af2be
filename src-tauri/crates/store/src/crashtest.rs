//! Crash harness shared by the CI test (`tests/crash.rs`) and
//! `vpr bench crash`: a child process runs a scripted session (answers plus
//! a recording being written, flushed every second as the recorder does)
//! and reports on stdout what has returned; the parent SIGKILLs it at a
//! random moment, reopens the database and checks that
//! `PRAGMA integrity_check` passes, every acknowledged answer is present,
//! the chain verifies, and the interrupted WAV repairs to at most 1 s short
//! of what was written.

use std::{
    fs,
    io::{BufRead, BufReader, Write},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::json;

use crate::{
    exam_path, NewRecording, NewSession, RecordingStatus, RecordingUpdate, Store, StoreError,
};

/// Sample rate of the harness recording (the station's format).
pub const RATE: u32 = 22_050;
const CHUNK: u32 = RATE / 20; // 50 ms
const CHUNKS: u32 = 100; // 5 s of audio per run
/// Audio is produced 33× faster than real time, so a run lasts about 150 ms.
const CHUNK_WALL: Duration = Duration::from_micros(1_500);

/// Tiny deterministic PRNG (xorshift64*), so runs are reproducible by seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }
}

fn say(out: &mut impl Write, line: std::fmt::Arguments<'_>) -> std::io::Result<()> {
    writeln!(out, "VPR {line}")?;
    out.flush()
}

/// The child: one scripted session in `dir` (run number `run`). Returns when
/// the script completes (it is usually killed first).
pub fn run_child(dir: &Path, run: u64) -> Result<(), Box<dyn std::error::Error>> {
    let mut out = std::io::stdout().lock();
    let store = Store::open(&exam_path(dir))?;
    let session = store.start_session(&NewSession::new(
        &format!("{:05}", run % 100_000),
        "crash",
        "1",
    ))?;
    let file = format!("recordings/run{run}/task3.wav");
    let path = dir.join(&file);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let rec = store.start_recording(&NewRecording {
        session_id: session.id,
        task: "task3".into(),
        item: None,
        file: file.clone(),
    })?;
    say(&mut out, format_args!("R {} {}", rec.id, file))?;
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut wav = hound::WavWriter::create(&path, spec)?;
    let mut written = 0u32;
    let t0 = Instant::now();
    for chunk in 0..CHUNKS {
        if let Some(wait) = (CHUNK_WALL * chunk).checked_sub(t0.elapsed()) {
            std::thread::sleep(wait);
        }
        for i in 0..CHUNK {
            let t = f64::from(written + i) / f64::from(RATE);
            wav.write_sample((8000.0 * (t * 440.0 * std::f64::consts::TAU).sin()) as i16)?;
        }
        written += CHUNK;
        say(&mut out, format_args!("W {written}"))?;
        if (chunk + 1) % 20 == 0 {
            // Once per second of audio: header and data to the OS, as the recorder does.
            wav.flush()?;
            say(&mut out, format_args!("F {written}"))?;
        }
        if chunk % 4 == 0 {
            let item = format!("q{}", chunk % 7);
            let value = format!("r{run}-c{chunk}");
            let saved = store.save_answer(session.id, "task4", &item, &json!(value))?;
            say(
                &mut out,
                format_args!("A {} {} {} {}", saved.seq, session.id, item, value),
            )?;
        }
    }
    wav.finalize()?;
    let (sha, _) = vpr_integrity::sha256_file(&path)?;
    store.update_recording(
        rec.id,
        &RecordingUpdate {
            status: RecordingStatus::Complete,
            sha256: Some(sha),
            duration_ms: u64::from(written) * 1000 / u64::from(RATE),
            level_flags: Default::default(),
        },
    )?;
    say(&mut out, format_args!("C {}", rec.id))?;
    Ok(())
}

/// What the parent saw over all kills.
#[derive(Debug, Default, Clone)]
pub struct CrashReport {
    pub kills: u32,
    /// Children that finished their script before the kill.
    pub completed: u32,
    pub answers_acknowledged: u64,
    pub recordings_repaired: u32,
    /// Worst audio lost by a kill (written but not on disk after repair), ms.
    pub max_audio_loss_ms: u64,
    pub journal_records: u64,
    pub elapsed: Duration,
    /// Everything that went wrong; empty on success.
    pub failures: Vec<String>,
}

/// How the parent repairs an interrupted WAV: returns the frames kept.
/// The station uses `vpr_audio::repair`; so do the CI test and the bench.
/// A broken promise found after a kill: what was acknowledged but is not there.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Violation(pub String);

impl From<String> for Violation {
    fn from(s: String) -> Self {
        Self(s)
    }
}

/// The station's start-up repair of an unfinished WAV (frames kept).
pub type Repair<'a> = &'a dyn Fn(&Path) -> Result<u64, Violation>;

#[derive(Default)]
struct ChildLog {
    recording: Option<(i64, String)>,
    written: u64,
    flushed: u64,
    completed: bool,
    answers: Vec<(u64, i64, String, String)>,
}

fn parse_log(lines: &[String]) -> ChildLog {
    let mut log = ChildLog::default();
    for line in lines {
        // libtest may print "test crash_child ... " on the same line.
        let Some(at) = line.find("VPR ") else {
            continue;
        };
        let rest = &line[at + 4..];
        let parts: Vec<&str> = rest.split(' ').collect();
        match parts.as_slice() {
            ["R", id, file] => {
                if let Ok(id) = id.parse() {
                    log.recording = Some((id, (*file).to_string()));
                }
            }
            ["W", n] => log.written = n.parse().unwrap_or(log.written),
            ["F", n] => log.flushed = n.parse().unwrap_or(log.flushed),
            ["C", _] => log.completed = true,
            ["A", seq, session, item, value] => {
                if let (Ok(seq), Ok(session)) = (seq.parse(), session.parse()) {
                    log.answers
                        .push((seq, session, (*item).to_string(), (*value).to_string()));
                }
            }
            _ => {}
        }
    }
    log
}

/// The parent: `kills` rounds of spawn, random wait, SIGKILL, check. `spawn`
/// builds the child command for (data dir, run number); the child must call
/// [`run_child`].
pub fn run_parent(
    dir: &Path,
    kills: u32,
    seed: u64,
    spawn: impl Fn(&Path, u64) -> Command,
    repair: Repair<'_>,
) -> CrashReport {
    let started = Instant::now();
    let mut rng = Rng::new(seed);
    let mut report = CrashReport::default();
    for run in 0..u64::from(kills) {
        let mut cmd = spawn(dir, run);
        cmd.stdout(Stdio::piped())
            .stderr(Stdio::null())
            .stdin(Stdio::null());
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => {
                report.failures.push(format!("запуск {run}: {e}"));
                break;
            }
        };
        let Some(stdout) = child.stdout.take() else {
            report.failures.push(format!("запуск {run}: нет stdout"));
            break;
        };
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(|l| l.ok())
                .collect::<Vec<String>>()
        });
        std::thread::sleep(Duration::from_micros(rng.range(5_000, 160_000)));
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let lines = reader.join().unwrap_or_default();
        report.kills += 1;
        if let Err(e) = check_after_kill(dir, &parse_log(&lines), repair, &mut report) {
            report.failures.push(format!("убийство {run}: {e}"));
            if report.failures.len() > 10 {
                break;
            }
        }
    }
    report.elapsed = started.elapsed();
    report
}

fn check_after_kill(
    dir: &Path,
    log: &ChildLog,
    repair: Repair<'_>,
    report: &mut CrashReport,
) -> Result<(), Violation> {
    let store = Store::open(&exam_path(dir)).map_err(|e| format!("открытие: {e}"))?;
    store
        .integrity_check()
        .map_err(|e| format!("integrity_check: {e}"))?;
    let head = store.verify().map_err(|e| format!("цепочка: {e}"))?;
    report.journal_records = head.seq;
    report.completed += u32::from(log.completed);
    for (seq, session, item, value) in &log.answers {
        let history = store
            .answer_history(*session)
            .map_err(|e| Violation(e.to_string()))?;
        let found = history.iter().find(|a| a.seq == *seq);
        match found {
            Some(a) if a.item == *item && a.value == json!(value) => {}
            _ => {
                return Err(Violation(format!(
                    "подтверждённый ответ № {seq} ({value}) потерян"
                )))
            }
        }
        report.answers_acknowledged += 1;
    }
    let Some((rec_id, file)) = &log.recording else {
        return Ok(());
    };
    let rec = store
        .recording(*rec_id)
        .map_err(|e| format!("запись {rec_id}: {e}"))?;
    if rec.status != RecordingStatus::Recording {
        return Ok(());
    }
    let path: PathBuf = dir.join(file);
    let kept = if path.exists() {
        let frames = repair(&path).map_err(|e| format!("восстановление {file}: {e}"))?;
        let r = hound::WavReader::open(&path)
            .map_err(|e| format!("{file} не читается после восстановления: {e}"))?;
        let on_disk = u64::from(r.duration());
        if on_disk != frames {
            return Err(Violation(format!(
                "{file}: восстановлено {frames} отсчётов, в заголовке {on_disk}"
            )));
        }
        on_disk
    } else {
        0
    };
    if kept < log.flushed {
        return Err(Violation(format!(
            "{file}: после восстановления {kept} отсчётов, сброшено было {}",
            log.flushed
        )));
    }
    let lost = log.written.saturating_sub(kept);
    if lost > u64::from(RATE) {
        return Err(Violation(format!(
            "{file}: потеряно {lost} отсчётов (больше 1 с)"
        )));
    }
    report.max_audio_loss_ms = report.max_audio_loss_ms.max(lost * 1000 / u64::from(RATE));
    let sha = if path.exists() {
        Some(
            vpr_integrity::sha256_file(&path)
                .map_err(|e| Violation(e.to_string()))?
                .0,
        )
    } else {
        None
    };
    store
        .update_recording(
            *rec_id,
            &RecordingUpdate {
                status: RecordingStatus::Repaired,
                sha256: sha,
                duration_ms: kept * 1000 / u64::from(RATE),
                level_flags: Default::default(),
            },
        )
        .map_err(|e: StoreError| Violation(e.to_string()))?;
    report.recordings_repaired += 1;
    Ok(())
}
