//! The headset check: play a test phrase, record N seconds, report levels, play the recording back.
//! Used by the technician's device screen and the student's pre-exam check.

use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::time::Duration;

use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::play::{play_file, PlayOptions};
use crate::record::{RecordOptions, Recording, RecordingResult};
use crate::AudioEvent;

/// What the headset check does.
#[derive(Debug, Clone)]
pub struct HeadsetCheckOptions {
    /// The test phrase played first (headphones check).
    pub phrase: PathBuf,
    /// Where the test recording goes.
    pub recording: PathBuf,
    pub seconds: Duration,
    pub input: Option<String>,
    pub output: Option<String>,
    pub volume: f32,
    /// Play the recording back at the end.
    pub play_back: bool,
    pub events: Option<Sender<AudioEvent>>,
}

/// Which step of the check is running (sent as [`AudioEvent::HeadsetStep`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HeadsetStep {
    PlayingPhrase,
    Recording,
    PlayingBack,
    Done,
}

/// The check's result: the recording with its level flags.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct HeadsetReport {
    pub recording: RecordingResult,
    /// The microphone works: the recording is neither silent nor clipped.
    pub ok: bool,
}

/// Run the whole check; the first failing step's error is returned.
pub fn headset_check(options: HeadsetCheckOptions) -> Result<HeadsetReport> {
    let step = |s: HeadsetStep| {
        if let Some(tx) = &options.events {
            let _ = tx.send(AudioEvent::HeadsetStep { step: s });
        }
    };
    step(HeadsetStep::PlayingPhrase);
    play_file(PlayOptions {
        path: options.phrase.clone(),
        device: options.output.clone(),
        volume: options.volume,
        events: options.events.clone(),
    })?;
    step(HeadsetStep::Recording);
    let recording = Recording::start(RecordOptions {
        path: options.recording.clone(),
        device: options.input.clone(),
        duration: Some(options.seconds),
        events: options.events.clone(),
        period_frames: None,
    })?
    .wait()?;
    if options.play_back {
        step(HeadsetStep::PlayingBack);
        play_file(PlayOptions {
            path: options.recording.clone(),
            device: options.output.clone(),
            volume: options.volume,
            events: options.events.clone(),
        })?;
    }
    step(HeadsetStep::Done);
    let ok = !recording.levels.silent && !recording.levels.clipped;
    Ok(HeadsetReport { recording, ok })
}
