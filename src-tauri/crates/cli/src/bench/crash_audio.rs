//! `vpr bench crash --audio --kills N`: the audio at risk on a kill and on a power cut, on the
//! real audio stack (issue 15: ≤ 0.5 s).
//!
//! Real speech (`audio-fixtures/speech/answer-en.wav`, or `--speech`) is played in a loop into
//! the fake microphone (`vmic` of `tests/support/pulse-up.sh`); a child (`vpr bench crash
//! --audio-child FILE`) records its monitor with the real recorder and is SIGKILLed at a random
//! moment 0.5–3.5 s after its first frame entered the device. The WAV is repaired as the station
//! does at start-up; lost on a kill = sound heard before the kill − duration on disk; lost on a
//! power cut = sound heard − duration the child last reported synced (`sync_data` completed).
//! See `vpr_audio::crashtest`.
//!
//! Run: `eval "$(tests/support/pulse-up.sh)"; vpr bench crash --audio --kills 200`.
//!
//! Measured (2 cores shared with five parallel builds, PulseAudio 16 null sink, 48 kHz stereo in,
//! device period 200 ms granted, 200 kills each, seed 1):
//!
//! | | kill: worst / median | power cut: worst / median | over 500 ms |
//! |---|---|---|---|
//! | before (64 KiB buffer written at each 500 ms sync, 50 ms tick, 1024-frame chunks) | 2342 / 352 ms | 2707 / 352 ms | 52 / 53 of 200 |
//! | after (every chunk written, synced after each burst, 10 ms tick, 320-frame chunks) | 264 / 122 ms | 360 / 133 ms | 0 |
//!
//! The budget term by term is in the docs of `vpr_audio`'s record module.

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use vpr_audio::crashtest::{self, kill_once, spread, KillSample, SpeechFeed};

/// The budget of issue 15, ms.
const BUDGET_MS: f64 = 500.0;

pub struct Options {
    pub kills: u32,
    pub seed: u64,
    pub dir: Option<PathBuf>,
    pub speech: Option<PathBuf>,
    pub sink: String,
}

/// The child's side: record `wav` until killed.
pub fn child(wav: &std::path::Path) -> ExitCode {
    match crashtest::run_child(wav) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}

/// splitmix64: reproducible moments from the seed.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub fn run(opts: Options) -> ExitCode {
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let speech = opts.speech.clone().or_else(|| {
        std::env::current_dir()
            .ok()
            .and_then(|d| crashtest::speech_fixture(&d))
            .or_else(|| crashtest::speech_fixture(&exe))
    });
    let Some(speech) = speech else {
        eprintln!("Нет файла речи: укажите --speech или запустите из папки репозитория (audio-fixtures/speech/answer-en.wav)");
        return ExitCode::from(2);
    };
    let base = opts.dir.clone().unwrap_or_else(std::env::temp_dir);
    let dir = base.join(format!("vpr-bench-crash-audio-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("{}: {e}", dir.display());
        return ExitCode::from(2);
    }
    let feed = match SpeechFeed::start(&speech, &opts.sink) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    // Let the first loop of speech reach the sink.
    std::thread::sleep(Duration::from_millis(500));
    let source = format!("{}.monitor", opts.sink);
    let mut state = opts.seed;
    let mut samples: Vec<KillSample> = Vec::new();
    let mut failures = Vec::new();
    let t0 = Instant::now();
    for i in 0..opts.kills {
        let after = Duration::from_millis(500 + next(&mut state) % 3000);
        let wav = dir.join(format!("kill-{i}.wav"));
        let mut cmd = Command::new(&exe);
        cmd.env("PULSE_SOURCE", &source)
            .args(["bench", "crash", "--audio-child"])
            .arg(&wav);
        match kill_once(cmd, &wav, after) {
            Ok(s) => {
                if s.rms_dbfs < -45.0 {
                    failures.push(format!(
                        "убийство {i}: запись беззвучна ({:.1} dBFS)",
                        s.rms_dbfs
                    ));
                }
                samples.push(s);
            }
            Err(e) => failures.push(format!("убийство {i}: {e}")),
        }
        let _ = std::fs::remove_file(&wav);
        if (i + 1) % 25 == 0 {
            eprintln!(
                "  … {} убийств за {:.0} с",
                i + 1,
                t0.elapsed().as_secs_f64()
            );
        }
    }
    drop(feed);
    let _ = std::fs::remove_dir_all(&dir);

    let kill = spread(samples.iter().map(KillSample::lost_on_kill_ms));
    let power = spread(samples.iter().map(KillSample::lost_on_power_cut_ms));
    println!(
        "Убийств записи: {} за {:.1} с (речь {} → {source})",
        samples.len(),
        t0.elapsed().as_secs_f64(),
        speech.display()
    );
    let over = |f: fn(&KillSample) -> f64| samples.iter().filter(|s| f(s) > BUDGET_MS).count();
    if let (Some(k), Some(p)) = (kill, power) {
        println!(
            "  потеря звука при убийстве процесса:  наибольшая {:.0} мс, медиана {:.0} мс (допустимо ≤ {BUDGET_MS:.0}; сверх: {})",
            k.worst,
            k.median,
            over(KillSample::lost_on_kill_ms)
        );
        println!(
            "  потеря при отключении питания:       наибольшая {:.0} мс, медиана {:.0} мс (после последнего sync_data; сверх: {})",
            p.worst,
            p.median,
            over(KillSample::lost_on_power_cut_ms)
        );
        let rms = spread(samples.iter().map(|s| f64::from(s.rms_dbfs)));
        if let Some(r) = rms {
            println!(
                "  уровень речи в записях:              медиана {:.1} dBFS",
                r.median
            );
        }
        if k.worst > BUDGET_MS || p.worst > BUDGET_MS {
            failures.push(format!(
                "потеря звука больше {BUDGET_MS:.0} мс (убийство {:.0}, питание {:.0})",
                k.worst, p.worst
            ));
        }
    } else {
        failures.push("ни одного замера".into());
    }
    if failures.is_empty() {
        println!("  нарушений: 0");
        ExitCode::SUCCESS
    } else {
        for f in failures.iter().take(20) {
            println!("  НАРУШЕНИЕ: {f}");
        }
        ExitCode::from(1)
    }
}
