#![allow(clippy::unwrap_used)]

//! The scenario over real station bundles: 3 stations × 10 participants,
//! import → auto-score → expert scores → form, checked cell by cell against
//! values computed here independently; tampered, foreign and repeated bundles.

mod common;

use std::collections::BTreeMap;

use calamine::{open_workbook_auto, Reader};
use common::*;
use vpr_coordinator::{
    import::WorkState, scoring::CriterionScore, Coordinator, CoordinatorError, NewParticipant,
    NewStaff, PersonName, StaffRole,
};

fn expert(db: &Coordinator, last: &str, teaches: &str) -> i64 {
    db.add_staff(&NewStaff {
        role: StaffRole::Expert,
        name: PersonName {
            last: last.into(),
            first: "Эксперт".into(),
            middle: String::new(),
        },
        subjects: vec!["Английский язык".into()],
        teaches_classes: vec![teaches.into()],
        experience_years: 5,
        school_employee: true,
        parent_of_participant: false,
        organization: String::new(),
    })
    .unwrap()
}

#[test]
fn three_stations_to_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    db.set_school(&vpr_coordinator::School {
        name: "МБОУ СОШ № 5".into(),
        login: "sch770123".into(),
        ..Default::default()
    })
    .unwrap();
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    let extra: Vec<NewParticipant> = (0..10)
        .map(|i| NewParticipant {
            class_name: "7Б".into(),
            name: PersonName {
                last: format!("Дополнительный{i}"),
                first: "Участник".into(),
                middle: String::new(),
            },
            sex: "Ж".into(),
            special_needs: false,
            previous_mark: None,
        })
        .collect();
    db.add_participants(&extra).unwrap();
    let people = db.participants().unwrap();
    assert_eq!(people.len(), 30);
    let (fx, issuer) = sealed_grade7(false);
    let work = sealed_work(&db, &fx, &issuer);
    let room = db.add_room("Кабинет 21").unwrap();
    let sha = Some(fx.sha256.as_str());

    // Simulated answers with independently computed expected task scores.
    let mut rng = Rng(0xC0FFEE);
    let mut expected: BTreeMap<u32, BTreeMap<u32, u32>> = BTreeMap::new();
    let mut variants = BTreeMap::new();
    let mut given = BTreeMap::new();
    let mut stations = Vec::new();
    for (s, chunk) in people.chunks(10).enumerate() {
        let mut works = Vec::new();
        for (i, p) in chunk.iter().enumerate() {
            let mut answers = BTreeMap::new();
            let mut exp = BTreeMap::new();
            let items = grade7_items();
            for t in [1u32, 4, 5, 6] {
                let mut score = 0;
                for (_, id, correct) in items.iter().filter(|(task, _, _)| *task == t) {
                    match rng.below(4) {
                        0 => {
                            answers.insert(id.clone(), correct.clone());
                            score += 1;
                        }
                        1 => {
                            answers.insert(id.clone(), format!(" {}  ", correct.to_lowercase()));
                            score += 1;
                        }
                        2 => {
                            answers.insert(id.clone(), "=HYPERLINK(\"x\")".into());
                        }
                        _ => {}
                    }
                }
                exp.insert(t, score);
            }
            expected.insert(p.code, exp);
            given.insert(p.code, answers.clone());
            let variant = 1 + (i as u32 % 2);
            variants.insert(p.code, variant);
            works.push(SimWork {
                code: p.code,
                variant,
                answers,
                finished: !(s == 2 && i == 9),
                silent_monologue: s == 1 && i == 0,
            });
        }
        let st = simulate_station_with(s as u32 + 1, "21", "770123", "en7-2026", sha, &works);
        enrol(&db, room, s as u32 + 1, "21", &st);
        stations.push(st);
    }

    // A foreign station (not registered) and a tampered bundle are refused.
    let foreign = simulate_station_with(
        99,
        "21",
        "770123",
        "en7-2026",
        sha,
        &[SimWork {
            code: people[0].code,
            variant: 1,
            answers: BTreeMap::new(),
            finished: true,
            silent_monologue: false,
        }],
    );
    let err = db.import_bundle(&foreign.bundle).unwrap_err();
    assert!(
        matches!(err, CoordinatorError::BundleRejected(ref m) if m.contains("нет доверия")),
        "{err}"
    );
    let tampered = dir.path().join("tampered.zip");
    let mut bytes = std::fs::read(&stations[0].bundle).unwrap();
    let at = bytes.len() / 3;
    bytes[at] ^= 0x20;
    std::fs::write(&tampered, &bytes).unwrap();
    assert!(matches!(
        db.import_bundle(&tampered),
        Err(CoordinatorError::BundleRejected(_))
    ));
    assert!(
        db.submissions(work).unwrap().is_empty(),
        "nothing imported from refused bundles"
    );

    for st in &stations {
        let r = db.import_bundle(&st.bundle).unwrap();
        assert_eq!(r.added.len(), 10, "{r:?}");
        assert!(r.unknown_codes.is_empty() && r.skipped.is_empty(), "{r:?}");
    }
    // Every imported file (recordings, the kept bundle) is owner-only.
    {
        use std::os::unix::fs::PermissionsExt;
        let mut files = 0;
        let mut stack = vec![db.layout().root().join("bundles")];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let mode = e.metadata().unwrap().permissions().mode() & 0o777;
                if e.file_type().unwrap().is_dir() {
                    assert_eq!(mode, 0o700, "{}", e.path().display());
                    stack.push(e.path());
                } else {
                    assert_eq!(mode, 0o600, "{}", e.path().display());
                    files += 1;
                }
            }
        }
        assert!(files > 3, "recordings and bundles were checked");
    }
    // Re-import: idempotent.
    let again = db.import_bundle(&stations[1].bundle).unwrap();
    assert!(again.already_imported);
    assert_eq!(again.unchanged.len(), 10);
    assert_eq!(db.submissions(work).unwrap().len(), 30);

    // Completeness board.
    let board = db.completeness(work).unwrap();
    assert_eq!(board.len(), 1);
    assert_eq!(board[0].room, "Кабинет 21");
    let rows = &board[0].rows;
    assert_eq!(rows.len(), 30);
    assert_eq!(
        rows.iter()
            .filter(|r| r.state == WorkState::Interrupted)
            .count(),
        1
    );
    assert_eq!(
        rows.iter()
            .filter(|r| r.silent_recordings == vec![3])
            .count(),
        1
    );
    assert!(rows.iter().all(|r| r.missing_recordings.is_empty()));
    // The interrupted participant finished at a reserve station: that session wins.
    let late = people[29].code;
    let reserve = simulate_station_with(
        4,
        "21",
        "770123",
        "en7-2026",
        sha,
        &[SimWork {
            code: late,
            variant: variants[&late],
            answers: given[&late].clone(),
            finished: true,
            silent_monologue: false,
        }],
    );
    enrol(&db, room, 4, "21", &reserve);
    assert_eq!(db.import_bundle(&reserve.bundle).unwrap().added, vec![late]);
    let board = db.completeness(work).unwrap();
    assert!(board[0]
        .rows
        .iter()
        .all(|r| r.state != WorkState::Interrupted));
    // A second, different finished work for a code is a conflict: held with
    // both sides shown, the form blocked until the coordinator decides.
    let conflict = simulate_station_with(
        5,
        "21",
        "770123",
        "en7-2026",
        sha,
        &[SimWork {
            code: people[0].code,
            variant: 1,
            answers: BTreeMap::from([("1.1".to_string(), "other".to_string())]),
            finished: true,
            silent_monologue: false,
        }],
    );
    enrol(&db, room, 5, "21", &conflict);
    let held = db.import_bundle(&conflict.bundle).unwrap();
    assert_eq!(held.conflicts, vec![people[0].code]);
    assert!(held.added.is_empty());
    let open = db.held_sessions(work).unwrap();
    assert_eq!(open.len(), 1);
    let existing = open[0].existing.as_ref().expect("both sides shown");
    assert_eq!(open[0].held.answers, 1);
    assert_eq!(existing.answers as usize, given[&people[0].code].len());
    assert!(open[0].held.station.contains("станция 5"));
    assert!(existing.station.contains("станция 1"));
    assert_eq!((open[0].held.recordings, existing.recordings), (2, 2));
    assert_eq!(
        db.submissions(work)
            .unwrap()
            .iter()
            .find(|s| s.code == people[0].code)
            .unwrap()
            .answers,
        given[&people[0].code]
    );

    // Recordings were extracted next to the database and match their hashes.
    let rec = db.recordings(work, people[0].code).unwrap();
    assert_eq!(rec.len(), 2);
    let (sha, _) = vpr_integrity::sha256_file(&db.data_dir().join(&rec[0].path)).unwrap();
    assert_eq!(sha.to_hex(), rec[0].sha256);
    let peaks = db
        .recording_waveform(work, people[0].code, 3, 0, 1, 200)
        .unwrap();
    assert_eq!(peaks.len(), 200);
    assert!(
        peaks.iter().any(|p| *p > 0.01),
        "the sample answer is not silent"
    );
    assert!(peaks.iter().all(|p| (0.0..=1.0).contains(p)));

    // Keys from the signed package, auto-scoring, experts.
    assert!(matches!(
        db.set_keys(work, &grade7_keys()),
        Err(CoordinatorError::Invalid(_))
    ));
    db.release_keys(work, &fx.keys_password, &vpr_package::SystemClock)
        .unwrap();
    assert_eq!(db.auto_score(work).unwrap(), 30 * 4);
    let e1 = expert(&db, "Экспертова", "7А");
    let e2 = expert(&db, "Проверяев", "9В");
    let report = db.assign_experts(work).unwrap();
    assert_eq!(report.assigned, 60);
    assert_eq!(
        report.load.values().copied().collect::<Vec<_>>(),
        vec![30, 30]
    );
    for item in db.expert_queue(e1).unwrap() {
        let class = &people
            .iter()
            .find(|p| p.code == item.code)
            .unwrap()
            .class_name;
        assert_ne!(class, "7А", "an expert never scores a class they teach");
    }
    for e in [e1, e2] {
        for item in db.expert_queue(e).unwrap() {
            assert_eq!(item.parts.len(), 1, "the expert gets the recording");
            assert_eq!(item.parts[0].segments.len(), 1);
            let scores: Vec<CriterionScore> = item
                .criteria
                .iter()
                .map(|c| CriterionScore {
                    criterion: c.id.clone(),
                    score: (item.code / 7 + c.max_points) % (c.max_points + 1),
                    note: String::new(),
                })
                .collect();
            expected
                .get_mut(&item.code)
                .unwrap()
                .insert(item.task, scores.iter().map(|s| s.score).sum());
            db.submit_scores(e, work, item.code, item.task, &scores)
                .unwrap();
        }
    }

    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let blocked = db
        .export_results_form(work, &out.join("form.xlsx"), &out.join("form.csv"))
        .unwrap_err();
    assert!(
        matches!(&blocked, CoordinatorError::FormBlocked(m) if m.iter().any(|m| m.contains("вторая, другая работа"))),
        "{blocked}"
    );
    db.resolve_held(
        open[0].id,
        &vpr_coordinator::custody::Resolution::KeepExisting,
    )
    .unwrap();
    assert!(db.held_sessions(work).unwrap().is_empty());
    db.export_results_form(work, &out.join("form.xlsx"), &out.join("form.csv"))
        .unwrap();
    let mut wb = open_workbook_auto(out.join("form.xlsx")).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    let cells: Vec<Vec<String>> = range
        .rows()
        .skip(2)
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(cells.len(), 30);
    for row in &cells {
        let code: u32 = row[0].parse().unwrap();
        let exp = &expected[&code];
        let total: u32 = exp.values().sum();
        let mark = match total {
            0..=12 => 2,
            13..=20 => 3,
            21..=26 => 4,
            _ => 5,
        };
        let mut want = vec![code.to_string(), variants[&code].to_string()];
        want.extend((1..=6).map(|t| exp[&t].to_string()));
        want.push(total.to_string());
        want.push(mark.to_string());
        assert_eq!(row, &want);
    }
    // The signed archive of all results verifies, and any change is caught.
    let archive = out.join("results.zip");
    let m = db.export_results_archive(work, &archive).unwrap();
    assert_eq!(m.participants, 30);
    assert!(m.files.iter().any(|f| f.name == "form.xlsx"));
    let check = vpr_coordinator::archive::verify_results_archive(
        &archive,
        Some(&db.archive_public_key().unwrap()),
    )
    .unwrap();
    assert_eq!(
        check.station_bundles, 4,
        "the three stations and the reserve one (the conflicting one was not kept)"
    );
    let mut bytes = std::fs::read(&archive).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 1;
    std::fs::write(out.join("bad.zip"), &bytes).unwrap();
    assert!(vpr_coordinator::archive::verify_results_archive(&out.join("bad.zip"), None).is_err());
    std::fs::remove_file(out.join("bad.zip")).unwrap();
    let other = vpr_integrity::StationKey::from_seed(&[7; 32])
        .unwrap()
        .public_key()
        .to_hex();
    assert!(vpr_coordinator::archive::verify_results_archive(&archive, Some(&other)).is_err());
    // No export and no imported file holds a name.
    assert_no_names(&out, &roster_name_parts());
    assert_no_names(&db.data_dir().join("bundles"), &roster_name_parts());
}
