#![allow(clippy::unwrap_used)]

//! The version a participant sat, from the station's journal to the forms
//! (issue 12 item 5, issue 13 item 5): a participant on variant 2 is scored
//! against variant 2's keys and shown with variant 2; a participant of the
//! no-listening version with full marks gets that version's «5» (it was «4»),
//! and the listening task shows as not applicable («—»), not 0 — in the
//! product's form, the official form filled in and the statistics. Real
//! SQLite store, a real signed package and bundle, a real import.

mod common;

use std::{collections::BTreeMap, path::Path};

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::*;
use vpr_coordinator::{
    scoring::CriterionScore, tabular::Cell, NewStaff, PersonName, StaffRole, NOT_APPLICABLE,
};
use vpr_package::SystemClock;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// The grade 7 demo as `en7-2026` with variant 2, signed: text items `t.i`
/// accept `A{t}{i}` in variant 1 and `B{t}{i}` in variant 2.
fn sealed_two_variants() -> (SealedFixture, vpr_package::IssuerKey) {
    use vpr_package::{build_to_file, BuildRequest, Issuer, Limits, MaterialsHeader};
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("en7-2026");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures");
    copy_dir(&fixtures.join("packages/en-7"), &source);
    let mut package: serde_json::Value =
        serde_json::from_slice(&std::fs::read(source.join("package.json")).unwrap()).unwrap();
    package["id"] = "en7-2026".into();
    package["demo"] = false.into();
    let mut second = package["variants"][0].clone();
    second["number"] = 2.into();
    package["variants"].as_array_mut().unwrap().push(second);
    std::fs::write(source.join("package.json"), package.to_string()).unwrap();
    let mut keys: serde_json::Value =
        serde_json::from_slice(&std::fs::read(source.join("keys.json")).unwrap()).unwrap();
    keys["package_id"] = "en7-2026".into();
    let first = keys["variants"][0].clone();
    let mut variants = Vec::new();
    for (n, letter) in [(1, "A"), (2, "B")] {
        let mut v = first.clone();
        v["number"] = n.into();
        for task in v["tasks"].as_array_mut().unwrap() {
            let t = task["number"].as_u64().unwrap();
            if t == 1 || t == 4 {
                continue;
            }
            let items = task.get_mut("items").and_then(|i| i.as_array_mut());
            for item in items.into_iter().flatten() {
                let id = item["id"].as_str().unwrap().to_string();
                let i = id.split_once('.').unwrap().1.to_string();
                item["accepted"] = serde_json::json!([format!("{letter}{t}{i}")]);
                item["points"] = 1.into();
            }
        }
        variants.push(v);
    }
    keys["variants"] = serde_json::Value::Array(variants);
    std::fs::write(source.join("keys.json"), keys.to_string()).unwrap();
    let issuer = Issuer::from_pkcs8(&Issuer::generate_pkcs8().unwrap()).unwrap();
    let now = time::OffsetDateTime::now_utc();
    let hour_ago = now - time::Duration::hours(1);
    let meta = MaterialsHeader::read_dir(&source).unwrap().meta(
        "МБОУ СОШ № 5",
        now.date(),
        hour_ago,
        hour_ago,
    );
    let password = vpr_package::generate_password().unwrap().text;
    let keys_password = vpr_package::generate_password().unwrap().text;
    let path = dir.path().join("en7-2026.vprpkg");
    let report = build_to_file(
        &BuildRequest {
            source: &source,
            meta,
            password: &password,
            keys_password: &keys_password,
            issuer: &issuer,
            limits: Limits::default(),
            created: now,
        },
        &path,
    )
    .unwrap();
    let key = vpr_package::IssuerKey::new(issuer.public_key(), "Региональный координатор");
    (
        SealedFixture {
            path,
            source,
            package_id: "en7-2026".into(),
            sha256: report.file_sha256,
            password,
            keys_password,
            dir,
        },
        key,
    )
}

/// Every closed item right for `letter`'s variant; task 1 left out when `listening` is false.
fn all_right(letter: &str, listening: bool) -> BTreeMap<String, String> {
    grade7_items()
        .into_iter()
        .filter(|(t, _, _)| listening || *t != 1)
        .map(|(t, id, answer)| {
            let a = if t == 1 || t == 4 {
                answer
            } else {
                format!("{letter}{t}{}", id.split_once('.').unwrap().1)
            };
            (id, a)
        })
        .collect()
}

/// One session: code, variant, adapted version, answers.
type Sat<'a> = (u32, &'a str, Option<&'a str>, BTreeMap<String, String>);

/// A station whose journal holds the given sessions.
fn station(fx: &SealedFixture, issuer: &vpr_package::IssuerKey, works: &[Sat<'_>]) -> SimStation {
    use vpr_store::{
        LevelFlags, NewRecording, NewSession, RecordingStatus, RecordingUpdate, SessionStatus,
        StationInfo, Store,
    };
    let dir = tempfile::tempdir().unwrap();
    let key = vpr_integrity::StationKey::from_seed(&[5; 32]).unwrap();
    let store = Store::open(&vpr_store::exam_path(dir.path())).unwrap();
    store
        .set_station(&StationInfo {
            station_id: "st-1".into(),
            school_id: "770123".into(),
            room: "21".into(),
            number: 1,
            key_fingerprint: key.public_key().fingerprint(),
        })
        .unwrap();
    let wav = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../audio-fixtures/simulate/answer-en-2.wav"),
    )
    .unwrap();
    for (code, variant, adapted, answers) in works {
        let code = code.to_string();
        let mut new = NewSession::new(&code, &fx.package_id, variant);
        new.adapted_version = adapted.map(str::to_string);
        new.package_sha256 = Some(fx.sha256.clone());
        new.issuer_fingerprint = Some(issuer.fingerprint.clone());
        let s = store.start_session(&new).unwrap();
        for (item, value) in answers {
            let task = item.split('.').next().unwrap();
            store
                .save_answer(s.id, task, item, &serde_json::json!(value))
                .unwrap();
        }
        for task in ["2", "3"] {
            let file = format!("recordings/{code}/{task}.wav");
            let r = store
                .start_recording(&NewRecording {
                    session_id: s.id,
                    task: task.into(),
                    item: None,
                    file: file.clone(),
                })
                .unwrap();
            std::fs::create_dir_all(dir.path().join(format!("recordings/{code}"))).unwrap();
            std::fs::write(dir.path().join(&file), &wav).unwrap();
            let (sha, _) = vpr_integrity::sha256_file(&dir.path().join(&file)).unwrap();
            store
                .update_recording(
                    r.id,
                    &RecordingUpdate {
                        status: RecordingStatus::Complete,
                        sha256: Some(sha),
                        duration_ms: 4_600,
                        level_flags: LevelFlags::default(),
                    },
                )
                .unwrap();
        }
        store
            .set_session_status(s.id, SessionStatus::Finished)
            .unwrap();
    }
    let bundle = dir.path().join("station-1.zip");
    vpr_bundle::write_bundle(
        &store,
        dir.path(),
        &key,
        &bundle,
        time::OffsetDateTime::now_utc(),
    )
    .unwrap();
    SimStation { dir, key, bundle }
}

fn text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Number(n) => (*n as i64).to_string(),
        other => format!("{other:?}"),
    }
}

#[test]
fn each_participant_is_scored_and_marked_as_the_version_sat() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    let (fx, issuer) = sealed_two_variants();
    let work = sealed_work(&db, &fx, &issuer);
    let people = db.participants().unwrap();
    let (v2, deaf, standard) = (people[0].code, people[1].code, people[2].code);
    for p in &people[3..] {
        db.record_absence(work, p.id, "болезнь", "справка", None)
            .unwrap();
    }
    let st = station(
        &fx,
        &issuer,
        &[
            (v2, "2", None, all_right("B", true)),
            (deaf, "1", Some("no_listening"), all_right("A", false)),
            (standard, "1", None, all_right("A", true)),
        ],
    );
    let room = db.add_room("Кабинет 21").unwrap();
    enrol(&db, room, 1, "21", &st);
    // The coordinator's seating gives variant 2 to the first and the third
    // participant; the third sat variant 1 after all.
    let slot = db.add_slot(work, room, "09:00", "09:45").unwrap();
    for p in &people[..3] {
        db.seat(work, p.id, slot).unwrap();
    }
    assert!(db.set_seat_variant(work, people[0].code, Some(3)).is_err());
    assert!(db.set_seat_variant(work, people[5].code, Some(2)).is_err());
    db.set_seat_variant(work, people[0].code, Some(2)).unwrap();
    db.set_seat_variant(work, people[2].code, Some(2)).unwrap();
    assert_eq!(
        db.seat_variants(work).unwrap(),
        BTreeMap::from([(v2, 2), (standard, 2)])
    );
    assert!(!db.room_protocol_pdf(work, room).unwrap().is_empty());
    let report = db.import_bundle(&st.bundle).unwrap();
    assert_eq!(report.added.len(), 3, "{report:?}");
    assert_eq!(report.warnings.len(), 1, "{report:?}");
    assert!(
        report.warnings[0].contains(&standard.to_string()),
        "{report:?}"
    );
    db.release_keys(work, &fx.keys_password, &SystemClock)
        .unwrap();
    db.auto_score(work).unwrap();
    let expert = db
        .add_staff(&NewStaff {
            role: StaffRole::Expert,
            name: PersonName {
                last: "Эксперт".into(),
                first: "Первый".into(),
                middle: String::new(),
            },
            subjects: vec!["Английский язык".into()],
            teaches_classes: vec![],
            experience_years: 5,
            school_employee: true,
            parent_of_participant: false,
            organization: String::new(),
        })
        .unwrap();
    db.assign_experts(work).unwrap();
    for item in db.expert_queue(expert).unwrap() {
        let full: Vec<CriterionScore> = item
            .criteria
            .iter()
            .map(|c| CriterionScore {
                criterion: c.id.clone(),
                score: c.max_points,
                note: String::new(),
            })
            .collect();
        db.submit_scores(expert, work, item.code, item.task, &full)
            .unwrap();
    }

    let spec = db.work(work).unwrap().spec;
    let results = db.results(work).unwrap();
    let of = |code: u32| results.iter().find(|r| r.code == code).unwrap();
    // Variant 2 against variant 2's keys: every «B» answer right.
    assert_eq!(of(v2).variant, 2);
    assert_eq!(of(v2).total(), Some(spec.max_total()));
    // The no-listening version: task 1 not applicable, full marks are «5».
    assert_eq!(of(deaf).adaptation.as_deref(), Some("no_listening"));
    assert_eq!(of(deaf).not_applicable, vec![1]);
    assert!(!of(deaf).tasks.contains_key(&1));
    assert_eq!(of(deaf).total(), Some(25));
    assert_eq!(of(deaf).mark(&spec), Some(5));
    assert_eq!(of(standard).mark(&spec), Some(5));

    // The product's form.
    let table = db.results_form(work).unwrap();
    let col = |name: &str| table.header.iter().position(|h| h == name).unwrap();
    let row = |code: u32| {
        table
            .rows
            .iter()
            .find(|r| text(&r[0]) == code.to_string())
            .unwrap()
            .clone()
    };
    assert_eq!(text(&row(v2)[col("Вариант")]), "2");
    assert_eq!(text(&row(deaf)[col("Задание 1")]), NOT_APPLICABLE);
    assert_eq!(text(&row(deaf)[col("Сумма баллов")]), "25");
    assert_eq!(text(&row(deaf)[col("Отметка")]), "5");
    assert_eq!(text(&row(standard)[col("Задание 1")]), "5");

    // The statistics: three «5», task 1 over the two who sat it.
    let stats = db.statistics(work).unwrap();
    assert_eq!(stats.marks.get(&5), Some(&3), "{:?}", stats.marks);
    let t1 = stats.tasks.iter().find(|t| t.task == 1).unwrap();
    assert!((t1.percent - 100.0).abs() < 1e-9, "{t1:?}");

    // The official form filled in.
    let tpl = dir.path().join("form.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in [
        "Код участника",
        "Вариант",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "Отметка",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    wb.save(&tpl).unwrap();
    let out = dir.path().join("filled.xlsx");
    db.fill_official_form(work, &tpl, &out, &[]).unwrap();
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let line = |code: u32| -> Vec<String> {
        (1..range.height() as u32)
            .map(|r| {
                (0..9)
                    .map(|c| match range.get_value((r, c)) {
                        Some(Data::String(s)) => s.clone(),
                        Some(Data::Float(f)) => (*f as i64).to_string(),
                        Some(Data::Int(i)) => i.to_string(),
                        _ => String::new(),
                    })
                    .collect::<Vec<_>>()
            })
            .find(|cells| cells[0] == code.to_string())
            .unwrap()
    };
    assert_eq!(line(v2)[1], "2");
    assert_eq!(line(deaf)[2], NOT_APPLICABLE);
    assert_eq!(line(deaf)[8], "5");
    assert_eq!(line(standard)[2], "5");
}
