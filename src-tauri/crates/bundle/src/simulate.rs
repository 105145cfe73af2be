//! A simulated station: scripted sessions run through the real store and
//! chain, recordings made from fixture WAVs, then a signed bundle written by
//! [`write_bundle`]. For coordinator tests and benchmarks.

use std::{
    fs,
    path::{Path, PathBuf},
    sync::Arc,
};

use serde_json::json;
use time::{macros::datetime, Duration};
use vpr_integrity::{sha256, sha256_file, StationKey};
use vpr_store::{
    event_kinds, Checkpoint, FixedClock, LevelFlags, NewRecording, NewSession, RecordingStatus,
    RecordingUpdate, SessionStatus, StationInfo, Store,
};

use crate::{write_bundle, BundleError, Result, WrittenBundle};

#[derive(Debug, Clone)]
pub struct SimulateOptions {
    pub participants: u32,
    pub out: PathBuf,
    /// Folder of fixture WAVs (`audio-fixtures/simulate`).
    pub fixtures: PathBuf,
    /// Seeds the station key, the participant codes and the answers.
    pub seed: u64,
    pub school_id: String,
    pub station_number: u32,
    /// Recordings as long as in the exam (90 s and 120 s) instead of the fixture length.
    pub full_length: bool,
}

impl SimulateOptions {
    pub fn new(participants: u32, out: &Path, fixtures: &Path) -> Self {
        Self {
            participants,
            out: out.to_path_buf(),
            fixtures: fixtures.to_path_buf(),
            seed: 1,
            school_id: "770001".into(),
            station_number: 1,
            full_length: false,
        }
    }
}

/// The key a simulated station with `seed` signs with (deterministic).
pub fn station_key(seed: u64) -> Result<StationKey> {
    let mut material = b"vpr-simulated-station".to_vec();
    material.extend_from_slice(&seed.to_be_bytes());
    Ok(StationKey::from_seed(sha256(&material).as_bytes())?)
}

/// Deterministic participant codes (5 digits, unique within a station).
pub fn participant_codes(seed: u64, n: u32) -> Vec<String> {
    let base = (seed % 9) * 10_000 + 10_000;
    (0..u64::from(n))
        .map(|i| format!("{:05}", base + (i * 7919) % 10_000))
        .collect()
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

fn fixtures(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| {
            BundleError::NotReady(format!("нет папки с образцами {}: {e}", dir.display()))
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "wav"))
        .collect();
    out.sort();
    if out.is_empty() {
        return Err(BundleError::NotReady(format!(
            "в {} нет WAV-файлов",
            dir.display()
        )));
    }
    Ok(out)
}

/// Copy a fixture, or loop its samples to `ms` milliseconds.
fn make_recording(src: &Path, dst: &Path, ms: Option<u64>) -> Result<u64> {
    let io = |e: &dyn std::fmt::Display| BundleError::Write {
        path: dst.display().to_string(),
        reason: e.to_string(),
    };
    if let Some(parent) = dst.parent() {
        fs::create_dir_all(parent).map_err(|e| io(&e))?;
    }
    let mut reader = hound::WavReader::open(src).map_err(|e| io(&e))?;
    let spec = reader.spec();
    let rate = u64::from(spec.sample_rate.max(1));
    let Some(ms) = ms else {
        let frames = u64::from(reader.duration());
        drop(reader);
        fs::copy(src, dst).map_err(|e| io(&e))?;
        return Ok(frames * 1000 / rate);
    };
    let samples: Vec<i16> = reader
        .samples::<i16>()
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| io(&e))?;
    if samples.is_empty() {
        return Err(io(&"пустой образец"));
    }
    let mut w = hound::WavWriter::create(dst, spec).map_err(|e| io(&e))?;
    let total = ms * rate / 1000 * u64::from(spec.channels);
    for i in 0..total {
        w.write_sample(samples[(i % samples.len() as u64) as usize])
            .map_err(|e| io(&e))?;
    }
    w.finalize().map_err(|e| io(&e))?;
    Ok(ms)
}

/// Run the scripted station and write its signed bundle to `opts.out`.
pub fn simulate_station(opts: &SimulateOptions) -> Result<WrittenBundle> {
    let fixtures = fixtures(&opts.fixtures)?;
    let parent = opts
        .out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let work = parent.join(format!(
        ".vpr-sim-{}-{}-{}",
        std::process::id(),
        opts.seed,
        opts.station_number
    ));
    let _ = fs::remove_dir_all(&work);
    let result = run(opts, &fixtures, &work);
    let _ = fs::remove_dir_all(&work);
    result
}

fn run(opts: &SimulateOptions, fixtures: &[PathBuf], work: &Path) -> Result<WrittenBundle> {
    let start =
        datetime!(2026-04-15 08:30 UTC) + Duration::minutes(i64::from(opts.station_number % 60));
    let clock = Arc::new(FixedClock::new(start, Duration::seconds(2)));
    let store = Store::open_with_clock(&vpr_store::exam_path(work), clock)?;
    let key = station_key(opts.seed)?;
    store.set_station(&StationInfo {
        station_id: format!("sim-{}-{}", opts.seed, opts.station_number),
        school_id: opts.school_id.clone(),
        room: format!("{}", 100 + opts.station_number / 4),
        number: opts.station_number,
        key_fingerprint: key.public_key().fingerprint(),
    })?;
    store.log_event(
        None,
        event_kinds::RESTART,
        &json!({"reason": "station_start"}),
    )?;
    let mut rng = Rng(opts.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    for (n, code) in participant_codes(opts.seed, opts.participants)
        .iter()
        .enumerate()
    {
        let mut new = NewSession::new(code, "en7-2026-demo", if n % 2 == 0 { "1" } else { "2" });
        new.extended_time = n % 11 == 5;
        let s = store.start_session(&new)?;
        for task in 1..=6u32 {
            store.checkpoint(
                s.id,
                &Checkpoint {
                    state: json!({"task": task, "phase": "answer"}),
                    deadlines: [(
                        "work_end".to_string(),
                        1_776_243_600_000i64 + i64::from(task) * 60_000,
                    )]
                    .into(),
                },
            )?;
            match task {
                1 => {
                    store.record_play(s.id, "task1-track", 2)?;
                    store.record_play(s.id, "task1-track", 2)?;
                    for q in 1..=6 {
                        let v = rng.pick(&["1", "2", "3", "4"]);
                        store.save_answer(s.id, "task1", &format!("q{q}"), &json!(v))?;
                    }
                }
                2 | 3 => {
                    let task_id = format!("task{task}");
                    let file = format!("recordings/{code}/{task_id}.wav");
                    let rec = store.start_recording(&NewRecording {
                        session_id: s.id,
                        task: task_id.clone(),
                        item: None,
                        file: file.clone(),
                    })?;
                    let src = &fixtures[(rng.next() % fixtures.len() as u64) as usize];
                    let ms = opts
                        .full_length
                        .then_some(if task == 2 { 90_000 } else { 120_000 });
                    let duration_ms = make_recording(src, &work.join(&file), ms)?;
                    let (sha, _) = sha256_file(&work.join(&file))?;
                    store.update_recording(
                        rec.id,
                        &RecordingUpdate {
                            status: RecordingStatus::Complete,
                            sha256: Some(sha),
                            duration_ms,
                            level_flags: LevelFlags {
                                too_quiet: src.to_string_lossy().contains("quiet"),
                                ..LevelFlags::default()
                            },
                        },
                    )?;
                }
                4 => {
                    for q in 1..=8 {
                        let v = rng.pick(&["A", "B", "C"]);
                        store.save_answer(s.id, "task4", &format!("q{q}"), &json!(v))?;
                    }
                    // Changing one's mind: the later save wins.
                    store.save_answer(s.id, "task4", "q3", &json!(rng.pick(&["A", "B", "C"])))?;
                }
                5 => {
                    for (q, w) in ["went", "has been", "bigger", "were", "children", "would"]
                        .iter()
                        .enumerate()
                    {
                        let v = if rng.next() % 4 == 0 { "goed" } else { w };
                        store.save_answer(s.id, "task5", &format!("q{}", q + 1), &json!(v))?;
                    }
                }
                _ => {
                    for (q, w) in ["beautiful", "happiness", "unusual", "quickly", "decision"]
                        .iter()
                        .enumerate()
                    {
                        store.save_answer(s.id, "task6", &format!("q{}", q + 1), &json!(w))?;
                    }
                }
            }
        }
        if n % 7 == 3 {
            store.log_event(
                Some(s.id),
                event_kinds::ORGANIZER,
                &json!({"action": "remind", "minutes_left": 5}),
            )?;
        }
        store.log_event(Some(s.id), event_kinds::FINISH, &json!({}))?;
        store.set_session_status(s.id, SessionStatus::Finished)?;
    }
    let created = start + Duration::hours(4);
    write_bundle(&store, work, &key, &opts.out, created)
}
