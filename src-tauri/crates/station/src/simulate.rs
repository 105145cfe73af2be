//! A simulated station: participants sit the work of a real package through
//! the real session state machine (`vpr-exam`), persisted by the same
//! [`StoreJournal`] the station runtime uses, with the effects carried out
//! the way the runtime carries them out — plays counted in the store,
//! recordings registered under the runtime's file names with their hash,
//! duration and level flags — only with a hand-moved clock instead of the
//! wall clock and synthesised speech instead of the microphone.
//!
//! The answers are chosen by a seeded policy (mostly right when the keys are
//! at hand, sometimes wrong, sometimes blank, sometimes changed), so the same
//! plan gives the same store, the same recordings and, signed with the same
//! key at the same time, the same bundle. What the policy chose comes back as
//! [`SimulatedWork`], so a test can replay it on a real station.
//!
//! The caller opens the store (choosing its clock), records the station's
//! identity and writes the bundle (`vpr simulate station` does all three).
//! A demonstration package is run as exam work, not as training (the runtime
//! would keep it in the training database, which never leaves the station).

use std::{
    collections::BTreeMap,
    fs,
    io::{BufWriter, Write},
    path::{Path, PathBuf},
    sync::Arc,
};

use vpr_exam::{
    session::{Effect, ManualClock, PhaseView, Screen, Session},
    Keys, Package, TaskContent,
};
use vpr_store::{LevelFlags, NewRecording, RecordingStatus, RecordingUpdate, Store};

use crate::{journal::StoreJournal, Result, StationError};

type SimSession = Session<ManualClock, StoreJournal>;

/// The shortest wait between two looks at the screen.
const STEP_MS: u64 = 1_000;
/// A session that has not closed after this much simulated time is a bug.
const MAX_SESSION_MS: u64 = 6 * 3_600_000;

/// Who sits the work and how they answer.
#[derive(Debug, Clone)]
pub struct SimulationPlan {
    /// Seeds the answers, photos, speaking times and voices.
    pub seed: u64,
    /// Participant codes, in seating order (see [`participant_codes`]).
    pub codes: Vec<String>,
    /// Keys of the package: with them most answers are right.
    pub keys: Option<Keys>,
    /// Participants take the package's variants in turn (as seats 1, 2, …
    /// would); otherwise all take variant 1.
    pub alternate_variants: bool,
    /// Oral answers use the whole preparation and answer time (90 s, 120 s…)
    /// instead of starting early and stopping after 6–15 s.
    pub full_length: bool,
    /// Wall time the first session starts at (ms since the Unix epoch).
    pub start_wall_ms: i64,
}

impl SimulationPlan {
    pub fn new(seed: u64, codes: Vec<String>) -> Self {
        Self {
            seed,
            codes,
            keys: None,
            alternate_variants: true,
            full_length: false,
            // 2026-04-15 08:30 UTC.
            start_wall_ms: 1_776_241_800_000,
        }
    }
}

/// What one participant did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimulatedWork {
    pub code: String,
    pub variant: u32,
    /// The store's session id.
    pub session_id: i64,
    /// The final answer of every item answered.
    pub answers: BTreeMap<String, String>,
    /// Oral answers: (task, duration in ms).
    pub recordings: Vec<(u32, u64)>,
}

/// Deterministic participant codes (5 digits, unique within a station), or
/// the package's own list when it has one.
pub fn participant_codes(package: &Package, seed: u64, n: u32) -> Vec<String> {
    if let Some(list) = &package.participant_codes {
        return list.iter().take(n as usize).cloned().collect();
    }
    let base = (seed % 9) * 10_000 + 10_000;
    (0..u64::from(n))
        .map(|i| format!("{:05}", base + (i * 7919) % 10_000))
        .collect()
}

/// Run every participant of `plan` through the package in `package_dir`
/// (`package.json` + media, as the station opens it), writing to `store`
/// and, for recordings, under `data_dir`.
pub fn simulate_station(
    package_dir: &Path,
    data_dir: &Path,
    store: Arc<Store>,
    plan: &SimulationPlan,
) -> Result<Vec<SimulatedWork>> {
    let package = Arc::new(Package::load_dir(package_dir)?);
    let clock = ManualClock::new(plan.start_wall_ms);
    let mut rng = Rng::new(plan.seed);
    let mut works = Vec::with_capacity(plan.codes.len());
    for (n, code) in plan.codes.iter().enumerate() {
        let variant = if plan.alternate_variants && !package.variants.is_empty() {
            package.variants[n % package.variants.len()].number
        } else {
            1
        };
        let journal = StoreJournal::new(store.clone(), false).with_package(&package);
        let session = Session::new(package.clone(), variant, clock.clone(), journal)?;
        let mut p = Participant {
            package_dir,
            data_dir,
            store: &store,
            package: &package,
            plan,
            clock: &clock,
            rng: &mut rng,
            session,
            playing: None,
            capturing: None,
            recordings: Vec::new(),
            answered: Vec::new(),
            oral: None,
        };
        p.sit(code)?;
        let session_id = p
            .session
            .journal()
            .session_id()
            .ok_or(StationError::NoSession)?;
        works.push(SimulatedWork {
            code: code.clone(),
            variant,
            session_id,
            answers: p.session.checkpoint().answers.clone(),
            recordings: p.recordings,
        });
        // The next participant sits down a few minutes later.
        clock.advance(180_000);
    }
    Ok(works)
}

struct Capturing {
    task: u32,
    row: i64,
    path: PathBuf,
    started_ms: u64,
    max_ms: u64,
}

/// When an oral answer starts and how long it lasts (ms), per task.
struct OralPlan {
    task: u32,
    entered_ms: u64,
    start_after_ms: Option<u64>,
    speak_ms: Option<u64>,
}

struct Participant<'a> {
    package_dir: &'a Path,
    data_dir: &'a Path,
    store: &'a Arc<Store>,
    package: &'a Package,
    plan: &'a SimulationPlan,
    clock: &'a ManualClock,
    rng: &'a mut Rng,
    session: SimSession,
    /// (play number, monotonic ms at which the track ends).
    playing: Option<(u32, u64)>,
    capturing: Option<Capturing>,
    recordings: Vec<(u32, u64)>,
    /// Tasks whose items the participant has answered.
    answered: Vec<u32>,
    oral: Option<OralPlan>,
}

impl Participant<'_> {
    fn now(&self) -> u64 {
        vpr_exam::session::Clock::monotonic_ms(self.clock)
    }

    /// From the code-entry screen to the locked screen.
    fn sit(&mut self, code: &str) -> Result<()> {
        let fx = self.session.enter_code(code)?;
        self.execute(fx)?;
        let fx = self.session.confirm_code(true)?;
        self.execute(fx)?;
        let fx = self.session.finish_briefing()?;
        self.execute(fx)?;
        let fx = self.session.headset_checked(true)?;
        self.execute(fx)?;
        let fx = self.session.start_work()?;
        self.execute(fx)?;
        let begun = self.now();
        while !self.session.is_closed() {
            if self.now().saturating_sub(begun) > MAX_SESSION_MS {
                return Err(StationError::Exam(vpr_exam::ExamError::NotNow(
                    "моделируемая работа не завершилась за шесть часов",
                )));
            }
            self.act()?;
        }
        Ok(())
    }

    /// One look at the screen: act on it, or wait until something is due.
    fn act(&mut self) -> Result<()> {
        let view = self.session.view();
        let fx = match view.screen {
            Screen::Finish { .. } => self.session.finish()?,
            Screen::EyeBreak { left_s, .. } => return self.wait(secs(left_s)),
            Screen::Task(t) => {
                let number = t.number;
                let package: &Package = self.package;
                let task = package
                    .variant(self.session.checkpoint().variant)
                    .and_then(|v| v.tasks.iter().find(|x| x.number == number));
                let Some(task) = task else {
                    return self.wait(STEP_MS);
                };
                match t.phase {
                    PhaseView::Answering => {
                        if !self.answered.contains(&number) {
                            self.answered.push(number);
                            return self.answer_items(task);
                        }
                        if !t.can_leave {
                            return self.wait(t.task_left_s.map_or(STEP_MS, secs));
                        }
                        self.session.next_task()?
                    }
                    // A fixed-time task moves on by itself when its time is up.
                    PhaseView::Recorded if !t.can_leave => {
                        return self.wait(t.task_left_s.map_or(STEP_MS, secs))
                    }
                    PhaseView::Recorded => self.session.next_task()?,
                    // Prompts end by the session's own timer here.
                    PhaseView::Instruction | PhaseView::Question { .. } => {
                        return self.wait(STEP_MS)
                    }
                    PhaseView::Prep { left_s } => {
                        if let TaskContent::Monologue(m) = &task.content {
                            if t.photo.is_none() && !m.photos.is_empty() && !m.all_photos {
                                let photo = 1 + self.rng.below(m.photos.len() as u64) as u32;
                                let fx = self.session.choose_photo(photo)?;
                                return self.execute(fx);
                            }
                        }
                        let (entered_ms, start_after_ms) = self.oral_plan(number);
                        let waited = self.now().saturating_sub(entered_ms);
                        match start_after_ms {
                            Some(after) if waited >= after => self.session.start_answer()?,
                            Some(after) => return self.wait((after - waited).min(secs(left_s))),
                            None => return self.wait(secs(left_s)),
                        }
                    }
                    PhaseView::Recording { left_s } => {
                        let spoken = self
                            .capturing
                            .as_ref()
                            .map_or(0, |c| self.now().saturating_sub(c.started_ms));
                        match self.oral.as_ref().and_then(|o| o.speak_ms) {
                            Some(ms) if spoken >= ms => self.session.stop_answer()?,
                            Some(ms) => return self.wait((ms - spoken).min(secs(left_s))),
                            None => return self.wait(secs(left_s)),
                        }
                    }
                    PhaseView::ReadQuestions { left_s }
                    | PhaseView::PauseBetween { left_s, .. } => return self.wait(secs(left_s)),
                    PhaseView::Playing { .. } => {
                        let now = self.now();
                        let left = self
                            .playing
                            .map_or(STEP_MS, |(_, ends)| ends.saturating_sub(now));
                        return self.wait(left);
                    }
                }
            }
            _ => return self.wait(STEP_MS),
        };
        self.execute(fx)
    }

    /// When the oral answer of `task` is to start: (entered at, start after), planned on entry.
    fn oral_plan(&mut self, task: u32) -> (u64, Option<u64>) {
        match &self.oral {
            Some(o) if o.task == task => (o.entered_ms, o.start_after_ms),
            _ => {
                let full = self.plan.full_length;
                let start_after_ms = (!full).then(|| 3_000 + 1_000 * self.rng.below(8));
                let speak_ms = (!full).then(|| 6_000 + 1_000 * self.rng.below(10));
                let entered_ms = self.now();
                self.oral = Some(OralPlan {
                    task,
                    entered_ms,
                    start_after_ms,
                    speak_ms,
                });
                (entered_ms, start_after_ms)
            }
        }
    }

    /// The seeded policy: of every item, most right (with the keys), some
    /// wrong, some blank; now and then a first answer changed.
    fn answer_items(&mut self, task: &vpr_exam::Task) -> Result<()> {
        let variant = self.session.checkpoint().variant;
        let plan: &SimulationPlan = self.plan;
        let task_keys = plan
            .keys
            .as_ref()
            .and_then(|k| k.task(variant, task.number));
        for item in task.item_ids() {
            let labels = task.choice_labels(item);
            let key = task_keys
                .and_then(|k| k.items.iter().find(|i| i.id == item))
                .and_then(|k| k.accepted.first());
            let roll = self.rng.below(20);
            if roll < 2 {
                continue; // left blank
            }
            let wrong = |rng: &mut Rng| match &labels {
                Some(l) if !l.is_empty() => l[rng.below(l.len() as u64) as usize].to_string(),
                _ => WORDS[rng.below(WORDS.len() as u64) as usize].to_string(),
            };
            if roll < 4 {
                // Changed one's mind: the later save wins.
                let first = wrong(self.rng);
                let fx = self.session.set_answer(item, &first)?;
                self.execute(fx)?;
            }
            let value = match key {
                Some(k) if roll < 15 => k.clone(),
                _ => wrong(self.rng),
            };
            let fx = self.session.set_answer(item, &value)?;
            self.execute(fx)?;
        }
        Ok(())
    }

    /// Let `ms` pass (at least a second; less if a track ends sooner), then
    /// tell the session.
    fn wait(&mut self, ms: u64) -> Result<()> {
        let now = self.now();
        let step = match self.playing {
            Some((_, ends)) if ends > now => (ends - now).min(ms.max(STEP_MS)),
            _ => ms.max(STEP_MS),
        };
        self.clock.advance(step);
        if let Some((play_no, ends)) = self.playing {
            if self.now() >= ends {
                self.playing = None;
                let fx = self.session.track_finished(play_no)?;
                self.execute(fx)?;
            }
        }
        let fx = self.session.tick()?;
        self.execute(fx)
    }

    /// Carry out what the session asked for, as the runtime does.
    fn execute(&mut self, effects: Vec<Effect>) -> Result<()> {
        for effect in effects {
            match effect {
                Effect::PlayTrack {
                    track,
                    play_no,
                    plays,
                    ..
                } => {
                    if let Some(id) = self.session.journal().session_id() {
                        self.store.record_play(id, &track, plays)?;
                    }
                    // The track's decoded length, whatever its format (MP3, OGG, FLAC, WAV).
                    let ms = vpr_exam::media::probe_audio(&self.package_dir.join(&track))
                        .map_err(vpr_exam::ExamError::from)?
                        .duration_ms;
                    self.playing = Some((play_no, self.now() + ms));
                }
                Effect::StopTrack { .. } => self.playing = None,
                Effect::StartRecording {
                    task,
                    segment,
                    max_ms,
                    part,
                    ..
                } => self.start_recording(task, segment, part, u64::from(max_ms))?,
                Effect::StopRecording { .. } => self.finish_recording()?,
                Effect::Closed { .. } => {
                    self.playing = None;
                    self.finish_recording()?;
                }
                // Reminders and the like are for the organizer's eyes only.
                _ => {}
            }
        }
        Ok(())
    }

    fn start_recording(
        &mut self,
        task: u32,
        segment: u32,
        part: Option<u32>,
        max_ms: u64,
    ) -> Result<()> {
        let session_id = self
            .session
            .journal()
            .session_id()
            .ok_or(StationError::NoSession)?;
        let code = self.session.checkpoint().code.clone().unwrap_or_default();
        // The runtime's file name for an exam recording.
        let rel = format!("recordings/{session_id}-{code}/task{task}-{segment}.wav");
        let row = self.store.start_recording(&NewRecording {
            session_id,
            task: task.to_string(),
            // As the runtime names an answer recorded in parts.
            item: Some(match part {
                Some(part) => format!("q{part}.{segment}"),
                None => segment.to_string(),
            }),
            file: rel.clone(),
        })?;
        self.capturing = Some(Capturing {
            task,
            row: row.id,
            path: self.data_dir.join(rel),
            started_ms: self.now(),
            max_ms,
        });
        Ok(())
    }

    /// Write the spoken answer for the time it lasted and register it.
    fn finish_recording(&mut self) -> Result<()> {
        let Some(c) = self.capturing.take() else {
            return Ok(());
        };
        let ms = self.now().saturating_sub(c.started_ms).min(c.max_ms);
        let voice = Voice {
            pitch_hz: 110.0 + self.rng.below(110) as f32,
            syllables_hz: 3.0 + self.rng.below(3) as f32,
            noise: self.rng.next(),
        };
        write_speech(&c.path, ms, &voice)?;
        let info = vpr_audio::wav_info(&c.path)?;
        let levels = vpr_audio::levels::analyze_wav(&c.path)?;
        // The same flags the runtime derives from the recorder's levels.
        let update = RecordingUpdate {
            status: RecordingStatus::Complete,
            sha256: info.sha256.parse().ok(),
            duration_ms: info.duration_ms,
            level_flags: LevelFlags {
                silent: levels.silent,
                too_quiet: levels.max_window_dbfs < -40.0 && !levels.silent,
                clipped: levels.clipped,
            },
        };
        self.store.update_recording(c.row, &update)?;
        self.recordings.push((c.task, info.duration_ms));
        Ok(())
    }
}

fn secs(s: u32) -> u64 {
    u64::from(s.max(1)) * 1_000
}

/// Wrong answers for typed items.
const WORDS: &[&str] = &[
    "goed", "hapy", "the", "was", "more big", "childs", "Haus", "maison", "quick", "decide",
];

/// A speaker: a voiced tone with syllable-rate loudness and a little breath noise.
struct Voice {
    pitch_hz: f32,
    syllables_hz: f32,
    noise: u64,
}

/// A mono 16-bit WAV at the station's recording rate, `ms` long.
fn write_speech(path: &Path, ms: u64, voice: &Voice) -> Result<()> {
    let io = |source: std::io::Error| StationError::DataDir {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io)?;
    }
    let rate = vpr_audio::RECORD_RATE;
    let frames = ms * u64::from(rate) / 1000;
    let data_bytes = u32::try_from(frames * 2).map_err(|_| {
        io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "запись длиннее, чем вмещает WAV",
        ))
    })?;
    let mut w = BufWriter::new(fs::File::create(path).map_err(io)?);
    let block = vpr_audio::RECORD_CHANNELS * vpr_audio::RECORD_BITS / 8;
    let mut header = Vec::with_capacity(44);
    header.extend_from_slice(b"RIFF");
    header.extend_from_slice(&(36 + data_bytes).to_le_bytes());
    header.extend_from_slice(b"WAVEfmt ");
    header.extend_from_slice(&16u32.to_le_bytes());
    header.extend_from_slice(&1u16.to_le_bytes()); // PCM
    header.extend_from_slice(&vpr_audio::RECORD_CHANNELS.to_le_bytes());
    header.extend_from_slice(&rate.to_le_bytes());
    header.extend_from_slice(&(rate * u32::from(block)).to_le_bytes());
    header.extend_from_slice(&block.to_le_bytes());
    header.extend_from_slice(&vpr_audio::RECORD_BITS.to_le_bytes());
    header.extend_from_slice(b"data");
    header.extend_from_slice(&data_bytes.to_le_bytes());
    w.write_all(&header).map_err(io)?;
    let mut noise = Rng::new(voice.noise);
    let tau = std::f32::consts::TAU;
    for i in 0..frames {
        let t = i as f32 / rate as f32;
        let envelope = 0.5 + 0.5 * (tau * voice.syllables_hz * t).sin();
        let voiced =
            (tau * voice.pitch_hz * t).sin() + 0.4 * (tau * 2.0 * voice.pitch_hz * t).sin();
        let breath = (noise.next() >> 40) as f32 / (1u64 << 24) as f32 - 0.5;
        let v = 0.25 * envelope * voiced + 0.02 * breath;
        let s = (v.clamp(-1.0, 1.0) * f32::from(i16::MAX)) as i16;
        w.write_all(&s.to_le_bytes()).map_err(io)?;
    }
    w.into_inner()
        .map_err(|e| io(e.into_error()))?
        .sync_all()
        .map_err(io)
}

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}
