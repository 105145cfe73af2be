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
