#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use common::*;
use vpr_coordinator::{
    scoring::{RecordingRef, Submission},
    CrossPackage, CrossScore,
};

#[test]
fn anonymous_package_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    let work = db.add_work(&grade7_work()).unwrap();
    let people = db.participants().unwrap();
    std::fs::create_dir_all(dir.path().join("rec")).unwrap();
    for p in &people[..4] {
        let rel = format!("rec/{}-3.wav", p.code);
        std::fs::write(dir.path().join(&rel), format!("RIFF-fake-{}", p.code)).unwrap();
        let s = Submission {
            adaptation: None,
            work_id: work,
            code: p.code,
            variant: 1,
            station_fingerprint: "00".into(),
            bundle_sha256: "00".into(),
            interrupted: false,
            answers: BTreeMap::new(),
        };
        let rec = RecordingRef {
            task: 3,
            part: 0,
            segment: 1,
            path: rel,
            sha256: "00".into(),
            duration_ms: 1000,
            silent: false,
        };
        db.record_submission(&s, &[rec]).unwrap();
    }
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let pkg_path = out.join("cross.vprscore");
    assert_eq!(
        db.export_cross_package(work, Some(&[3]), &pkg_path)
            .unwrap(),
        4
    );
    assert_no_names(&out, &roster_name_parts());
    // Codes do not travel either.
    let pkg = CrossPackage::open(&pkg_path).unwrap();
    let json = serde_json::to_string(&pkg).unwrap();
    for p in &people {
        assert!(!json.contains(&p.code.to_string()));
    }
    assert_eq!(pkg.items.len(), 4);
    // The other school listens and scores.
    let first = &pkg.items[0];
    let wav = out.join("play.wav");
    pkg.extract_recording(&pkg_path, &first.token, &wav)
        .unwrap();
    assert!(std::fs::read_to_string(&wav)
        .unwrap()
        .starts_with("RIFF-fake-"));
    let scores: Vec<CrossScore> = pkg
        .items
        .iter()
        .flat_map(|i| {
            i.criteria.iter().map(|c| CrossScore {
                token: i.token.clone(),
                criterion: c.id.clone(),
                score: c.max_points,
                note: String::new(),
                expert: "Школа 2 / эксперт 1".into(),
            })
        })
        .collect();
    let back = out.join("scores.json");
    let mut bad = scores.clone();
    bad[0].score = 99;
    assert!(pkg.check_scores(&bad).is_err());
    assert!(db.write_cross_scores(&pkg, &back, &bad).is_err());
    // This test's school scores its own package: its key is the one trusted.
    db.write_cross_scores(&pkg, &back, &scores).unwrap();
    let key = db.archive_public_key().unwrap();
    assert_eq!(db.import_cross_scores(&back, &key).unwrap(), 4);
    let results = db.results(work).unwrap();
    assert!(results.iter().all(|r| r.tasks[&3] == Some(8)));
    assert!(db
        .score_log(work)
        .unwrap()
        .iter()
        .all(|l| l.expert.starts_with("внешний:")));
    // A scores file for pieces this school never sent is refused.
    let mut foreign = scores[..3].to_vec();
    for s in &mut foreign {
        s.token = "feedfacefeedfacefeedface".into();
    }
    db.write_cross_scores(&pkg, &out.join("x.json"), &[])
        .unwrap();
    std::fs::write(
        out.join("foreign.json"),
        serde_json::json!({"format": "vpr-scoring-results", "package_id": "x", "scores": foreign})
            .to_string(),
    )
    .unwrap();
    assert!(db
        .import_cross_scores(&out.join("foreign.json"), &key)
        .is_err());
}

/// A real 16 kHz mono WAV of `ms` milliseconds.
fn wav(path: &std::path::Path, ms: u32, tone: i16) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..(16 * ms) {
        w.write_sample(if i % 40 < 20 { tone } else { -tone })
            .unwrap();
    }
    w.finalize().unwrap();
}

#[test]
fn every_recorded_piece_of_an_answer_travels_in_order_and_is_played_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    let work = db.add_work(&grade7_work()).unwrap();
    let p = &db.participants().unwrap()[0];
    std::fs::create_dir_all(dir.path().join("rec")).unwrap();
    // Task 3 as three questions, the second continued after a pause.
    let pieces = [(1, 1, 700), (2, 1, 500), (2, 2, 300), (3, 1, 900)];
    let mut recs = Vec::new();
    for (part, segment, ms) in pieces {
        let rel = format!("rec/{}-3-{part}-{segment}.wav", p.code);
        wav(&dir.path().join(&rel), ms, 1000 * part as i16);
        recs.push(RecordingRef {
            task: 3,
            part,
            segment,
            path: rel,
            sha256: "00".into(),
            duration_ms: u64::from(ms),
            silent: false,
        });
    }
    db.record_submission(
        &Submission {
            adaptation: None,
            work_id: work,
            code: p.code,
            variant: 1,
            station_fingerprint: "00".into(),
            bundle_sha256: "00".into(),
            interrupted: false,
            answers: BTreeMap::new(),
        },
        &recs,
    )
    .unwrap();
    let pkg_path = dir.path().join("cross.vprscore");
    assert_eq!(
        db.export_cross_package(work, Some(&[3]), &pkg_path)
            .unwrap(),
        1
    );
    let pkg = CrossPackage::open(&pkg_path).unwrap();
    let item = &pkg.items[0];
    // Before: only the first recording went out (one of four pieces).
    assert_eq!(item.parts.len(), 4, "{item:?}");
    assert_eq!(
        item.parts
            .iter()
            .map(|p| (p.part, p.duration_ms))
            .collect::<Vec<_>>(),
        [(1, 700), (2, 500), (2, 300), (3, 900)]
    );
    assert_eq!(
        item.recording.as_deref(),
        Some(item.parts[0].entry.as_str())
    );
    for (k, (part, _, ms)) in pieces.iter().enumerate() {
        let audio = pkg.part_audio(&pkg_path, &item.token, k).unwrap();
        assert_eq!(audio.media_type, "audio/wav");
        let r = hound::WavReader::new(std::io::Cursor::new(&audio.bytes)).unwrap();
        assert_eq!(r.duration(), 16 * ms, "piece {k}");
        let first: i16 = r.into_samples::<i16>().next().unwrap().unwrap();
        assert_eq!(first, 1000 * *part as i16);
    }
    assert!(pkg.part_audio(&pkg_path, &item.token, 4).is_err());
    // Its waveform, from the same decoding as this school's own recordings.
    let peaks = pkg.part_waveform(&pkg_path, &item.token, 0, 50).unwrap();
    assert_eq!(peaks.len(), 50);
    assert!(
        peaks.iter().all(|p| (p - 1000.0 / 32768.0).abs() < 1e-3),
        "{peaks:?}"
    );
    // A package whose piece is not a WAV, or names a piece it lacks.
    let text = serde_json::to_string(&pkg).unwrap();
    let forged = dir.path().join("forged.vprscore");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&forged).unwrap());
        let o = zip::write::SimpleFileOptions::default();
        z.start_file(item.parts[0].entry.as_str(), o).unwrap();
        std::io::Write::write_all(&mut z, b"RIFF-not-a-wav").unwrap();
        z.start_file("package.json", o).unwrap();
        std::io::Write::write_all(&mut z, text.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    let err = CrossPackage::open(&forged).unwrap_err();
    assert!(err.to_string().contains(&item.parts[1].entry), "{err}");
    let mut one = pkg.clone();
    one.items[0].parts.truncate(1);
    let fake = dir.path().join("fake.vprscore");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&fake).unwrap());
        let o = zip::write::SimpleFileOptions::default();
        z.start_file(item.parts[0].entry.as_str(), o).unwrap();
        std::io::Write::write_all(&mut z, b"RIFF-not-a-wav").unwrap();
        z.start_file("package.json", o).unwrap();
        std::io::Write::write_all(&mut z, serde_json::to_string(&one).unwrap().as_bytes()).unwrap();
        z.finish().unwrap();
    }
    let opened = CrossPackage::open(&fake).unwrap();
    let err = opened.part_audio(&fake, &item.token, 0).unwrap_err();
    assert!(err.to_string().contains("не WAV"), "{err}");
}
