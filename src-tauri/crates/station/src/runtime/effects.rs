//! The session's effects carried out on the real devices and the store:
//! playback, recording start and finish, the notices that go with them.

use super::*;

/// The answer window's signal: 1 kHz for 0.4 s, at a comfortable level.
const SIGNAL_HZ: f32 = 1_000.0;
const SIGNAL: std::time::Duration = std::time::Duration::from_millis(400);
const SIGNAL_AMPLITUDE: f32 = 0.3;

/// Borrowed pieces of the runtime that effect execution needs.
pub(super) struct Fx<'a> {
    pub(super) config: &'a ExamConfig,
    pub(super) notify: &'a Notifier,
    pub(super) audio_tx: &'a mpsc::Sender<AudioEvent>,
}

impl Fx<'_> {
    /// Carry out what the session asked for.
    pub(super) fn execute(&self, inner: &mut Inner, effects: Vec<Effect>) {
        for effect in effects {
            tracing::info!(?effect, "station effect");
            match effect {
                Effect::PlayTrack {
                    task,
                    track,
                    play_no,
                    plays,
                } => {
                    self.stop_playback(inner);
                    if let Some(id) = inner.session.journal().session_id() {
                        if let Err(e) = inner.store.record_play(id, &track, plays) {
                            tracing::warn!("play not recorded in the store: {e}");
                        }
                    }
                    match Playback::start(self.play_options(&track)) {
                        Ok(playback) => {
                            inner.playing = Some(Playing {
                                task,
                                ends: PlayEnds::Track(play_no),
                                playback,
                            })
                        }
                        Err(e) => (self.notify)(Notice::Alert(alert(e.code(), &e.to_string()))),
                    }
                }
                Effect::PlayPrompt { task, track, part } => {
                    self.stop_playback(inner);
                    match Playback::start(self.play_options(&track)) {
                        Ok(playback) => {
                            inner.playing = Some(Playing {
                                task,
                                ends: PlayEnds::Prompt(part),
                                playback,
                            })
                        }
                        // The session's timer still ends a task's step after the
                        // prompt's length: the work goes on. The briefing (task 0)
                        // has no timer: it is over at once.
                        Err(e) => {
                            (self.notify)(Notice::Alert(alert(e.code(), &e.to_string())));
                            if task == 0 {
                                match inner.session.prompt_finished(part) {
                                    Ok(more) => self.execute(inner, more),
                                    Err(e) => tracing::warn!("briefing end not taken: {e}"),
                                }
                            }
                        }
                    }
                }
                Effect::StopTrack { .. } => self.stop_playback(inner),
                Effect::StartRecording {
                    task,
                    segment,
                    max_ms,
                    part,
                    beep,
                } => {
                    self.finish_recording(inner, false);
                    if beep {
                        self.signal(inner, task);
                    }
                    if let Err(e) = self.start_recording(inner, task, segment, max_ms, part) {
                        (self.notify)(Notice::Alert(alert(e.code(), &e.to_string())));
                    }
                }
                Effect::StopRecording { .. } => self.finish_recording(inner, true),
                Effect::Reminder { minutes_left } => {
                    tracing::info!(minutes_left, "reminder shown");
                }
                gap @ Effect::ClockGap { .. } => {
                    let message = gap.alert_ru().unwrap_or_default();
                    (self.notify)(Notice::Alert(alert("clock_gap", &message)));
                }
                Effect::Closed { reason } => {
                    self.stop_playback(inner);
                    self.finish_recording(inner, true);
                    tracing::info!(?reason, "session closed");
                }
            }
        }
    }

    /// Playing `track` of the package on the station's output, its events to the runtime.
    fn play_options(&self, track: &str) -> PlayOptions {
        let mut opts = PlayOptions::new(self.config.package_dir.join(track));
        opts.device = self.config.output.clone();
        opts.volume = self.config.volume;
        opts.events = Some(self.audio_tx.clone());
        opts
    }

    /// The short signal (a beep) that opens an answer window.
    fn signal(&self, inner: &mut Inner, task: u32) {
        self.stop_playback(inner);
        let mut opts = self.play_options("");
        opts.events = None;
        match Playback::start_tone(opts, SIGNAL_HZ, SIGNAL, SIGNAL_AMPLITUDE) {
            Ok(playback) => {
                inner.playing = Some(Playing {
                    task,
                    ends: PlayEnds::Signal,
                    playback,
                })
            }
            Err(e) => tracing::warn!("answer signal not played: {e}"),
        }
    }

    pub(super) fn start_recording(
        &self,
        inner: &mut Inner,
        task: u32,
        segment: u32,
        max_ms: u32,
        part: Option<u32>,
    ) -> Result<()> {
        let session_id = inner
            .session
            .journal()
            .session_id()
            .ok_or(StationError::NoSession)?;
        let code = inner.session.checkpoint().code.clone().unwrap_or_default();
        // Training and exam sessions number themselves in separate databases:
        // their recordings live in separate folders too.
        let rel = StationLayout::answer_recording(inner.training, session_id, &code, task, segment);
        let path = StationLayout::new(&self.config.data_dir).resolve(&rel)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| StationError::DataDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let row = inner.store.start_recording(&NewRecording {
            session_id,
            task: task.to_string(),
            item: Some(match part {
                Some(part) => format!("q{part}.{segment}"),
                None => segment.to_string(),
            }),
            file: rel,
        })?;
        let mut opts = RecordOptions::new(path);
        opts.device = self.config.input.clone();
        opts.duration = Some(Duration::from_millis(u64::from(max_ms)));
        opts.events = Some(self.audio_tx.clone());
        match Recording::start(opts) {
            Ok(recording) => {
                inner.capturing = Some(Capturing {
                    task,
                    store_id: row.id,
                    recording,
                });
                Ok(())
            }
            Err(e) => {
                let _ = inner.store.update_recording(
                    row.id,
                    &RecordingUpdate {
                        status: RecordingStatus::Interrupted,
                        sha256: None,
                        duration_ms: 0,
                        level_flags: LevelFlags::default(),
                    },
                );
                Err(e.into())
            }
        }
    }

    /// Stop (or collect, when it stopped at its limit) the running recording
    /// and register its hash, duration and level flags.
    pub(super) fn finish_recording(&self, inner: &mut Inner, stop: bool) {
        let Some(c) = inner.capturing.take() else {
            return;
        };
        let result = if stop {
            c.recording.stop()
        } else {
            c.recording.wait()
        };
        let update = match result {
            Ok(r) => {
                if r.levels.silent {
                    (self.notify)(Notice::Alert(alert(
                        "mic_silent",
                        "Микрофон не записывает звук. Организатору: проверьте гарнитуру.",
                    )));
                }
                RecordingUpdate {
                    status: RecordingStatus::Complete,
                    sha256: r.sha256.parse().ok(),
                    duration_ms: r.duration_ms,
                    level_flags: LevelFlags {
                        silent: r.levels.silent,
                        too_quiet: r.levels.max_window_dbfs < -40.0 && !r.levels.silent,
                        clipped: r.levels.clipped,
                    },
                }
            }
            Err(e) => {
                (self.notify)(Notice::Alert(alert(e.code(), &e.to_string())));
                RecordingUpdate {
                    status: RecordingStatus::Interrupted,
                    sha256: None,
                    duration_ms: 0,
                    level_flags: LevelFlags::default(),
                }
            }
        };
        tracing::info!(task = c.task, ?update, "recording finished");
        if let Err(e) = inner.store.update_recording(c.store_id, &update) {
            (self.notify)(Notice::Alert(alert("store", &e.to_string())));
        }
    }

    pub(super) fn stop_playback(&self, inner: &mut Inner) {
        if let Some(p) = inner.playing.take() {
            let _ = p.playback.stop();
        }
    }
}
