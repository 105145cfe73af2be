//! The audio engine on the real stack: PulseAudio with null sinks `vspeaker` and `vmic`
//! (started by `tests/support/pulse-up.sh`, which these tests call themselves; it is idempotent).
//!
//! The tests share one sound server, so each takes `SERIAL` first: they run one at a time
//! whatever `--test-threads` says.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use vpr_audio::levels::tone_amplitude;
use vpr_audio::{
    check_device, list_devices, read_mono, repair, wav_info, AudioError, AudioEvent, AudioSettings,
    Direction, PlayOptions, Playback, RecordOptions, Recording, StopReason, RECORD_RATE,
};
use vpr_error::Coded;

static SERIAL: Mutex<()> = Mutex::new(());

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

fn fixture(rel: &str) -> PathBuf {
    repo().join("audio-fixtures").join(rel)
}

/// Start (or reuse) the daemon and point this process at it.
fn pulse_up() {
    let out = Command::new(repo().join("tests/support/pulse-up.sh"))
        .stderr(Stdio::inherit())
        .output()
        .expect("tests/support/pulse-up.sh runs (pulseaudio and pulseaudio-utils installed?)");
    assert!(out.status.success(), "pulse-up.sh failed");
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if let Some((k, v)) = line.strip_prefix("export ").and_then(|l| l.split_once('=')) {
            std::env::set_var(k, v.trim_matches('\''));
        }
    }
}

fn serial() -> MutexGuard<'static, ()> {
    let guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    pulse_up();
    guard
}

/// Choose which sink's monitor the default input (ALSA `default` → PulseAudio) records: libpulse
/// reads `PULSE_SOURCE` each time a stream opens. (Changing the server's default source instead
/// would also move the keep-alive clients off their monitors.)
fn record_from(sink: &str) {
    std::env::set_var("PULSE_SOURCE", format!("{sink}.monitor"));
}

/// Feed a file into the fake microphone.
fn paplay_into_vmic(file: &Path) -> Child {
    Command::new("paplay")
        .args(["-d", "vmic"])
        .arg(file)
        .spawn()
        .expect("paplay")
}

fn wait_with_timeout<T: Send + 'static>(
    what: &str,
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("{what} hung for more than {limit:?}"))
}

#[test]
fn devices_are_listed_checked_and_the_choice_persists() {
    let _g = serial();
    let devices = list_devices().expect("list");
    assert!(
        devices.iter().any(|d| d.direction == Direction::Input),
        "{devices:?}"
    );
    assert!(
        devices.iter().any(|d| d.direction == Direction::Output),
        "{devices:?}"
    );
    assert!(
        devices.iter().all(|d| !d.id.ends_with(":null")),
        "alsa:null is never offered"
    );
    // No ALSA plugin is offered as a device (issue 15, item 7): rate
    // converters, JACK, OSS, mixers are not something a person plugs in.
    for plugin in [
        "jack",
        "oss",
        "lavrate",
        "samplerate",
        "speexrate",
        "upmix",
        "vdownmix",
    ] {
        assert!(
            devices.iter().all(|d| d.id != format!("alsa:{plugin}")),
            "{plugin} hidden: {devices:?}"
        );
    }
    // The sound server's entries carry its own device's name (the null sinks
    // of the test server are `vspeaker` and `vmic.monitor`), the default first.
    let default_out = devices
        .iter()
        .find(|d| d.direction == Direction::Output && d.is_default)
        .expect("a default output is marked");
    assert!(
        default_out.name.contains("vspeaker") || default_out.name.contains("vmic"),
        "named after the server's default sink: {default_out:?}"
    );
    assert_eq!(
        devices
            .iter()
            .position(|d| d.direction == Direction::Output),
        devices
            .iter()
            .position(|d| d.direction == Direction::Output && d.is_default),
        "the default output comes first"
    );
    let input = check_device(None, Direction::Input).expect("default input opens");
    assert!(input.sample_rate > 0 && input.channels > 0);
    let output = check_device(None, Direction::Output).expect("default output opens");
    // A stable id: checking it by id finds the same device.
    let again = check_device(Some(&input.id), Direction::Input).expect("by id");
    assert_eq!(again.id, input.id);
    let err = check_device(Some("alsa:null"), Direction::Input).expect_err("null refused");
    assert_eq!(err.code(), "audio_unknown_device");
    let err = check_device(Some("alsa:no-such-device"), Direction::Output).expect_err("unknown");
    assert_eq!(err.code(), "audio_unknown_device");

    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("audio.json");
    assert_eq!(AudioSettings::load(&file).expect("defaults").volume, 1.0);
    let chosen = AudioSettings {
        input: Some(input.id.clone()),
        output: Some(output.id.clone()),
        volume: 0.8,
    };
    chosen.save(&file).expect("save");
    assert_eq!(AudioSettings::load(&file).expect("load"), chosen);
}

#[test]
fn loopback_tone_is_captured_in_real_time() {
    let _g = serial();
    record_from("vspeaker");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("loopback.wav");
    let (tx, rx) = mpsc::channel();
    // A short device period (50 ms asked, ~33 ms granted): the captured length is quantised to
    // whole periods, and the default 200 ms period alone would be 4 % of this 5 s recording.
    let rec = Recording::start(RecordOptions {
        events: Some(tx.clone()),
        period_frames: Some(2400),
        ..RecordOptions::new(&path)
    })
    .expect("recording starts");
    let t0 = Instant::now();
    std::thread::sleep(Duration::from_millis(300));
    let play = Playback::start(PlayOptions {
        events: Some(tx),
        ..PlayOptions::new(fixture("tones/sine-1khz-3s.wav"))
    })
    .expect("playback starts");
    assert_eq!(play.duration().map(|d| d.as_millis()), Some(3000));
    let outcome = play.wait().expect("plays to the end");
    assert_eq!(outcome.end, vpr_audio::PlayEnd::Finished);
    std::thread::sleep(Duration::from_millis(1500));
    let wall = t0.elapsed();
    let result = rec.stop().expect("stops");
    assert_eq!(result.stopped_by, StopReason::Request);

    let captured = result.samples as f64 / f64::from(RECORD_RATE);
    let ratio = captured / wall.as_secs_f64();
    assert!(
        (ratio - 1.0).abs() < 0.02,
        "captured {captured:.3} s in {wall:?} wall (ratio {ratio:.4}): {:?}",
        result.capture
    );
    assert_eq!(result.capture.lost_samples, 0);

    let (samples, rate) = read_mono(&path).expect("the WAV reads back");
    assert_eq!(rate, RECORD_RATE);
    assert_eq!(samples.len() as u64, result.samples);
    // The tone, in the second of audio around the middle of the play.
    let mid = (0.3 + 1.5) * f64::from(RECORD_RATE);
    let span = &samples[(mid as usize - 11_025)..(mid as usize + 11_025)];
    let at_1k = tone_amplitude(span, RECORD_RATE, 1000.0);
    let at_1k5 = tone_amplitude(span, RECORD_RATE, 1500.0);
    assert!(at_1k > 0.3, "1 kHz amplitude {at_1k}");
    assert!(at_1k5 < 0.02, "1.5 kHz amplitude {at_1k5}");
    assert!(
        !result.levels.silent && !result.levels.clipped,
        "{:?}",
        result.levels
    );
    let events: Vec<AudioEvent> = rx.try_iter().collect();
    let levels = events
        .iter()
        .filter(|e| matches!(e, AudioEvent::Level { .. }))
        .count();
    assert!(
        levels as f64 >= captured * 15.0,
        "about 20 level events a second, got {levels}"
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, AudioEvent::PlaybackStarted { .. })));
    assert!(events
        .iter()
        .any(|e| matches!(e, AudioEvent::PlaybackFinished { .. })));
    assert_eq!(wav_info(&path).expect("info").sha256, result.sha256);
}

/// RMS per `win_ms` window, for comparing the shape of two signals at different rates.
fn envelope(samples: &[f32], rate: u32, win_ms: u32) -> Vec<f64> {
    let win = (rate * win_ms / 1000) as usize;
    samples
        .chunks_exact(win)
        .map(|w| (w.iter().map(|&x| f64::from(x) * f64::from(x)).sum::<f64>() / win as f64).sqrt())
        .collect()
}

/// Pearson correlation of `a` against `b` shifted by `lag` windows.
fn correlation(a: &[f64], b: &[f64], lag: usize) -> f64 {
    let n = a.len().min(b.len().saturating_sub(lag));
    if n < 10 {
        return 0.0;
    }
    let (a, b) = (&a[..n], &b[lag..lag + n]);
    let (ma, mb) = (
        a.iter().sum::<f64>() / n as f64,
        b.iter().sum::<f64>() / n as f64,
    );
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt().max(1e-12)
}

#[test]
fn an_mp3_track_is_heard_whole_at_the_speaker() {
    let _g = serial();
    record_from("vspeaker");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("mp3-loopback.wav");
    let mp3 = fixture("media/phrase.mp3");
    // What the file holds, decoded apart from playback: 44.1 kHz mono, 3.22 s.
    let reference = rodio::Decoder::try_from(std::fs::File::open(&mp3).expect("fixture"))
        .expect("the fixture decodes");
    let (ref_rate, ref_channels) = (
        rodio::Source::sample_rate(&reference).get(),
        rodio::Source::channels(&reference).get(),
    );
    let reference: Vec<f32> = reference.collect();
    assert_eq!((ref_rate, ref_channels), (44_100, 1));
    let ref_ms = reference.len() as u64 * 1000 / u64::from(ref_rate);
    assert!(ref_ms.abs_diff(3220) <= 30, "{ref_ms} ms");

    let rec = Recording::start(RecordOptions {
        period_frames: Some(2400),
        ..RecordOptions::new(&path)
    })
    .expect("recording starts");
    std::thread::sleep(Duration::from_millis(300));
    let play = Playback::start(PlayOptions::new(&mp3)).expect("MP3 playback starts");
    // The length comes from the LAME header, less the encoder's delay and padding.
    let told = play
        .duration()
        .expect("an MP3 with a LAME header tells its length");
    assert!(
        told.as_millis().abs_diff(u128::from(ref_ms)) <= 30,
        "{told:?}"
    );
    let outcome = play.wait().expect("plays to the end");
    assert_eq!(outcome.end, vpr_audio::PlayEnd::Finished);
    // Played in real time: the wall time is the track plus the output's latency.
    assert!(
        outcome.wall_ms >= ref_ms && outcome.wall_ms <= ref_ms + 700,
        "{outcome:?} for a {ref_ms} ms track"
    );
    std::thread::sleep(Duration::from_millis(700));
    let result = rec.stop().expect("stops");
    assert_eq!(result.capture.lost_samples, 0);
    let (captured, rate) = read_mono(&path).expect("the WAV reads back");

    // Heard: the speaker's monitor carries the phrase's own envelope (20 ms windows), at
    // some lag, start to end.
    let want = envelope(&reference, ref_rate, 20);
    let got = envelope(&captured, rate, 20);
    let (lag, best) = (0..got.len().saturating_sub(want.len()))
        .map(|lag| (lag, correlation(&want, &got, lag)))
        .fold((0, f64::MIN), |a, b| if b.1 > a.1 { b } else { a });
    assert!(best > 0.9, "envelope correlation {best:.3} at lag {lag}");
    let onset_ms = lag as u64 * 20;
    eprintln!(
        "mp3 at the speaker: envelope correlation {best:.3}, onset {onset_ms} ms, \
         played in {} ms for {ref_ms} ms",
        outcome.wall_ms
    );
    assert!(
        (150..1500).contains(&onset_ms),
        "the phrase starts {onset_ms} ms into the capture"
    );
    // Silence before the play and after it; the phrase at full level in between.
    let before = &got[..10];
    let during = &got[lag..lag + want.len()];
    let level = |w: &[f64]| w.iter().cloned().fold(0.0, f64::max);
    assert!(level(before) < 0.01, "before: {:.4}", level(before));
    assert!(level(during) > 0.2, "during: {:.4}", level(during));
    let after = &got[(lag + want.len() + 5).min(got.len())..];
    assert!(
        !after.is_empty() && level(after) < 0.01,
        "after: {:.4}",
        level(after)
    );
}

#[test]
fn speech_fed_into_the_microphone_is_recorded_for_the_exact_duration() {
    let _g = serial();
    record_from("vmic");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("answer.wav");
    let rec = Recording::start(RecordOptions {
        duration: Some(Duration::from_secs(4)),
        ..RecordOptions::new(&path)
    })
    .expect("recording starts");
    let mut feeder = paplay_into_vmic(&fixture("speech/answer-en.wav"));
    let result = wait_with_timeout("recording", Duration::from_secs(15), move || rec.wait())
        .expect("recorded");
    let _ = feeder.kill();
    let _ = feeder.wait();
    assert_eq!(result.stopped_by, StopReason::Duration);
    assert_eq!(result.samples, 4 * u64::from(RECORD_RATE));
    assert_eq!(result.duration_ms, 4000);
    assert!(!result.levels.silent, "{:?}", result.levels);
    assert!(!result.levels.clipped, "{:?}", result.levels);
    assert!(
        result.capture.syncs >= 4,
        "synced at least every second: {:?}",
        result.capture
    );
    assert!(
        result.capture.max_sync_gap_ms <= 1000,
        "{:?}",
        result.capture
    );
    let info = wav_info(&path).expect("info");
    assert_eq!(
        (info.sample_rate, info.channels, info.bits_per_sample),
        (22_050, 1, 16)
    );
    assert_eq!(info.duration_ms, 4000);
    assert_eq!(info.sha256, result.sha256);
    assert!(
        repair(&path).expect("repair").was_valid,
        "a finished recording needs no repair"
    );
}

#[test]
fn silence_is_flagged() {
    let _g = serial();
    record_from("vmic");
    let dir = tempfile::tempdir().expect("tempdir");
    let result = Recording::start(RecordOptions {
        duration: Some(Duration::from_millis(1500)),
        ..RecordOptions::new(dir.path().join("quiet.wav"))
    })
    .expect("starts")
    .wait()
    .expect("recorded");
    assert!(result.levels.silent, "{:?}", result.levels);
    assert!(!result.levels.clipped);
    assert_eq!(result.samples, 33_075);
}

#[test]
fn clipping_is_flagged() {
    let _g = serial();
    record_from("vmic");
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = Recording::start(RecordOptions {
        duration: Some(Duration::from_secs(2)),
        ..RecordOptions::new(dir.path().join("loud.wav"))
    })
    .expect("starts");
    let mut feeder = paplay_into_vmic(&fixture("tones/clipped-440hz-3s.wav"));
    let result = wait_with_timeout("recording", Duration::from_secs(10), move || rec.wait())
        .expect("recorded");
    let _ = feeder.wait();
    assert!(result.levels.clipped, "{:?}", result.levels);
    assert!(!result.levels.silent);
}

#[test]
fn headset_check_plays_records_and_plays_back() {
    let _g = serial();
    record_from("vmic");
    let dir = tempfile::tempdir().expect("tempdir");
    let (tx, rx) = mpsc::channel();
    let opts = vpr_audio::HeadsetCheckOptions {
        phrase: fixture("speech/headset-phrase-ru.wav"),
        recording: dir.path().join("check.wav"),
        seconds: Duration::from_secs(2),
        input: None,
        output: None,
        volume: 1.0,
        play_back: true,
        events: Some(tx),
    };
    // Speak into the microphone while the check records (after the ~5 s phrase).
    let speaker = std::thread::spawn(|| {
        std::thread::sleep(Duration::from_millis(5000));
        let mut p = paplay_into_vmic(&fixture("speech/answer-en.wav"));
        std::thread::sleep(Duration::from_secs(3));
        let _ = p.kill();
        let _ = p.wait();
    });
    let report = wait_with_timeout("headset check", Duration::from_secs(30), move || {
        vpr_audio::headset_check(opts)
    })
    .expect("check runs");
    let _ = speaker.join();
    assert_eq!(report.recording.samples, 2 * u64::from(RECORD_RATE));
    let steps: Vec<_> = rx
        .try_iter()
        .filter_map(|e| match e {
            AudioEvent::HeadsetStep { step } => Some(step),
            _ => None,
        })
        .collect();
    use vpr_audio::HeadsetStep as S;
    assert_eq!(
        steps,
        [S::PlayingPhrase, S::Recording, S::PlayingBack, S::Done]
    );
    assert!(
        report.ok,
        "speech was fed while recording: {:?}",
        report.recording.levels
    );
}

#[test]
fn killing_the_sound_server_mid_recording_is_a_device_loss_not_a_hang() {
    let _g = serial();
    record_from("vmic");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("interrupted.wav");
    let (tx, rx) = mpsc::channel();
    let rec = Recording::start(RecordOptions {
        events: Some(tx),
        ..RecordOptions::new(&path)
    })
    .expect("starts");
    let mut feeder = paplay_into_vmic(&fixture("speech/answer-en.wav"));
    std::thread::sleep(Duration::from_millis(2500));
    let runtime = std::env::var("XDG_RUNTIME_DIR").expect("runtime dir");
    let pid =
        std::fs::read_to_string(Path::new(&runtime).join("pulse/pid")).expect("daemon pid file");
    let st = Command::new("kill")
        .args(["-9", pid.trim()])
        .status()
        .expect("kill");
    assert!(st.success());
    let t_kill = Instant::now();
    let outcome = wait_with_timeout(
        "recording after the server died",
        Duration::from_secs(15),
        move || rec.wait(),
    );
    let reacted = t_kill.elapsed();
    let _ = feeder.wait();
    let err = outcome.expect_err("a device loss is an error");
    assert_eq!(err.code(), "audio_device_lost");
    let AudioError::DeviceLost {
        partial: Some(partial),
    } = err
    else {
        panic!("the partial recording is reported: {err:?}");
    };
    assert_eq!(partial.stopped_by, StopReason::DeviceLost);
    assert!(rx.try_iter().any(|e| e
        == AudioEvent::DeviceLost {
            direction: Direction::Input
        }));
    assert!(
        reacted < Duration::from_secs(10),
        "noticed after {reacted:?}"
    );
    // What was captured before the kill is in a valid file.
    repair(&path).expect("repair");
    let info = wav_info(&path).expect("valid WAV");
    assert!(info.duration_ms >= 2000, "{info:?}");
    assert_eq!(info.sha256, partial.sha256);
    assert!(!partial.levels.silent);
    pulse_up();
}

/// The child half of `no_sound_server_is_a_typed_no_input_error`: runs only in a child process
/// whose environment points at no sound server (env is process-global, cpal reads it once).
#[test]
#[ignore = "run by no_sound_server_is_a_typed_no_input_error in a child process"]
fn no_server_child() {
    if std::env::var_os("VPR_AUDIO_NO_SERVER_CHILD").is_none() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let err = Recording::start(RecordOptions::new(dir.path().join("x.wav")))
        .err()
        .expect("no input");
    assert!(matches!(err, AudioError::NoInputDevice(_)), "{err:?}");
    assert_eq!(err.code(), "audio_no_input");
    assert_eq!(err.severity(), vpr_error::Severity::Blocking);
    println!("CHILD-MESSAGE: {err}");
    let err = check_device(None, Direction::Input).expect_err("no input");
    assert_eq!(err.code(), "audio_no_input");
    let err = check_device(None, Direction::Output).expect_err("no output");
    assert_eq!(err.code(), "audio_no_output");
    assert!(!dir.path().join("x.wav").exists(), "no file left behind");
}

#[test]
fn no_sound_server_is_a_typed_no_input_error() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let empty = tempfile::tempdir().expect("tempdir");
    let client_conf = empty.path().join("client.conf");
    std::fs::write(&client_conf, "autospawn = no\n").expect("client.conf");
    let out = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "no_server_child",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("VPR_AUDIO_NO_SERVER_CHILD", "1")
        .env("XDG_RUNTIME_DIR", empty.path())
        .env(
            "PULSE_SERVER",
            format!("unix:{}/nothing-here", empty.path().display()),
        )
        .env("PULSE_CLIENTCONFIG", &client_conf)
        .env("HOME", empty.path())
        .output()
        .expect("child runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("1 passed"),
        "the child really ran: {stdout}"
    );
    assert!(
        stdout.contains("CHILD-MESSAGE: Микрофон не найден"),
        "{stdout}"
    );
}
