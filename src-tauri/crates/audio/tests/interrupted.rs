//! `repair_interrupted` names the gap a crash left (no device: a WAV left unfinalised, its
//! last write dated back).

use std::fs::File;
use std::time::{Duration, SystemTime};

use vpr_audio::{repair_interrupted, wav_info, RECORD_RATE};

#[test]
fn the_gap_runs_from_the_last_write_to_the_resume() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("answer.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: RECORD_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&path, spec).expect("create");
    for i in 0..RECORD_RATE * 3 {
        w.write_sample(((i as f32 * 0.05).sin() * 9000.0) as i16)
            .expect("sample");
    }
    w.flush().expect("flush");
    // A crash: more data after the last header update, and the process gone.
    for _ in 0..RECORD_RATE / 2 {
        w.write_sample(100i16).expect("sample");
    }
    std::mem::forget(w);
    // The station resumes 7.3 s after the last write.
    let last = SystemTime::now() - Duration::from_millis(7300);
    File::options()
        .write(true)
        .open(&path)
        .and_then(|f| f.set_modified(last))
        .expect("set mtime");
    let got = repair_interrupted(&path, SystemTime::now()).expect("repair");
    assert!(!got.repair.was_valid, "{got:?}");
    // Everything the kernel got is kept (hound's own buffer died with the "process").
    assert!((3000..=3500).contains(&got.kept_ms), "{got:?}");
    assert!((7300..7800).contains(&got.gap_ms), "{got:?}");
    assert_eq!(got.gap_seconds(), 8);
    assert_eq!(wav_info(&path).expect("valid now").duration_ms, got.kept_ms);

    // A clock that says the write is in the future: no negative gap.
    let early = repair_interrupted(&path, last - Duration::from_secs(60)).expect("again");
    assert!(early.repair.was_valid);
    assert_eq!(early.gap_ms, 0);
}
