//! Package media checked by decoding (issue 12, item 1): the real fixtures in every accepted
//! format pass; broken files (made here from them, in temporary folders) are refused with the
//! file named and a stable code.
#![allow(clippy::unwrap_used)]

use std::{
    fs,
    path::{Path, PathBuf},
};

use serde_json::{json, Value};
use vpr_error::Coded;
use vpr_exam::{
    media::{probe_audio, probe_image, AudioFormat, ImageFormat, MediaError},
    ExamError, Package,
};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures")
}

fn media(name: &str) -> PathBuf {
    fixtures().join("media").join(name)
}

fn bytes(name: &str) -> Vec<u8> {
    fs::read(media(name)).unwrap()
}

/// Write `data` as `name` in `dir`, returning the path.
fn put(dir: &Path, name: &str, data: &[u8]) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, data).unwrap();
    p
}

/// The error's code, after checking its message names `file`.
fn refused<T: std::fmt::Debug>(r: Result<T, MediaError>, file: &Path) -> &'static str {
    let e = r.expect_err("refused");
    let shown = file.display().to_string();
    assert!(e.to_string().contains(&shown), "{e} names {shown}");
    assert_eq!(e.file(), shown);
    assert_eq!(e.severity(), vpr_error::Severity::Blocking);
    e.code()
}

#[test]
fn every_accepted_format_decodes_with_its_real_numbers() {
    for (name, format, rate, channels) in [
        ("phrase.mp3", AudioFormat::Mp3, 44_100, 1),
        ("phrase.ogg", AudioFormat::OggVorbis, 44_100, 2),
        ("phrase.flac", AudioFormat::Flac, 16_000, 1),
    ] {
        let i = probe_audio(&media(name)).unwrap();
        assert_eq!(
            (i.format, i.sample_rate, i.channels),
            (format, rate, channels),
            "{name}"
        );
        // espeak-ng said the phrase in 3.22 s; every encoding keeps that length.
        assert!(i.duration_ms.abs_diff(3220) <= 30, "{name}: {i:?}");
    }
    let wav = probe_audio(&fixtures().join("tones/sine-1khz-3s.wav")).unwrap();
    assert_eq!(
        (wav.format, wav.duration_ms, wav.sample_rate, wav.channels),
        (AudioFormat::Wav, 3000, 22_050, 1)
    );
    for (path, format, w, h) in [
        (media("photo.jpg"), ImageFormat::Jpeg, 640, 480),
        (media("park.png"), ImageFormat::Png, 400, 300),
        (
            fixtures().join("packages/en-7/media/park.svg"),
            ImageFormat::Svg,
            400,
            300,
        ),
    ] {
        let i = probe_image(&path).unwrap();
        assert_eq!((i.format, i.width, i.height), (format, w, h), "{path:?}");
    }
}

/// en-7 copied to a temp folder with `files` added to `media/` and `edit` applied.
fn package_with(
    files: &[(&str, Vec<u8>)],
    edit: impl FnOnce(&mut Value),
) -> (tempfile::TempDir, Result<Package, ExamError>) {
    let tmp = tempfile::tempdir().unwrap();
    let src = fixtures().join("packages/en-7");
    fs::create_dir_all(tmp.path().join("media")).unwrap();
    for e in fs::read_dir(src.join("media")).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), tmp.path().join("media").join(e.file_name())).unwrap();
    }
    for (name, data) in files {
        fs::write(tmp.path().join("media").join(name), data).unwrap();
    }
    let mut v: Value =
        serde_json::from_slice(&fs::read(src.join("package.json")).unwrap()).unwrap();
    edit(&mut v);
    fs::write(
        tmp.path().join("package.json"),
        serde_json::to_vec_pretty(&v).unwrap(),
    )
    .unwrap();
    let r = Package::load_dir(tmp.path());
    (tmp, r)
}

fn with_track(name: &str, duration_s: u32) -> impl FnOnce(&mut Value) {
    let name = name.to_owned();
    move |v: &mut Value| {
        let l = &mut v["variants"][0]["tasks"][0]["content"];
        l["track"] = json!(format!("media/{name}"));
        l["duration_s"] = json!(duration_s);
    }
}

/// The problems of a refused package: (field path, message).
fn problems(r: Result<Package, ExamError>) -> Vec<(String, String)> {
    match r {
        Err(e @ ExamError::Invalid { .. }) => e
            .problems()
            .iter()
            .map(|p| (p.path.clone(), p.message.clone()))
            .collect(),
        other => panic!("expected problems, got {other:?}"),
    }
}

const TRACK: &str = "variants[0].tasks[0].content.track";

#[test]
fn a_package_takes_mp3_ogg_flac_tracks_and_jpeg_png_photos() {
    for track in ["phrase.mp3", "phrase.ogg", "phrase.flac"] {
        let (_t, r) = package_with(
            &[
                (track, bytes(track)),
                ("photo.jpg", bytes("photo.jpg")),
                ("park.png", bytes("park.png")),
            ],
            |v| {
                with_track(track, 3)(v);
                let photos = &mut v["variants"][0]["tasks"][2]["content"]["photos"];
                photos[0]["file"] = json!("media/photo.jpg");
                photos[1]["file"] = json!("media/park.png");
            },
        );
        let p = r.unwrap_or_else(|e| panic!("{track}: {e}"));
        let vpr_exam::TaskContent::Listening(l) = &p.variants[0].tasks[0].content else {
            panic!("task 1 is listening");
        };
        assert_eq!(l.track, format!("media/{track}"));
    }
    // Any other extension is refused by name, before any file is opened.
    let (_t, r) = package_with(&[], with_track("phrase.aac", 3));
    let ps = problems(r);
    assert_eq!(ps.len(), 1, "{ps:?}");
    assert_eq!(ps[0].0, TRACK);
    assert!(ps[0].1.contains(".wav, .mp3, .ogg или .flac"), "{ps:?}");
    let (_t, r) = package_with(&[], |v| {
        v["variants"][0]["tasks"][2]["content"]["photos"][0]["file"] = json!("media/p.gif");
    });
    let ps = problems(r);
    assert!(ps[0].1.contains(".svg, .png, .jpg или .jpeg"), "{ps:?}");
}

/// MPEG-1 Layer III frame length from its header (the fixture's CBR frames).
fn mp3_frame_len(h: &[u8]) -> usize {
    const KBPS: [usize; 16] = [
        0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0,
    ];
    const RATES: [usize; 4] = [44_100, 48_000, 32_000, 0];
    assert_eq!((h[0], h[1] & 0xFE), (0xFF, 0xFA), "MPEG-1 Layer III");
    let kbps = KBPS[usize::from(h[2] >> 4)];
    let rate = RATES[usize::from((h[2] >> 2) & 3)];
    144 * kbps * 1000 / rate + usize::from((h[2] >> 1) & 1)
}

#[test]
fn a_truncated_mp3_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mp3 = bytes("phrase.mp3");
    // Cut mid-frame at 40 %: the LAME header says 3.2 s, 1.3 s decode.
    let cut = &mp3[..mp3.len() * 2 / 5 + 77];
    let p = put(dir.path(), "cut.mp3", cut);
    assert_eq!(refused(probe_audio(&p), &p), "media_truncated");
    let (_t, r) = package_with(&[("cut.mp3", cut.to_vec())], with_track("cut.mp3", 3));
    let ps = problems(r);
    assert_eq!(ps[0].0, TRACK);
    assert!(
        ps[0].1.contains("media/cut.mp3") && ps[0].1.contains("обрезан"),
        "{ps:?}"
    );

    // Without the LAME/Info header the cut file looks whole (its length is estimated from its
    // size): the package's duration_s catches it.
    let info_frame = mp3_frame_len(&mp3);
    let headerless = &mp3[info_frame..];
    let cut = &headerless[..headerless.len() * 2 / 5 + 77];
    let p = put(dir.path(), "bare.mp3", cut);
    let i = probe_audio(&p).unwrap();
    assert!(i.header_ms.is_some() && i.duration_ms < 1600, "{i:?}");
    let (_t, r) = package_with(&[("bare.mp3", cut.to_vec())], with_track("bare.mp3", 3));
    let ps = problems(r);
    assert_eq!(ps[0].0, TRACK);
    assert!(
        ps[0].1.contains("media/bare.mp3") && ps[0].1.contains("в пакете указано 3 с"),
        "{ps:?}"
    );
    let whole = put(dir.path(), "whole.mp3", headerless);
    assert!(probe_audio(&whole).unwrap().duration_ms > 3000);

    // Cut inside the header: in the first frame, and just after it (no audio frame whole).
    for (name, len) in [("h1.mp3", 100), ("h2.mp3", info_frame + 60), ("h3.mp3", 3)] {
        let p = put(dir.path(), name, &mp3[..len]);
        let code = refused(probe_audio(&p), &p);
        assert!(
            ["media_corrupt", "media_no_audio", "media_not_recognised"].contains(&code),
            "{name}: {code}"
        );
    }
}

#[test]
fn other_cut_tracks_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ogg = bytes("phrase.ogg");
    let p = put(dir.path(), "cut.ogg", &ogg[..ogg.len() / 2]);
    assert_eq!(refused(probe_audio(&p), &p), "media_corrupt");
    let flac = bytes("phrase.flac");
    let p = put(dir.path(), "cut.flac", &flac[..flac.len() / 2]);
    assert_eq!(refused(probe_audio(&p), &p), "media_truncated");
    let wav = fs::read(fixtures().join("tones/sine-1khz-3s.wav")).unwrap();
    let p = put(dir.path(), "cut.wav", &wav[..wav.len() / 3]);
    assert_eq!(refused(probe_audio(&p), &p), "media_truncated");
    let p = put(dir.path(), "empty.flac", b"");
    assert_eq!(refused(probe_audio(&p), &p), "media_not_recognised");
}

/// A 16-bit PCM WAV header (44 bytes) for `frames` frames, then silence.
fn wav(rate: u32, channels: u16, block: u16, frames: u32) -> Vec<u8> {
    let data = frames * u32::from(block);
    let mut v = Vec::new();
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&(36 + data).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&channels.to_le_bytes());
    v.extend_from_slice(&rate.to_le_bytes());
    v.extend_from_slice(&(rate * u32::from(block)).to_le_bytes());
    v.extend_from_slice(&block.to_le_bytes());
    v.extend_from_slice(&16u16.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&data.to_le_bytes());
    v.resize(v.len() + data as usize, 0);
    v
}

#[test]
fn wav_headers_out_of_range_are_refused_not_crashed_on() {
    let dir = tempfile::tempdir().unwrap();
    let p = put(dir.path(), "ok.wav", &wav(8_000, 2, 4, 8_000));
    let i = probe_audio(&p).unwrap();
    assert_eq!((i.duration_ms, i.channels), (1000, 2));
    // 0 Hz: symphonia would panic building its time base from it.
    let p = put(dir.path(), "zero.wav", &wav(0, 1, 2, 100));
    assert_eq!(refused(probe_audio(&p), &p), "media_sample_rate");
    assert!(probe_audio(&p).unwrap_err().to_string().contains("0 Гц"));
    let p = put(dir.path(), "low.wav", &wav(4_000, 1, 2, 100));
    assert_eq!(refused(probe_audio(&p), &p), "media_sample_rate");
    let p = put(dir.path(), "high.wav", &wav(384_000, 1, 2, 100));
    assert_eq!(refused(probe_audio(&p), &p), "media_sample_rate");
    let p = put(dir.path(), "six.wav", &wav(22_050, 6, 12, 100));
    assert_eq!(refused(probe_audio(&p), &p), "media_channels");
    // Block size 0: symphonia would divide by it.
    let p = put(dir.path(), "block0.wav", &wav(22_050, 1, 0, 100));
    assert_eq!(refused(probe_audio(&p), &p), "media_corrupt");
    // In a package the 0 Hz track is the track's problem, naming the file.
    let (_t, r) = package_with(
        &[("zero.wav", wav(0, 1, 2, 100))],
        with_track("zero.wav", 3),
    );
    let ps = problems(r);
    assert_eq!(ps[0].0, TRACK);
    assert!(ps[0].1.contains("media/zero.wav"), "{ps:?}");
}

#[test]
fn a_2_gb_file_is_refused_by_its_size_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["big.mp3", "big.png", "big.svg"] {
        let p = dir.path().join(name);
        fs::File::create(&p).unwrap().set_len(2 << 30).unwrap();
        let r = if name.ends_with("mp3") {
            probe_audio(&p).map(|_| ())
        } else {
            probe_image(&p).map(|_| ())
        };
        assert_eq!(refused(r, &p), "media_too_large", "{name}");
    }
    let p = dir.path().join("big.mp3");
    assert!(probe_audio(&p)
        .unwrap_err()
        .to_string()
        .contains("2048,0 МБ (не больше 200,0 МБ)"));
}

#[test]
fn a_fifo_is_refused_without_waiting_for_a_writer() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pipe.mp3");
    let ok = std::process::Command::new("mkfifo")
        .arg(&p)
        .status()
        .unwrap();
    assert!(ok.success());
    assert_eq!(refused(probe_audio(&p), &p), "media_not_a_file");
}

#[test]
fn content_must_match_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let p = put(dir.path(), "text.png", b"this is not a picture\n");
    assert_eq!(refused(probe_image(&p), &p), "media_not_recognised");
    let p = put(dir.path(), "text.mp3", b"this is not a song either\n");
    assert_eq!(refused(probe_audio(&p), &p), "media_not_recognised");
    let p = put(dir.path(), "jpeg.png", &bytes("photo.jpg"));
    assert_eq!(refused(probe_image(&p), &p), "media_format_mismatch");
    let p = put(dir.path(), "mp3.ogg", &bytes("phrase.mp3"));
    assert_eq!(refused(probe_audio(&p), &p), "media_format_mismatch");
    let p = put(dir.path(), "svg.jpg", b"<svg width=\"1\" height=\"1\"/>");
    assert_eq!(refused(probe_image(&p), &p), "media_format_mismatch");
    // In a package: the photo's field, naming the file.
    let (_t, r) = package_with(&[("fake.png", b"hello".to_vec())], |v| {
        v["variants"][0]["tasks"][2]["content"]["photos"][1]["file"] = json!("media/fake.png");
    });
    let ps = problems(r);
    assert_eq!(ps[0].0, "variants[0].tasks[2].content.photos[1].file");
    assert!(ps[0].1.contains("media/fake.png"), "{ps:?}");
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
}

#[test]
fn broken_or_huge_photos_are_refused_before_decoding_them() {
    let dir = tempfile::tempdir().unwrap();
    let jpg = bytes("photo.jpg");
    let p = put(dir.path(), "cut.jpg", &jpg[..jpg.len() / 2]);
    assert_eq!(refused(probe_image(&p), &p), "media_corrupt");
    let png = bytes("park.png");
    let p = put(dir.path(), "cut.png", &png[..png.len() - 40]);
    assert_eq!(refused(probe_image(&p), &p), "media_corrupt");

    // A PNG header claiming 10000×5000 (50 MP): refused from the header, nothing allocated.
    let mut huge = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&10_000u32.to_be_bytes());
    ihdr.extend_from_slice(&5_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    png_chunk(&mut huge, b"IHDR", &ihdr);
    png_chunk(&mut huge, b"IDAT", &[]);
    png_chunk(&mut huge, b"IEND", &[]);
    let p = put(dir.path(), "huge.png", &huge);
    assert_eq!(refused(probe_image(&p), &p), "media_too_many_pixels");
    // The same for a JPEG whose frame header says 65000×65000.
    let mut big = jpg.clone();
    let sof = big.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    big[sof + 5..sof + 9].copy_from_slice(&[0xFD, 0xE8, 0xFD, 0xE8]);
    let p = put(dir.path(), "huge.jpg", &big);
    assert_eq!(refused(probe_image(&p), &p), "media_too_many_pixels");

    // An SVG that runs a script, in a package.
    let evil = br#"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"><script>fetch('http://x')</script></svg>"#;
    let (_t, r) = package_with(&[("evil.svg", evil.to_vec())], |v| {
        v["variants"][0]["tasks"][2]["content"]["photos"][2]["file"] = json!("media/evil.svg");
    });
    let ps = problems(r);
    assert_eq!(ps[0].0, "variants[0].tasks[2].content.photos[2].file");
    assert!(
        ps[0].1.contains("media/evil.svg") && ps[0].1.contains("<script>"),
        "{ps:?}"
    );
}

#[test]
fn a_missing_medium_and_the_exam_error_keep_the_media_code() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("nope.ogg");
    assert_eq!(refused(probe_audio(&p), &p), "media_missing");
    let e: ExamError = probe_audio(&p).unwrap_err().into();
    assert_eq!(e.code(), "media_missing");
    assert_eq!(e.severity(), vpr_error::Severity::Blocking);
    // The old public path still checks a package's media.
    let en7 = fixtures().join("packages/en-7");
    let pkg = Package::load_dir(&en7).unwrap();
    assert!(vpr_exam::validate::check_media(&pkg, &en7).is_empty());
    assert!(vpr_exam::media::check_track(&en7, "media/listening.wav", 35).is_ok());
    let e = vpr_exam::media::check_track(&en7, "media/listening.wav", 20).unwrap_err();
    assert_eq!(e.code(), "media_duration_mismatch");
}
