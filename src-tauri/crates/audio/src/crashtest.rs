//! Kill a recording at a random moment and measure the audio lost, on the real audio stack
//! (issue 15: ≤ 0.5 s at risk on a kill and on a power cut).
//!
//! - [`SpeechFeed`] plays a speech file into a sink (the fake microphone `vmic` of
//!   `tests/support/pulse-up.sh`) in a loop, so real speech is entering the microphone the whole
//!   time;
//! - [`run_child`] records from the default input with the real [`Recording`] until it is
//!   killed, printing its [`crate::Progress`] counters on stdout as they change;
//! - [`kill_once`] starts such a child, SIGKILLs it a given time after the first captured
//!   frame entered the device, repairs the WAV as the station does at start-up, and returns a
//!   [`KillSample`]: sound heard before the kill minus the duration on disk (a kill: the page
//!   cache survives) and minus the duration last reported synced (a power cut).
//!
//! "Heard" starts at the recorder's own estimate of when its first frame entered the device
//! (the latest moment consistent with every callback: the true moment is earlier by at most the
//! server's shortest delivery, a few ms on the null sink), and ends at the kill.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, SystemTime};

use crate::error::{AudioError, Result};
use crate::{read_mono, repair, RecordOptions, Recording, RECORD_RATE};

/// How often the child looks at its counters.
const CHILD_POLL: Duration = Duration::from_millis(2);
/// How long the parent waits for the child's first captured frame.
const START_TIMEOUT: Duration = Duration::from_secs(15);

fn probe_error(what: impl Into<String>) -> AudioError {
    AudioError::CrashProbe(what.into())
}

/// A speech file played into a sink over and over (through `paplay`) until dropped.
pub struct SpeechFeed {
    stop: Arc<AtomicBool>,
    current: Arc<Mutex<Option<Child>>>,
    thread: Option<JoinHandle<()>>,
}

impl SpeechFeed {
    /// Start playing `file` into `sink` (e.g. `vmic`) in a loop.
    pub fn start(file: &Path, sink: &str) -> Result<SpeechFeed> {
        if !file.is_file() {
            return Err(probe_error(format!("нет файла речи {}", file.display())));
        }
        let stop = Arc::new(AtomicBool::new(false));
        let current: Arc<Mutex<Option<Child>>> = Arc::new(Mutex::new(None));
        let (file, sink) = (file.to_path_buf(), sink.to_owned());
        let (t_stop, t_current) = (stop.clone(), current.clone());
        let thread = thread::Builder::new()
            .name("vpr-speech-feed".into())
            .spawn(move || {
                while !t_stop.load(Ordering::Acquire) {
                    let child = Command::new("paplay")
                        .args(["-d", &sink])
                        .arg(&file)
                        .stdin(Stdio::null())
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .spawn();
                    let Ok(child) = child else {
                        tracing::warn!("paplay не запускается: подача речи остановлена");
                        return;
                    };
                    *t_current.lock().unwrap_or_else(|e| e.into_inner()) = Some(child);
                    loop {
                        let mut slot = t_current.lock().unwrap_or_else(|e| e.into_inner());
                        match slot.as_mut().map(Child::try_wait) {
                            Some(Ok(None)) => {}
                            _ => break,
                        }
                        drop(slot);
                        thread::sleep(Duration::from_millis(20));
                    }
                }
            })?;
        Ok(SpeechFeed {
            stop,
            current,
            thread: Some(thread),
        })
    }
}

impl Drop for SpeechFeed {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(child) = self
            .current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_mut()
        {
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The child's side: record `path` from the default input until killed, printing
/// `origin <unix ns>`, `written <frames>` and `synced <frames>` lines on stdout as they change.
/// Returns only if the recording ends by itself (device lost: an error).
pub fn run_child(path: &Path) -> Result<()> {
    let rec = Recording::start(RecordOptions::new(path))?;
    let mut out = std::io::stdout().lock();
    let (mut origin, mut written, mut synced) = (None, 0, 0);
    loop {
        let p = rec.progress();
        if p.origin != origin {
            origin = p.origin;
            if let Some(ns) = origin
                .and_then(|o| o.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map(|d| d.as_nanos())
            {
                writeln!(out, "origin {ns}")?;
            }
        }
        if p.written != written {
            written = p.written;
            writeln!(out, "written {written}")?;
        }
        if p.synced != synced {
            synced = p.synced;
            writeln!(out, "synced {synced}")?;
        }
        out.flush()?;
        if rec.is_finished() {
            rec.wait()?;
            return Err(probe_error("запись закончилась сама, до убийства"));
        }
        thread::sleep(CHILD_POLL);
    }
}

/// One kill, measured.
#[derive(Debug, Clone, PartialEq)]
pub struct KillSample {
    /// Sound that had entered the microphone between the recording's first frame and the kill.
    pub heard: Duration,
    /// What the repaired file holds.
    pub on_disk: Duration,
    /// What the child last reported as covered by a completed `sync_data`.
    pub synced: Duration,
    /// RMS of the repaired recording, dBFS (speech, not silence).
    pub rms_dbfs: f32,
}

impl KillSample {
    /// Audio lost to a kill, ms (negative: the estimate of the start was late by that much).
    pub fn lost_on_kill_ms(&self) -> f64 {
        (self.heard.as_secs_f64() - self.on_disk.as_secs_f64()) * 1000.0
    }

    /// Audio a power cut at the same moment would have lost, ms.
    pub fn lost_on_power_cut_ms(&self) -> f64 {
        (self.heard.as_secs_f64() - self.synced.as_secs_f64()) * 1000.0
    }
}

enum Line {
    Origin(SystemTime),
    Synced(u64),
    Other,
}

fn parse(line: &str) -> Line {
    let mut it = line.split_whitespace();
    match (it.next(), it.next().and_then(|v| v.parse::<u64>().ok())) {
        (Some("origin"), Some(ns)) => {
            Line::Origin(SystemTime::UNIX_EPOCH + Duration::from_nanos(ns))
        }
        (Some("synced"), Some(n)) => Line::Synced(n),
        _ => Line::Other,
    }
}

fn frames(n: u64) -> Duration {
    Duration::from_secs_f64(n as f64 / f64::from(RECORD_RATE))
}

/// Start `child` (a command that ends in [`run_child`] writing `wav`), SIGKILL it `after` the
/// first captured frame entered the device, repair `wav` and measure.
pub fn kill_once(mut child: Command, wav: &Path, after: Duration) -> Result<KillSample> {
    let mut proc = child
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdout = proc
        .stdout
        .take()
        .ok_or_else(|| probe_error("нет вывода дочернего процесса"))?;
    let (tx, rx) = mpsc::channel::<String>();
    let reader = thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let (mut origin, mut synced) = (None, 0u64);
    let mut absorb = |line: &str| match parse(line) {
        Line::Origin(t) => origin = Some(t),
        Line::Synced(n) => synced = n,
        Line::Other => {}
    };
    // Wait for the first captured frame.
    let first = loop {
        match rx.recv_timeout(START_TIMEOUT) {
            Ok(line) => {
                absorb(&line);
                if let Line::Origin(t) = parse(&line) {
                    break t;
                }
            }
            Err(_) => {
                let _ = proc.kill();
                let _ = proc.wait();
                return Err(probe_error(format!(
                    "дочерний процесс не начал запись за {START_TIMEOUT:?}"
                )));
            }
        }
    };
    let kill_at = first + after;
    if let Ok(wait) = kill_at.duration_since(SystemTime::now()) {
        thread::sleep(wait);
    }
    let killed = SystemTime::now();
    proc.kill()?;
    proc.wait()?;
    let _ = reader.join();
    for line in rx.try_iter() {
        absorb(&line);
    }
    let origin = origin.unwrap_or(first);
    let heard = killed.duration_since(origin).unwrap_or_default();
    let report = repair(wav)?;
    let rms_dbfs = {
        let (samples, _) = read_mono(wav).unwrap_or_default();
        let n = samples.len().max(1) as f64;
        let ms = samples.iter().map(|s| f64::from(*s).powi(2)).sum::<f64>() / n;
        crate::levels::dbfs(ms.sqrt() as f32)
    };
    Ok(KillSample {
        heard,
        on_disk: frames(report.frames),
        synced: frames(synced),
        rms_dbfs,
    })
}

/// Worst and median of a figure over the kills.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub worst: f64,
    pub median: f64,
}

/// Worst (largest) and median of `values` (`None` for none).
pub fn spread(values: impl IntoIterator<Item = f64>) -> Option<Spread> {
    let mut v: Vec<f64> = values.into_iter().collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(Spread {
        worst: v[v.len() - 1],
        median: v[v.len() / 2],
    })
}

/// The speech fixture of this repository (for the bench and the tests), from a folder inside it.
pub fn speech_fixture(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join("audio-fixtures/speech/answer-en.wav"))
        .find(|p| p.is_file())
}
