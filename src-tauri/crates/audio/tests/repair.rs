//! `repair` on real files: unfinalised headers and tails torn at random offsets (no device).

use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use vpr_audio::{repair, wav_info, waveform};

/// A small deterministic generator (xorshift64*), so failures can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn write_wav(path: &Path, channels: u16, frames: usize) -> Vec<i16> {
    let spec = hound::WavSpec {
        channels,
        sample_rate: 22_050,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).expect("create");
    let samples: Vec<i16> = (0..frames * usize::from(channels))
        .map(|i| ((i as f32 * 0.05).sin() * 12_000.0) as i16)
        .collect();
    for &s in &samples {
        w.write_sample(s).expect("write");
    }
    w.finalize().expect("finalize");
    samples
}

fn read_all(path: &Path) -> (hound::WavSpec, Vec<i16>) {
    let mut r = hound::WavReader::open(path).expect("a playable WAV after repair");
    let spec = r.spec();
    let s = r
        .samples::<i16>()
        .collect::<Result<Vec<_>, _>>()
        .expect("every sample readable");
    (spec, s)
}

#[test]
fn truncated_at_random_offsets_keeps_every_whole_frame() {
    let dir = tempfile::tempdir().expect("tempdir");
    for channels in [1u16, 2] {
        let original = dir.path().join(format!("orig-{channels}.wav"));
        let samples = write_wav(&original, channels, 22_050);
        let bytes = std::fs::read(&original).expect("read");
        let header = bytes.len() - samples.len() * 2;
        assert_eq!(
            header, 44,
            "hound writes the canonical 44-byte header for 16-bit PCM"
        );
        let block = usize::from(channels) * 2;
        let mut rng = Rng(0x5EED_0000 + u64::from(channels));
        let mut offsets: Vec<usize> = (0..60)
            .map(|_| rng.below(bytes.len() as u64 + 1) as usize)
            .collect();
        // Edges: nothing, inside the header, right after it, one byte short of a frame, whole file.
        offsets.extend([
            0,
            3,
            20,
            43,
            44,
            45,
            44 + block - 1,
            44 + block,
            bytes.len() - 1,
            bytes.len(),
        ]);
        for (n, cut) in offsets.into_iter().enumerate() {
            let path = dir.path().join(format!("cut-{channels}-{n}.wav"));
            std::fs::write(&path, &bytes[..cut]).expect("write cut");
            let report = repair(&path).unwrap_or_else(|e| panic!("repair at {cut}: {e:?}"));
            let frames = cut.saturating_sub(header) / block;
            let (spec, got) = read_all(&path);
            if cut >= header {
                assert_eq!(spec.channels, channels);
                assert_eq!(report.frames as usize, frames, "cut at {cut}");
                assert_eq!(
                    got.as_slice(),
                    &samples[..frames * usize::from(channels)],
                    "cut at {cut}"
                );
                assert_eq!(report.was_valid, cut == bytes.len());
            } else {
                // Torn inside the header: an empty recording in the station's format.
                assert!(got.is_empty(), "cut at {cut}");
                assert_eq!((spec.channels, spec.sample_rate), (1, 22_050));
            }
            // A second repair changes nothing.
            assert!(
                repair(&path).expect("repair again").was_valid,
                "cut at {cut}"
            );
            let info = wav_info(&path).expect("info");
            assert_eq!(info.bytes, std::fs::metadata(&path).expect("meta").len());
        }
    }
}

#[test]
fn header_never_finalised_recovers_all_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("unfinished.wav");
    let samples = write_wav(&path, 1, 11_025);
    // What a crash before the first flush leaves: sizes still 0 in the header.
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("open");
    f.seek(SeekFrom::Start(4)).expect("seek");
    f.write_all(&0u32.to_le_bytes()).expect("riff");
    f.seek(SeekFrom::Start(40)).expect("seek");
    f.write_all(&0u32.to_le_bytes()).expect("data");
    drop(f);
    let report = repair(&path).expect("repair");
    assert!(!report.was_valid);
    assert_eq!(report.frames, 11_025);
    assert_eq!(report.truncated_bytes, 0);
    assert_eq!(read_all(&path).1, samples);
    let info = wav_info(&path).expect("info");
    assert_eq!(info.duration_ms, 500);
    assert_eq!(info.sha256, vpr_audio::sha256_file(&path).expect("hash"));
    assert_eq!(info.sha256.len(), 64);
}

#[test]
fn not_a_wav_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("notes.wav");
    std::fs::write(
        &path,
        b"these are not the samples you are looking for, not at all",
    )
    .expect("write");
    let err = repair(&path).expect_err("refused");
    assert_eq!(vpr_error::Coded::code(&err), "audio_bad_wav");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        b"these are not the samples you are looking for, not at all"
    );
}

#[test]
fn waveform_summarises_min_and_max() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("w.wav");
    write_wav(&path, 1, 22_050);
    let w = waveform(&path, 100).expect("waveform");
    assert_eq!(w.len(), 100);
    for b in &w {
        assert!(b.min <= b.max);
        assert!(b.max > 0.3 && b.min < -0.3, "{b:?}");
    }
    assert!(waveform(&path, 0).expect("empty").is_empty());
    // Streaming gives the same extremes as reading the whole file.
    let (all, _) = vpr_audio::read_mono(&path).expect("read");
    for (b, bucket) in w.iter().enumerate() {
        // Frame i belongs to bucket i·100/len.
        let span: Vec<f32> = (0..all.len())
            .filter(|i| i * 100 / all.len() == b)
            .map(|i| all[i])
            .collect();
        assert_eq!(bucket.max, span.iter().copied().fold(f32::MIN, f32::max));
        assert_eq!(bucket.min, span.iter().copied().fold(f32::MAX, f32::min));
    }
    let mut seen = 0u64;
    let rate = vpr_audio::scan_mono(&path, 1000, |first, chunk| {
        assert_eq!(first, seen);
        seen += chunk.len() as u64;
    })
    .expect("scan");
    assert_eq!((rate, seen), (22_050, 22_050));
}

#[test]
fn a_waveform_from_bytes_is_the_file_s_and_bad_bytes_are_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("w.wav");
    write_wav(&path, 1, 22_050);
    let bytes = std::fs::read(&path).expect("read");
    let from_bytes = vpr_audio::waveform_of_bytes(&bytes, "w.wav", 100).expect("waveform");
    assert_eq!(from_bytes, waveform(&path, 100).expect("waveform"));
    let err = vpr_audio::waveform_of_bytes(b"RIFF-not-a-wav", "piece.wav", 10).unwrap_err();
    assert!(err.to_string().contains("piece.wav"), "{err}");
}

#[test]
fn repair_dir_fixes_only_what_is_broken() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_wav(&dir.path().join("good.wav"), 1, 1000);
    let bad = dir.path().join("bad.wav");
    write_wav(&bad, 1, 1000);
    let len = std::fs::metadata(&bad).expect("meta").len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&bad)
        .expect("open")
        .set_len(len - 301)
        .expect("cut");
    let changed = vpr_audio::repair_dir(dir.path()).expect("repair dir");
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].0, bad);
    assert_eq!(changed[0].1.frames, (len - 301 - 44) / 2);
}
