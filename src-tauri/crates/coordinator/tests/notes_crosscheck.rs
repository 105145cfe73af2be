#![allow(clippy::unwrap_used)]
//! Cross-check scores signed by the other school's archive key, imported
//! once per token in one transaction; and no names through notes: a note
//! containing a roster name stops every export, naming the row, until it
//! is corrected.

use std::{collections::BTreeMap, path::Path};

use vpr_coordinator::{
    scoring::{RecordingRef, Submission},
    Coordinator, CrossPackage, CrossScore, NewParticipant, NewWork, PersonName,
};

const PASSWORD: &str = "пароль-координатора";

fn db_in(dir: &Path, names: &[(&str, &str, &str)]) -> Coordinator {
    let mut db =
        Coordinator::create_with_iterations(&dir.join("coordinator.sqlite"), PASSWORD, 1000)
            .unwrap();
    db.upsert_class("7А", 7, "Английский язык").unwrap();
    let people: Vec<NewParticipant> = names
        .iter()
        .map(|(l, f, m)| NewParticipant {
            class_name: "7А".into(),
            name: PersonName {
                last: (*l).into(),
                first: (*f).into(),
                middle: (*m).into(),
            },
            sex: String::new(),
            special_needs: false,
            previous_mark: None,
        })
        .collect();
    db.add_participants(&people).unwrap();
    db
}

fn oral_work() -> NewWork {
    serde_json::from_str(
        r#"{"subject":"Английский язык","grade":7,"date":"2026-04-14","reserve_dates":[],
        "upload_deadline":"2026-04-18","spec":{"stations_per_room":4,
        "marks":[{"min_total":0,"mark":2},{"min_total":3,"mark":5}],
        "tasks":[{"number":2,"title":"Чтение вслух","oral":true,"criteria":[
            {"id":"К1","name":"Фонетика","max_points":2,"description":""},
            {"id":"К2","name":"Темп","max_points":2,"description":""}]}]}}"#,
    )
    .unwrap()
}

/// School A with three participants who sat the oral work; its cross package.
fn school_a(dir: &Path) -> (Coordinator, i64, CrossPackage, std::path::PathBuf) {
    let db = db_in(
        dir,
        &[
            ("Иванов", "Иван", "Иванович"),
            ("Ёлкина", "Мария", ""),
            ("Сидоров", "Пётр", ""),
        ],
    );
    let work = db.add_work(&oral_work()).unwrap();
    std::fs::create_dir_all(dir.join("rec")).unwrap();
    for p in db.participants().unwrap() {
        let rel = format!("rec/{}-2.wav", p.code);
        std::fs::write(dir.join(&rel), b"RIFF-fake").unwrap();
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
            task: 2,
            part: 0,
            segment: 1,
            path: rel,
            sha256: "00".into(),
            duration_ms: 1000,
            silent: false,
        };
        db.record_submission(&s, &[rec]).unwrap();
    }
    let pkg_path = dir.join("cross.vprscore");
    assert_eq!(db.export_cross_package(work, None, &pkg_path).unwrap(), 3);
    let pkg = CrossPackage::open(&pkg_path).unwrap();
    (db, work, pkg, pkg_path)
}

fn scores(pkg: &CrossPackage, points: u32, note: &str) -> Vec<CrossScore> {
    pkg.items
        .iter()
        .flat_map(|i| {
            i.criteria.iter().map(|c| CrossScore {
                token: i.token.clone(),
                criterion: c.id.clone(),
                score: points.min(c.max_points),
                note: note.into(),
                expert: "Э-1".into(),
            })
        })
        .collect()
}

#[test]
fn cross_scores_are_signed_imported_once_and_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let (a_dir, b_dir) = (dir.path().join("a"), dir.path().join("b"));
    let (a, work, pkg, _) = school_a(&a_dir);
    let b = db_in(&b_dir, &[("Кузнецова", "Ольга", "")]);
    let b_key = b.archive_public_key().unwrap();
    let a_key = a.archive_public_key().unwrap();

    let file = dir.path().join("scores.json");
    b.write_cross_scores(&pkg, &file, &scores(&pkg, 2, ""))
        .unwrap();
    // Another key than the school's, a file changed after signing, an
    // unsigned file: all refused, nothing stored.
    let e = a
        .import_cross_scores(&file, &a_key)
        .unwrap_err()
        .to_string();
    assert!(e.contains("не ключом этой школы"), "{e}");
    let text = std::fs::read_to_string(&file).unwrap();
    let tampered = dir.path().join("tampered.json");
    std::fs::write(
        &tampered,
        text.replacen(r#"\"score\": 2"#, r#"\"score\": 1"#, 1),
    )
    .unwrap();
    assert_ne!(std::fs::read(&tampered).unwrap(), text.as_bytes());
    let e = a
        .import_cross_scores(&tampered, &b_key)
        .unwrap_err()
        .to_string();
    assert!(e.contains("подпись"), "{e}");
    let unsigned = dir.path().join("unsigned.json");
    std::fs::write(
        &unsigned,
        serde_json::json!({"format": "vpr-scoring-results", "package_id": pkg.id,
            "scores": scores(&pkg, 2, "")})
        .to_string(),
    )
    .unwrap();
    assert!(a.import_cross_scores(&unsigned, &b_key).is_err());
    assert!(a.score_log(work).unwrap().is_empty());

    assert_eq!(a.import_cross_scores(&file, &b_key).unwrap(), 3);
    assert!(a
        .results(work)
        .unwrap()
        .iter()
        .all(|r| r.tasks[&2] == Some(4)));
    // The same file again: nothing new, nothing changed.
    assert_eq!(a.import_cross_scores(&file, &b_key).unwrap(), 0);
    // A second, different result for a token refuses the whole file.
    let mut other = scores(&pkg, 2, "");
    other.last_mut().unwrap().score = 0;
    let second = dir.path().join("second.json");
    b.write_cross_scores(&pkg, &second, &other).unwrap();
    let e = a
        .import_cross_scores(&second, &b_key)
        .unwrap_err()
        .to_string();
    assert!(e.contains("уже принят другой результат"), "{e}");
    assert!(a
        .results(work)
        .unwrap()
        .iter()
        .all(|r| r.tasks[&2] == Some(4)));
    assert_eq!(a.score_log(work).unwrap().len(), 6);
}

#[test]
fn a_roster_name_in_a_note_stops_every_export_until_corrected() {
    let dir = tempfile::tempdir().unwrap();
    let (a_dir, b_dir) = (dir.path().join("a"), dir.path().join("b"));
    let (a, work, pkg, _) = school_a(&a_dir);
    let b = db_in(&b_dir, &[("Кузнецова", "Ольга", "")]);
    let b_key = b.archive_public_key().unwrap();

    // The scoring school's own names never leave it either.
    let e = b
        .write_cross_scores(
            &pkg,
            &dir.path().join("x.json"),
            &scores(&pkg, 1, "как у кузнецовой? нет: Кузнецова"),
        )
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("cross_scores") && !e.contains("Кузнецова"),
        "{e}"
    );

    // B does not know A's names: a note naming A's participant comes back.
    let mut given = scores(&pkg, 1, "");
    given[1].note = "читал как ЕЛКИНА на прошлой неделе".into();
    let file = dir.path().join("scores.json");
    b.write_cross_scores(&pkg, &file, &given).unwrap();
    assert_eq!(a.import_cross_scores(&file, &b_key).unwrap(), 3);

    let hits = a.names_in_notes(work).unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    let hit = &hits[0];
    assert_eq!(hit.table, "expert_scores");
    let place = hit.to_string();
    assert!(
        place.contains(&format!("код {}", hit.code.unwrap())),
        "{place}"
    );
    for export in [
        a.export_results_archive(work, &dir.path().join("results.zip"))
            .map(|_| ())
            .unwrap_err(),
        a.export_cross_package(work, None, &dir.path().join("again.vprscore"))
            .map(|_| ())
            .unwrap_err(),
        a.export_results_form(work, &dir.path().join("f.xlsx"), &dir.path().join("f.csv"))
            .map(|_| ())
            .unwrap_err(),
    ] {
        let msg = export.to_string();
        assert!(msg.contains("примечани"), "{msg}");
        assert!(
            !msg.to_lowercase().contains("елкин") && !msg.contains("Ёлкин"),
            "{msg}"
        );
    }
    assert!(a.missing_for_form(work).unwrap().contains(&place));
    assert!(!dir.path().join("results.zip").exists());
    assert!(!dir.path().join("f.xlsx").exists());

    a.set_score_note(
        work,
        hit.code.unwrap(),
        hit.task.unwrap(),
        hit.round.unwrap(),
        &hit.criterion,
        "читал неуверенно",
    )
    .unwrap();
    assert!(a.names_in_notes(work).unwrap().is_empty());
    assert!(a
        .missing_for_form(work)
        .unwrap()
        .iter()
        .all(|m| !m.contains("примечани")));
    a.export_cross_package(work, None, &dir.path().join("again.vprscore"))
        .unwrap();
}
