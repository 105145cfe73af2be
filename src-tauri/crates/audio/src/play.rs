//! Playback of listening tracks and recordings (rodio) on the chosen or default output.
//!
//! The API has no pause, seek or replay: the session decides how many plays are allowed and asks
//! for each one. The output stream lives on its own thread; a lost device ends the play with an
//! event, harmless stream errors (PulseAudio's `snd_pcm_avail_delay` noise) are ignored.

use std::fs::File;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use rodio::source::EmptyCallback;
use rodio::Source;
use serde::Serialize;
use ts_rs::TS;

use crate::devices::{self, Direction};
use crate::error::{AudioError, Result};
use crate::AudioEvent;

const TICK: Duration = Duration::from_millis(20);
const PROGRESS_EVERY: Duration = Duration::from_millis(250);
/// How long the end of a track may take to reach the speakers after the mixer ran dry.
const TAIL: Duration = Duration::from_millis(150);

/// What to play.
#[derive(Debug, Clone)]
pub struct PlayOptions {
    /// A wav, mp3, ogg or flac file.
    pub path: PathBuf,
    /// Output device id; `None` = the system default.
    pub device: Option<String>,
    /// Station volume, 0.0..=1.0.
    pub volume: f32,
    pub events: Option<Sender<AudioEvent>>,
}

impl PlayOptions {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            device: None,
            volume: 1.0,
            events: None,
        }
    }
}

/// How a play ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PlayEnd {
    Finished,
    Stopped,
}

/// A finished play.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PlayOutcome {
    pub end: PlayEnd,
    /// Position reached, in ms.
    #[ts(type = "number")]
    pub position_ms: u64,
    /// Wall time from start to end, in ms.
    #[ts(type = "number")]
    pub wall_ms: u64,
}

/// A play in progress. Dropping it stops the sound.
pub struct Playback {
    stop: Arc<AtomicBool>,
    done: Arc<AtomicBool>,
    result: Receiver<Result<PlayOutcome>>,
    duration: Option<Duration>,
}

impl Playback {
    /// Open the output, decode the file's header and start playing. Errors (no output device,
    /// unreadable file) are returned here, before any sound.
    pub fn start(options: PlayOptions) -> Result<Playback> {
        let file = File::open(&options.path)?;
        let decoder = rodio::Decoder::try_from(file)
            .map_err(|e| AudioError::Decode(options.path.clone(), Box::new(e)))?;
        let duration = decoder.total_duration();
        Self::start_source(options, decoder, duration)
    }

    /// Play a sine test tone (the technician's speaker check, the recording benchmark's signal).
    /// `options.path` is ignored.
    pub fn start_tone(
        options: PlayOptions,
        freq: f32,
        duration: Duration,
        amplitude: f32,
    ) -> Result<Playback> {
        let tone = rodio::source::SineWave::new(freq)
            .take_duration(duration)
            .amplify(amplitude.clamp(0.0, 1.0) as rodio::Float);
        Self::start_source(options, tone, Some(duration))
    }

    fn start_source<S>(
        options: PlayOptions,
        source: S,
        duration: Option<Duration>,
    ) -> Result<Playback>
    where
        S: Source + Send + 'static,
    {
        let stop = Arc::new(AtomicBool::new(false));
        let done = Arc::new(AtomicBool::new(false));
        let (started_tx, started_rx) = mpsc::sync_channel::<Result<()>>(1);
        let (result_tx, result_rx) = mpsc::channel();
        let (t_stop, t_done) = (stop.clone(), done.clone());
        thread::Builder::new()
            .name("vpr-audio-out".into())
            .spawn(move || {
                output_thread(
                    options, source, duration, t_stop, t_done, started_tx, result_tx,
                )
            })?;
        match started_rx.recv_timeout(Duration::from_secs(10)) {
            Ok(Ok(())) => Ok(Playback {
                stop,
                done,
                result: result_rx,
                duration,
            }),
            Ok(Err(e)) => Err(e),
            Err(_) => {
                stop.store(true, Ordering::Release);
                Err(AudioError::Timeout)
            }
        }
    }

    /// The track's length, when the format tells it.
    pub fn duration(&self) -> Option<Duration> {
        self.duration
    }

    pub fn is_finished(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }

    /// Wait for the end of the track (or a lost device: [`AudioError::DeviceLost`]).
    pub fn wait(self) -> Result<PlayOutcome> {
        self.result.recv().unwrap_or(Err(AudioError::Timeout))
    }

    /// Stop the sound now.
    pub fn stop(self) -> Result<PlayOutcome> {
        self.stop.store(true, Ordering::Release);
        self.result
            .recv_timeout(Duration::from_secs(5))
            .unwrap_or(Err(AudioError::Timeout))
    }
}

impl Drop for Playback {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
    }
}

/// Play a file to the end (a convenience for the coordinator and the headset check).
pub fn play_file(options: PlayOptions) -> Result<PlayOutcome> {
    Playback::start(options)?.wait()
}

fn output_thread<S: Source + Send + 'static>(
    options: PlayOptions,
    source: S,
    duration: Option<Duration>,
    stop: Arc<AtomicBool>,
    done: Arc<AtomicBool>,
    started: mpsc::SyncSender<Result<()>>,
    result: Sender<Result<PlayOutcome>>,
) {
    let lost = Arc::new(AtomicBool::new(false));
    let ended = Arc::new(AtomicBool::new(false));
    let opened =
        devices::open(options.device.as_deref(), Direction::Output).and_then(|(device, _)| {
            let cb_lost = lost.clone();
            rodio::DeviceSinkBuilder::from_device(device)
                .map_err(sink_error)?
                .with_error_callback(move |e: cpal::Error| match e.kind() {
                    cpal::ErrorKind::DeviceNotAvailable | cpal::ErrorKind::StreamInvalidated => {
                        tracing::warn!("устройство вывода потеряно: {e}");
                        cb_lost.store(true, Ordering::Release);
                    }
                    _ => {
                        tracing::trace!("ошибка потока вывода (воспроизведение продолжается): {e}")
                    }
                })
                .open_stream()
                .map_err(sink_error)
        });
    let mut sink = match opened {
        Ok(s) => s,
        Err(e) => {
            done.store(true, Ordering::Release);
            let _ = started.send(Err(e));
            return;
        }
    };
    sink.log_on_drop(false);
    let player = rodio::Player::connect_new(sink.mixer());
    player.set_volume(options.volume.clamp(0.0, 1.0) as rodio::Float);
    player.append(source);
    let cb_ended = ended.clone();
    player.append(EmptyCallback::new(Box::new(move || {
        cb_ended.store(true, Ordering::Release);
    })));
    let t0 = Instant::now();
    let _ = started.send(Ok(()));
    let send = |ev: AudioEvent| {
        if let Some(tx) = &options.events {
            let _ = tx.send(ev);
        }
    };
    let duration_ms = duration.map(|d| d.as_millis() as u64);
    send(AudioEvent::PlaybackStarted { duration_ms });
    let mut last_progress = Instant::now();
    let outcome = loop {
        if ended.load(Ordering::Acquire) {
            thread::sleep(TAIL);
            break Ok(PlayEnd::Finished);
        }
        if stop.load(Ordering::Acquire) {
            player.stop();
            break Ok(PlayEnd::Stopped);
        }
        if lost.load(Ordering::Acquire) {
            break Err(AudioError::DeviceLost { partial: None });
        }
        if last_progress.elapsed() >= PROGRESS_EVERY {
            last_progress = Instant::now();
            send(AudioEvent::PlaybackProgress {
                position_ms: player.get_pos().as_millis() as u64,
                duration_ms,
            });
        }
        thread::sleep(TICK);
    };
    let position_ms = player.get_pos().as_millis() as u64;
    let outcome = outcome.map(|end| PlayOutcome {
        end,
        position_ms: if end == PlayEnd::Finished {
            duration_ms.unwrap_or(position_ms)
        } else {
            position_ms
        },
        wall_ms: t0.elapsed().as_millis() as u64,
    });
    match &outcome {
        Ok(o) => send(AudioEvent::PlaybackFinished { end: o.end }),
        Err(_) => send(AudioEvent::DeviceLost {
            direction: Direction::Output,
        }),
    }
    done.store(true, Ordering::Release);
    // Report first: with a dead sound server the drops below may block this thread.
    let _ = result.send(outcome);
    drop(player);
    drop(sink);
}

fn sink_error(e: rodio::DeviceSinkError) -> AudioError {
    use rodio::DeviceSinkError as E;
    match e {
        E::PlayError(c)
        | E::DefaultSinkConfigError(c)
        | E::BuildError(c)
        | E::SupportedConfigsError(c) => AudioError::from_output(c),
        E::NoDevice => AudioError::NoOutputDevice(None),
        E::UnsupportedSampleFormat => AudioError::UnsupportedFormat(cpal::Error::with_message(
            cpal::ErrorKind::UnsupportedConfig,
            "sample format",
        )),
    }
}
