//! Sound set-up: the saved devices and volume (`audio.json`), the device
//! checks, the headset check, control recordings and their play-back.

use std::{path::PathBuf, sync::mpsc::Sender, time::Duration};

use vpr_audio::{
    AudioEvent, AudioSettings, Direction, HeadsetCheckOptions, RecordOptions, Recording,
    RecordingResult,
};
use vpr_package::time::OffsetDateTime;

use crate::{
    readiness::check,
    technician::TechnicianError,
    technician::{AudioCheck, AudioDevice, AudioSetup, CheckStatus, ReadinessCheck, Result},
    StationLayout,
};

/// Length of the headset check's recording, seconds (technician, student
/// and `vpr station check` alike).
pub const HEADSET_SECONDS: u32 = 3;

/// The saved choice; the system defaults at full volume when nothing was
/// saved yet. A file that exists but cannot be read is an error.
pub fn settings(layout: &StationLayout) -> Result<AudioSettings> {
    Ok(AudioSettings::load(&layout.audio_settings())?)
}

/// The devices this station offers and the saved choice.
pub fn setup(layout: &StationLayout) -> Result<AudioSetup> {
    let saved = settings(layout)?;
    let devices = vpr_audio::list_devices()?
        .into_iter()
        .map(|d| AudioDevice {
            id: d.id,
            name: d.name,
            input: d.direction == Direction::Input,
            is_default: d.is_default,
        })
        .collect();
    Ok(AudioSetup {
        devices,
        input: saved.input,
        output: saved.output,
        volume: saved.volume,
    })
}

/// Save the choice after checking that each chosen device opens.
pub fn save(
    layout: &StationLayout,
    input: Option<String>,
    output: Option<String>,
    volume: f32,
) -> Result<AudioSetup> {
    if !(0.0..=1.0).contains(&volume) || volume.is_nan() {
        return Err(TechnicianError::Invalid("Громкость — от 0 до 100 %".into()));
    }
    let input = input.filter(|s| !s.is_empty());
    let output = output.filter(|s| !s.is_empty());
    vpr_audio::check_device(input.as_deref(), Direction::Input)?;
    vpr_audio::check_device(output.as_deref(), Direction::Output)?;
    AudioSettings {
        input,
        output,
        volume,
    }
    .save(&layout.audio_settings())?;
    tracing::info!("sound set-up saved");
    setup(layout)
}

/// Play the test phrase, record `seconds`, play the recording back, on
/// `devices`. Blocks for the whole check; levels go to `events`.
pub fn headset_check(
    layout: &StationLayout,
    phrase: Option<PathBuf>,
    devices: &AudioSettings,
    seconds: u32,
    events: Option<Sender<AudioEvent>>,
) -> Result<AudioCheck> {
    let phrase = phrase
        .filter(|p| p.is_file())
        .ok_or(TechnicianError::NoPhrase)?;
    layout.create_control_dir()?;
    let report = vpr_audio::headset_check(HeadsetCheckOptions {
        phrase,
        recording: layout.headset_check_recording(),
        seconds: Duration::from_secs(u64::from(seconds.clamp(1, 60))),
        input: devices.input.clone(),
        output: devices.output.clone(),
        volume: devices.volume,
        play_back: true,
        events,
    })?;
    Ok(check_of(&report.recording))
}

/// The control recording the regulations ask for, kept in the control
/// folder (`control-<UTC time>.wav`).
pub fn control_recording(
    layout: &StationLayout,
    seconds: u32,
    events: Sender<AudioEvent>,
) -> Result<AudioCheck> {
    if !(2..=60).contains(&seconds) {
        return Err(TechnicianError::Invalid(
            "Длительность контрольной записи — от 2 до 60 секунд".into(),
        ));
    }
    let devices = settings(layout)?;
    layout.create_control_dir()?;
    let now = OffsetDateTime::now_utc();
    let path = layout.control_recording(&format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    ));
    let mut opts = RecordOptions::new(&path);
    opts.device = devices.input;
    opts.duration = Some(Duration::from_secs(u64::from(seconds)));
    opts.events = Some(events);
    let result = Recording::start(opts)?.wait()?;
    tracing::info!(file = %result.path.display(), "control recording saved");
    Ok(check_of(&result))
}

/// Play a recording of the control folder on the chosen output.
pub fn play_recording(
    layout: &StationLayout,
    file: &str,
    events: Sender<AudioEvent>,
) -> Result<()> {
    let path = PathBuf::from(file);
    let inside = path
        .canonicalize()
        .ok()
        .zip(layout.control_dir().canonicalize().ok())
        .is_some_and(|(p, d)| p.starts_with(d));
    if !inside {
        return Err(TechnicianError::NoFile(path));
    }
    let devices = settings(layout)?;
    vpr_audio::play_file(vpr_audio::PlayOptions {
        path,
        device: devices.output,
        volume: devices.volume,
        events: Some(events),
    })?;
    Ok(())
}

/// Devices listed, and the chosen (or default) input and output opened.
pub fn device_checks(devices: &AudioSettings) -> Vec<ReadinessCheck> {
    let mut checks = Vec::new();
    checks.push(match vpr_audio::list_devices() {
        Ok(list) => {
            let n = |d: Direction| list.iter().filter(|x| x.direction == d).count();
            let (inputs, outputs) = (n(Direction::Input), n(Direction::Output));
            check(
                "devices",
                "звуковые устройства",
                if inputs == 0 || outputs == 0 {
                    CheckStatus::Failed
                } else {
                    CheckStatus::Ok
                },
                format!("микрофонов: {inputs}, устройств вывода: {outputs}"),
            )
        }
        Err(e) => check(
            "devices",
            "звуковые устройства",
            CheckStatus::Failed,
            e.to_string(),
        ),
    });
    for (id, name, device, direction) in [
        (
            "input",
            "микрофон",
            devices.input.as_deref(),
            Direction::Input,
        ),
        (
            "output",
            "наушники",
            devices.output.as_deref(),
            Direction::Output,
        ),
    ] {
        checks.push(match vpr_audio::check_device(device, direction) {
            Ok(d) => check(
                id,
                name,
                CheckStatus::Ok,
                format!(
                    "{} [{}]: {} Гц, каналов {}, {}",
                    d.name, d.id, d.sample_rate, d.channels, d.sample_format
                ),
            ),
            Err(e) => check(id, name, CheckStatus::Failed, e.to_string()),
        });
    }
    checks
}

/// The headset check as one line of the readiness list.
pub fn headset_line(outcome: &Result<AudioCheck>) -> ReadinessCheck {
    match outcome {
        Ok(c) => {
            let verdict = if c.silent {
                "тишина: микрофон ничего не записывает"
            } else if c.clipped {
                "перегрузка: уменьшите усиление микрофона"
            } else {
                "уровень в норме"
            };
            check(
                "headset",
                "проверка гарнитуры",
                if c.ok {
                    CheckStatus::Ok
                } else {
                    CheckStatus::Failed
                },
                format!(
                    "{verdict}; пик {:.2}, громкий участок {:.1} дБ FS; контрольная запись {} ({} мс)",
                    c.peak, c.max_window_dbfs, c.file, c.duration_ms
                ),
            )
        }
        Err(e) => check(
            "headset",
            "проверка гарнитуры",
            CheckStatus::Failed,
            e.to_string(),
        ),
    }
}

fn check_of(r: &RecordingResult) -> AudioCheck {
    AudioCheck {
        file: r.path.display().to_string(),
        ok: !r.levels.silent && !r.levels.clipped,
        silent: r.levels.silent,
        clipped: r.levels.clipped,
        max_window_dbfs: r.levels.max_window_dbfs,
        peak: r.levels.peak,
        duration_ms: r.duration_ms,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use vpr_error::Coded;

    #[test]
    fn settings_missing_is_full_volume_and_corrupt_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let layout = StationLayout::new(dir.path());
        assert_eq!(settings(&layout).unwrap(), AudioSettings::system_defaults());
        assert_eq!(settings(&layout).unwrap().volume, 1.0);
        std::fs::write(layout.audio_settings(), b"{ not json").unwrap();
        assert_eq!(settings(&layout).unwrap_err().code(), "audio_settings");
        std::fs::write(layout.audio_settings(), br#"{"volume": 7}"#).unwrap();
        assert!(
            settings(&layout).is_err(),
            "a volume outside 0..=1 is refused"
        );
    }

    #[test]
    fn a_missing_device_is_named_in_russian() {
        let checks = device_checks(&AudioSettings {
            input: Some("alsa:no-such-microphone".into()),
            output: None,
            volume: 1.0,
        });
        let mic = checks.iter().find(|c| c.id == "input").unwrap();
        assert_eq!(mic.status, CheckStatus::Failed, "{mic:?}");
        assert!(
            mic.detail.chars().any(|c| ('а'..='я').contains(&c)),
            "{mic:?}"
        );
    }

    #[test]
    fn control_recordings_only_play_from_the_control_folder() {
        let dir = tempfile::tempdir().unwrap();
        let layout = StationLayout::new(dir.path());
        let (tx, _rx) = std::sync::mpsc::channel();
        let outside = dir.path().join("x.wav");
        std::fs::write(&outside, b"x").unwrap();
        let e = play_recording(&layout, outside.to_str().unwrap(), tx.clone()).unwrap_err();
        assert_eq!(e.code(), "no_file");
        let e = control_recording(&layout, 1, tx).unwrap_err();
        assert_eq!(e.code(), "technician_invalid");
    }
}
