//! The student's exam at this station: the session state machine (vpr-exam)
//! persisted through the answer store (vpr-store), its effects executed on
//! the real audio devices (vpr-audio), and every change pushed to the UI.
//!
//! One ticker thread drives timers (`tick` every 200 ms); audio events are
//! forwarded by a second thread. All state sits behind one mutex; audio calls
//! that block (the headset check) run outside it.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicBool, Ordering},
        mpsc, Arc, Mutex, MutexGuard,
    },
    thread::JoinHandle,
    time::Duration,
};

use crate::{LevelMeter, OrganizerAction, StationAlert, StudentAction};
use vpr_audio::{AudioEvent, PlayOptions, Playback, RecordOptions, Recording};
use vpr_error::Coded;
use vpr_exam::{
    session::{Effect, Session, SessionView, SystemClock},
    Package,
};
use vpr_store::{LevelFlags, NewRecording, RecordingStatus, RecordingUpdate, SessionStatus, Store};

use crate::{custody::Custody, journal::StoreJournal, Result, StationError, StationLayout};

mod effects;
mod screen;

use effects::Fx;

type ExamSession = Session<SystemClock, StoreJournal>;

/// What the UI is told without asking.
#[derive(Debug, Clone)]
pub enum Notice {
    View(Box<SessionView>),
    Level(LevelMeter),
    Alert(StationAlert),
    /// The headset check's step (playing the phrase, recording, done), so
    /// the student sees when to speak.
    Headset(vpr_audio::HeadsetStep),
}

pub type Notifier = Arc<dyn Fn(Notice) + Send + Sync>;

/// Where the exam's files are and how to reach the devices.
#[derive(Debug, Clone)]
pub struct ExamConfig {
    /// The unpacked package folder (package.json + media).
    pub package_dir: PathBuf,
    /// The station's data directory (store, recordings).
    pub data_dir: PathBuf,
    /// The test phrase of the headset check.
    pub headset_phrase: Option<PathBuf>,
    pub input: Option<String>,
    pub output: Option<String>,
    pub volume: f32,
    pub headset_seconds: u32,
}

struct Playing {
    task: u32,
    ends: PlayEnds,
    playback: Playback,
}

/// What the session is told when a sound ends by itself.
#[derive(Debug, Clone, Copy)]
enum PlayEnds {
    /// Play `n` of a listening track.
    Track(u32),
    /// The instruction read aloud (None) or an interview question.
    Prompt(Option<u32>),
    /// The signal that opens an answer window: nothing to tell.
    Signal,
}

struct Capturing {
    task: u32,
    store_id: i64,
    recording: Recording,
}

struct Inner {
    session: ExamSession,
    store: Arc<Store>,
    package: Arc<Package>,
    /// The station's number (its seat), from the technician's set-up.
    seat: Option<u32>,
    training: bool,
    custody: Custody,
    playing: Option<Playing>,
    capturing: Option<Capturing>,
    last_view: Option<SessionView>,
    extras: screen::Extras,
}

/// The running exam of one station.
pub struct ExamRuntime {
    inner: Arc<Mutex<Inner>>,
    config: ExamConfig,
    notify: Notifier,
    audio_tx: mpsc::Sender<AudioEvent>,
    headset_busy: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    ticker: Option<JoinHandle<()>>,
    /// Alerts raised while opening (before any window listened).
    startup_alerts: Vec<StationAlert>,
}

fn lock(m: &Mutex<Inner>) -> MutexGuard<'_, Inner> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl ExamRuntime {
    /// Load the package, repair what a crash left, resume an unfinished
    /// session or start a fresh one, and start the ticker.
    pub fn start(config: ExamConfig, notify: Notifier) -> Result<Self> {
        let layout = StationLayout::new(&config.data_dir);
        // Training or exam from the verified signed header, never from
        // `package.json` (an unsigned folder always runs as training).
        let (package, custody) = crate::custody::open(&layout, &config.package_dir)?;
        let package = Arc::new(package);
        let training = custody.training;
        let db = if training {
            layout.training_db()
        } else {
            layout.exam_db()
        };
        let store = Arc::new(Store::open(&db)?);
        let gap_seconds = repair_unfinished(&store, &layout);
        let seat = crate::identity::seat_number(&layout);
        let (session, resumed) = resume_or_new(&store, &package, &custody, seat)?;
        let after_crash = screen::after_crash(&resumed, gap_seconds);
        let (audio_tx, audio_rx) = mpsc::channel();
        let inner = Arc::new(Mutex::new(Inner {
            session,
            store,
            package,
            seat,
            training,
            custody,
            playing: None,
            capturing: None,
            last_view: None,
            extras: screen::Extras::default(),
        }));
        let mut rt = Self {
            inner,
            config,
            notify,
            audio_tx,
            headset_busy: Arc::new(AtomicBool::new(false)),
            stop: Arc::new(AtomicBool::new(false)),
            ticker: None,
            startup_alerts: Vec::new(),
        };
        rt.spawn_audio_forwarder(audio_rx);
        if !resumed.is_empty() {
            let mut inner = lock(&rt.inner);
            rt.fx().execute(&mut inner, resumed);
            if let Some((notice, alert)) = after_crash {
                tracing::warn!(gap_s = ?gap_seconds, "recording resumed after a restart");
                inner.set_notice(notice);
                (rt.notify)(Notice::Alert(alert.clone()));
                drop(inner);
                rt.startup_alerts.push(alert);
            }
        }
        rt.spawn_ticker();
        Ok(rt)
    }

    /// The station's data folder.
    fn layout(&self) -> StationLayout {
        StationLayout::new(&self.config.data_dir)
    }

    pub fn package(&self) -> Arc<Package> {
        lock(&self.inner).package.clone()
    }

    /// Training or exam, from the verified signed header.
    pub fn is_training(&self) -> bool {
        lock(&self.inner).training
    }

    /// Alerts raised while the exam opened, for a window that starts listening later.
    pub fn startup_alerts(&self) -> &[StationAlert] {
        &self.startup_alerts
    }

    /// What vouches for the running package (signed header, file hash, issuer).
    pub fn custody(&self) -> Custody {
        lock(&self.inner).custody.clone()
    }

    pub fn view(&self) -> SessionView {
        lock(&self.inner).view()
    }

    /// A student's action; returns the new screen.
    pub fn act(&self, action: StudentAction) -> Result<SessionView> {
        if action == StudentAction::RunHeadsetCheck {
            self.run_headset_check()?;
            return Ok(self.view());
        }
        let mut inner = lock(&self.inner);
        let s = &mut inner.session;
        let effects = match action {
            StudentAction::EnterCode { code } => s.enter_code(&code)?,
            StudentAction::ConfirmCode { correct } => s.confirm_code(correct)?,
            StudentAction::FinishBriefing => s.finish_briefing()?,
            StudentAction::RunHeadsetCheck => Vec::new(),
            StudentAction::StartWork => s.start_work()?,
            StudentAction::RequestPlay => s.request_play()?,
            StudentAction::SetAnswer { item, value } => s.set_answer(&item, &value)?,
            StudentAction::ChoosePhoto { photo } => s.choose_photo(photo)?,
            StudentAction::StartAnswer => s.start_answer()?,
            StudentAction::StopAnswer => s.stop_answer()?,
            StudentAction::NextTask => s.next_task()?,
            StudentAction::OpenTask { number } => s.open_task(number)?,
            StudentAction::Finish => s.finish()?,
        };
        self.fx().execute(&mut inner, effects);
        Ok(self.publish(&mut inner))
    }

    /// An organizer's action (the caller has verified the organizer's PIN).
    pub fn organizer(&self, action: &OrganizerAction) -> Result<SessionView> {
        let mut inner = lock(&self.inner);
        let effects = match action {
            OrganizerAction::Pause { reason } => inner.session.pause(*reason)?,
            OrganizerAction::Resume => inner.session.resume_work()?,
            OrganizerAction::TechnicalFailure { reason } => {
                inner.session.technical_failure(*reason)?
            }
            OrganizerAction::EndEarly => inner.session.end_early()?,
            OrganizerAction::OverrideHeadset => inner.session.override_headset()?,
            OrganizerAction::NextParticipant => {
                if !inner.session.is_closed() {
                    return Err(StationError::WorkInProgress);
                }
                let journal = new_journal(&inner.store, &inner.package, &inner.custody);
                let variant = inner.package.variant_for_seat(inner.seat);
                inner.session =
                    Session::new(inner.package.clone(), variant, SystemClock::new(), journal)?;
                Vec::new()
            }
            OrganizerAction::SetVariant { variant } => inner.session.set_variant(*variant)?,
            OrganizerAction::SetAdaptation { adaptation } => {
                inner.session.set_adaptation(adaptation.as_deref())?
            }
            OrganizerAction::Exit | OrganizerAction::ClearPinAlert => Vec::new(),
        };
        self.fx().execute(&mut inner, effects);
        Ok(self.publish(&mut inner))
    }

    /// The file of a photo or other package medium, refused outside the package.
    pub fn media_path(&self, relative: &str) -> Result<PathBuf> {
        let rel = Path::new(relative);
        if rel.is_absolute()
            || rel
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(StationError::MediaNotFound(relative.to_owned()));
        }
        let path = self.config.package_dir.join(rel);
        if path.is_file() {
            Ok(path)
        } else {
            Err(StationError::MediaNotFound(relative.to_owned()))
        }
    }

    fn run_headset_check(&self) -> Result<()> {
        if self.headset_busy.swap(true, Ordering::SeqCst) {
            return Err(StationError::HeadsetCheckRunning);
        }
        let phrase = match &self.config.headset_phrase {
            Some(p) => p.clone(),
            None => {
                self.headset_busy.store(false, Ordering::SeqCst);
                return Err(StationError::NoHeadsetPhrase);
            }
        };
        if let Err(e) = self.layout().create_control_dir() {
            self.headset_busy.store(false, Ordering::SeqCst);
            return Err(e);
        }
        let options = vpr_audio::HeadsetCheckOptions {
            phrase,
            recording: self.layout().headset_check_recording(),
            seconds: Duration::from_secs(u64::from(self.config.headset_seconds.max(2))),
            input: self.config.input.clone(),
            output: self.config.output.clone(),
            volume: self.config.volume,
            play_back: false,
            events: Some(self.audio_tx.clone()),
        };
        let inner = self.inner.clone();
        let notify = self.notify.clone();
        let busy = self.headset_busy.clone();
        std::thread::spawn(move || {
            let outcome = vpr_audio::headset_check(options);
            let passed = match &outcome {
                Ok(report) => report.ok,
                Err(e) => {
                    notify(Notice::Alert(alert(e.code(), &e.to_string())));
                    false
                }
            };
            let mut inner = lock(&inner);
            match inner.session.headset_checked(passed) {
                Ok(effects) => {
                    drop(effects);
                    let view = inner.view();
                    inner.last_view = Some(view.clone());
                    notify(Notice::View(Box::new(view)));
                }
                Err(e) => tracing::warn!("headset result not taken: {e}"),
            }
            busy.store(false, Ordering::SeqCst);
        });
        Ok(())
    }

    fn fx(&self) -> Fx<'_> {
        Fx {
            config: &self.config,
            notify: &self.notify,
            audio_tx: &self.audio_tx,
        }
    }

    /// Push the view if it changed; return it.
    fn publish(&self, inner: &mut Inner) -> SessionView {
        let view = inner.view();
        if inner.last_view.as_ref() != Some(&view) {
            inner.last_view = Some(view.clone());
            (self.notify)(Notice::View(Box::new(view.clone())));
        }
        view
    }

    fn spawn_ticker(&mut self) {
        let inner = self.inner.clone();
        let stop = self.stop.clone();
        let me = TickerCtx {
            config: self.config.clone(),
            notify: self.notify.clone(),
            audio_tx: self.audio_tx.clone(),
        };
        self.ticker = Some(std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(200));
                let mut guard = lock(&inner);
                me.tick(&mut guard);
            }
        }));
    }

    fn spawn_audio_forwarder(&mut self, rx: mpsc::Receiver<AudioEvent>) {
        let notify = self.notify.clone();
        // Ends by itself when the last sender (runtime, ticker) is gone.
        std::thread::spawn(move || {
            while let Ok(event) = rx.recv() {
                match event {
                    AudioEvent::Level { rms_dbfs, peak } => notify(Notice::Level(LevelMeter {
                        level: ((rms_dbfs + 60.0) / 60.0).clamp(0.0, 1.0),
                        clipping: peak >= 0.99,
                    })),
                    AudioEvent::HeadsetStep { step } => notify(Notice::Headset(step)),
                    AudioEvent::DeviceLost { direction } => notify(Notice::Alert(alert(
                        "device_lost",
                        &format!(
                            "Потеряно звуковое устройство ({}). Организатору: приостановите работу и проверьте гарнитуру.",
                            match direction {
                                vpr_audio::Direction::Input => "микрофон",
                                vpr_audio::Direction::Output => "наушники",
                            }
                        ),
                    ))),
                    _ => {}
                }
            }
        });
    }
}

/// The ticker's view of the runtime (it cannot hold `&ExamRuntime`).
struct TickerCtx {
    config: ExamConfig,
    notify: Notifier,
    audio_tx: mpsc::Sender<AudioEvent>,
}

impl TickerCtx {
    fn tick(&self, inner: &mut Inner) {
        let rt = Fx {
            config: &self.config,
            notify: &self.notify,
            audio_tx: &self.audio_tx,
        };
        // A track that ended tells the session.
        if inner
            .playing
            .as_ref()
            .is_some_and(|p| p.playback.is_finished())
        {
            if let Some(p) = inner.playing.take() {
                let _ = p.playback.wait();
                let told = match p.ends {
                    PlayEnds::Track(play_no) => inner.session.track_finished(play_no),
                    PlayEnds::Prompt(part) => inner.session.prompt_finished(part),
                    PlayEnds::Signal => Ok(Vec::new()),
                };
                match told {
                    Ok(effects) => rt.execute(inner, effects),
                    Err(e) => tracing::warn!(task = p.task, "track end not taken: {e}"),
                }
            }
        }
        // A recording that reached its limit is collected.
        if inner
            .capturing
            .as_ref()
            .is_some_and(|c| c.recording.is_finished())
        {
            rt.finish_recording(inner, false);
        }
        match inner.session.tick() {
            Ok(effects) => rt.execute(inner, effects),
            Err(e) => (self.notify)(Notice::Alert(alert("tick", &e.to_string()))),
        }
        let view = inner.view();
        if inner.last_view.as_ref() != Some(&view) {
            inner.last_view = Some(view.clone());
            (self.notify)(Notice::View(Box::new(view)));
        }
    }
}

fn alert(code: &str, message: &str) -> StationAlert {
    tracing::warn!(code, message, "station alert");
    StationAlert {
        code: code.to_owned(),
        message: message.to_owned(),
    }
}

/// Recordings left «recording» by a crash: repair the WAV from its length and
/// register what survived. Returns the longest gap a crash left in a
/// recording (seconds, last write → now), if any was repaired.
fn repair_unfinished(store: &Store, layout: &StationLayout) -> Option<u64> {
    let Ok(rows) = store.unfinished_recordings() else {
        return None;
    };
    let mut gap: Option<u64> = None;
    for row in rows {
        let Ok(path) = layout.resolve(&row.file) else {
            tracing::warn!(file = %row.file, "recording outside the data folder not repaired");
            continue;
        };
        let repaired = vpr_audio::repair_interrupted(&path, std::time::SystemTime::now())
            .and_then(|i| Ok((i, vpr_audio::wav_info(&path)?)));
        let update = match repaired {
            Ok((interruption, info)) => {
                let g = interruption.gap_seconds();
                tracing::warn!(file = %path.display(), gap_s = g, "interrupted recording repaired");
                gap = Some(gap.map_or(g, |old| old.max(g)));
                RecordingUpdate {
                    status: RecordingStatus::Repaired,
                    sha256: info.sha256.parse().ok(),
                    duration_ms: info.duration_ms,
                    level_flags: LevelFlags::default(),
                }
            }
            Err(e) => {
                tracing::warn!(file = %path.display(), "recording could not be repaired: {e}");
                RecordingUpdate {
                    status: RecordingStatus::Interrupted,
                    sha256: None,
                    duration_ms: 0,
                    level_flags: LevelFlags::default(),
                }
            }
        };
        if let Err(e) = store.update_recording(row.id, &update) {
            tracing::warn!("repaired recording not registered: {e}");
        }
    }
    gap
}

/// The newest unfinished session of this package resumes where it stopped;
/// otherwise a fresh session waits at code entry.
fn new_journal(store: &Arc<Store>, package: &Package, custody: &Custody) -> StoreJournal {
    StoreJournal::new(store.clone(), custody.training)
        .with_custody(
            custody.package_sha256.clone(),
            custody.issuer_fingerprint.clone(),
        )
        .with_package(package)
}

fn resume_or_new(
    store: &Arc<Store>,
    package: &Arc<Package>,
    custody: &Custody,
    seat: Option<u32>,
) -> Result<(ExamSession, Vec<Effect>)> {
    let training = custody.training;
    // The newest session of this package whose work is not closed (a
    // training session keeps the «training» status all along).
    let unfinished = store
        .sessions()?
        .into_iter()
        .filter(|s| {
            matches!(s.status, SessionStatus::Active | SessionStatus::Training)
                && s.package_id == package.id
        })
        .max_by_key(|s| s.id)
        .and_then(|row| {
            let state = row.checkpoint.state.clone();
            match serde_json::from_value::<vpr_exam::session::Checkpoint>(state) {
                Ok(cp) if !matches!(cp.stage, vpr_exam::session::Stage::Closed { .. }) => {
                    Some((row.id, cp))
                }
                Ok(_) => None,
                Err(e) => {
                    tracing::error!(
                        session = row.id,
                        "checkpoint unreadable, starting fresh: {e}"
                    );
                    None
                }
            }
        });
    if let Some((id, cp)) = unfinished {
        let saved: BTreeMap<String, String> = cp.answers.clone();
        let journal =
            StoreJournal::resume(store.clone(), training, id, saved).with_package(package);
        let (session, effects) = Session::resume(package.clone(), cp, SystemClock::new(), journal)?;
        tracing::warn!(
            session = id,
            ?effects,
            "unfinished work resumed after a restart"
        );
        return Ok((session, effects));
    }
    let journal = new_journal(store, package, custody);
    Ok((
        Session::new(
            package.clone(),
            package.variant_for_seat(seat),
            SystemClock::new(),
            journal,
        )?,
        Vec::new(),
    ))
}

impl Drop for ExamRuntime {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        {
            let mut inner = lock(&self.inner);
            let fx = Fx {
                config: &self.config,
                notify: &self.notify,
                audio_tx: &self.audio_tx,
            };
            fx.stop_playback(&mut inner);
            fx.finish_recording(&mut inner, true);
        }
        if let Some(t) = self.ticker.take() {
            let _ = t.join();
        }
    }
}
