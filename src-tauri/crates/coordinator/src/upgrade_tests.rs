//! A database written by the previous release (schema 2, the coordinator's
//! own criterion and keys JSON) opens with this one and scores the same.

use rusqlite::params;
use vpr_exam::CaseRule;

use super::*;
use crate::model::item_key;

const OLD_SPEC: &str = r#"{"stations_per_room":4,"marks":[{"min_total":0,"mark":2},{"min_total":3,"mark":5}],
 "second_scoring":null,"tasks":[
 {"number":1,"title":"Аудирование","oral":false,"items":[{"id":"1.1","points":1},{"id":"1.2","points":2}]},
 {"number":2,"title":"Монолог","oral":true,"criteria":[{"id":"2К1","text":"Решение задачи","max":3},{"id":"2К2","text":"Язык","max":2}]},
 {"number":3,"title":"Грамматика","oral":false,"items":[{"id":"3.1","points":1}]}]}"#;

/// Global keys (every variant), one variant-specific override, one
/// case-sensitive item.
const OLD_KEYS: &str = r#"{"items":{"1.1":["B"],"1.2":["yes","Yes!"],"3.1":["Went"]},
 "variants":{"2":{"1.1":["C"]}},"case_sensitive":["3.1"]}"#;

#[test]
fn a_schema_2_database_is_migrated_and_scores_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coordinator.sqlite");
    let v2 = Schema::new("база координатора", &MIGRATIONS[..2]);
    {
        let db = Coordinator::create_with_schema(&path, "пароль-координатора", 1000, v2).unwrap();
        assert_eq!(vpr_sql::user_version(&db.conn).unwrap(), 2);
        db.conn
            .execute(
                "INSERT INTO works (id, subject, grade, date, upload_deadline, spec, keys, package_id)
                 VALUES (1, 'Английский язык', 7, '2026-04-14', '2026-04-18', ?1, ?2, 'en7-2026')",
                params![OLD_SPEC, OLD_KEYS],
            )
            .unwrap();
        db.conn
            .execute(
                "INSERT INTO works (id, subject, grade, date, upload_deadline, spec, package_id)
                 VALUES (2, 'Немецкий язык', 7, '2026-04-15', '2026-04-18', ?1, 'de7')",
                params![OLD_SPEC],
            )
            .unwrap();
        for (code, variant, answers) in [
            (10001, 1, r#"{"1.1":"b","1.2":"Yes!","3.1":"Went"}"#),
            (10002, 2, r#"{"1.1":"B","1.2":"no","3.1":"went"}"#),
            (10003, 2, r#"{"1.1":"c","1.2":"yes","3.1":"Went"}"#),
        ] {
            db.conn
                .execute(
                    "INSERT INTO submissions (work_id, code, variant, station_fingerprint, bundle_sha256, answers)
                     VALUES (1, ?1, ?2, 'fp', 'sha', ?3)",
                    params![code, variant, answers],
                )
                .unwrap();
        }
    }
    let db = Coordinator::open(&path, "пароль-координатора").unwrap();
    assert_eq!(vpr_sql::user_version(&db.conn).unwrap(), SCHEMA_VERSION);

    let work = db.work(1).unwrap();
    assert!(work.keys_released);
    let oral = work.spec.task(2).unwrap();
    assert_eq!(oral.criteria.len(), 2);
    assert_eq!(oral.criteria[0].id, "2К1");
    assert_eq!(oral.criteria[0].name, "Решение задачи");
    assert_eq!(oral.criteria[0].max_points, 3);
    assert_eq!(work.spec.max_total(), 1 + 2 + 5 + 1);
    assert_eq!(db.work(2).unwrap().spec, work.spec, "spec without keys too");
    assert!(!db.work(2).unwrap().keys_released);

    let keys = db.keys(1).unwrap();
    assert_eq!(keys.package_id, "en7-2026");
    let numbers: Vec<u32> = keys.variants.iter().map(|v| v.number).collect();
    assert_eq!(numbers, vec![1, 2], "listed, submitted and variant 1");
    assert_eq!(item_key(&keys, 1, "1.1").unwrap().accepted, vec!["B"]);
    assert_eq!(item_key(&keys, 2, "1.1").unwrap().accepted, vec!["C"]);
    assert_eq!(item_key(&keys, 2, "1.2").unwrap().points, 2);
    assert_eq!(item_key(&keys, 1, "3.1").unwrap().case, CaseRule::Sensitive);
    assert_eq!(
        item_key(&keys, 1, "1.1").unwrap().case,
        CaseRule::Insensitive
    );
    assert!(
        keys.variants[0].tasks.iter().all(|t| t.number != 2),
        "no closed keys for the oral task"
    );

    // The same auto-scores the old `Keys::accepts` gave.
    assert_eq!(db.auto_score(1).unwrap(), 6);
    let by_code: std::collections::BTreeMap<u32, Vec<Option<u32>>> = db
        .results(1)
        .unwrap()
        .into_iter()
        .map(|r| (r.code, vec![r.tasks[&1], r.tasks[&3]]))
        .collect();
    assert_eq!(by_code[&10001], vec![Some(3), Some(1)]);
    assert_eq!(by_code[&10002], vec![Some(0), Some(0)]);
    assert_eq!(by_code[&10003], vec![Some(3), Some(1)]);

    // Reopening runs nothing again.
    drop(db);
    let db = Coordinator::open(&path, "пароль-координатора").unwrap();
    assert_eq!(db.keys(1).unwrap(), keys);
}

/// A schema 4 database (before lists of codes) with a participant holding a
/// generated code opens as schema 5 and takes a list from ФИС ОКО.
#[test]
fn a_schema_4_database_takes_a_code_list() {
    use crate::model::{sealed_person, NAME_CELL, PARTICIPANTS};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coordinator.sqlite");
    let v4 = Schema::new("база координатора", &MIGRATIONS[..4]);
    {
        let db = Coordinator::create_with_schema(&path, "пароль-координатора", 1000, v4).unwrap();
        assert_eq!(vpr_sql::user_version(&db.conn).unwrap(), 4);
        db.upsert_class("7А", 7, "").unwrap();
        db.conn
            .execute("INSERT INTO used_codes (code) VALUES (11111)", [])
            .unwrap();
        db.conn
            .execute(
                "INSERT INTO participants (id, code, class_id, name_sealed, name_index)
                 VALUES (1, 11111, 1, x'', x'01')",
                [],
            )
            .unwrap();
        let name = crate::PersonName {
            last: "Иванов".into(),
            first: "Иван".into(),
            middle: String::new(),
        };
        let sealed = db
            .vault
            .seal_cell(
                PARTICIPANTS,
                NAME_CELL,
                1,
                &sealed_person(&name, false).unwrap(),
            )
            .unwrap();
        db.conn
            .execute(
                "UPDATE participants SET name_sealed = ?1 WHERE id = 1",
                [sealed],
            )
            .unwrap();
    }
    let mut db = Coordinator::open(&path, "пароль-координатора").unwrap();
    assert_eq!(vpr_sql::user_version(&db.conn).unwrap(), SCHEMA_VERSION);
    assert!(!db.has_code_list().unwrap());
    let list = dir.path().join("codes.csv");
    std::fs::write(&list, "Код участника\n54321\n").unwrap();
    let r = db.import_codes(&list, crate::CodeOrder::Roster).unwrap();
    assert_eq!((r.imported, r.assigned), (1, 1));
    let p = &db.participants().unwrap()[0];
    assert_eq!((p.code, p.name.last.as_str()), (54321, "Иванов"));
}

/// A schema 5 database (one recording per task) opens as schema 6 with its
/// recording kept as part 0, segment 1, and then takes a second segment.
#[test]
fn a_schema_5_database_keeps_its_recordings_and_takes_parts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coordinator.sqlite");
    let v5 = Schema::new("база координатора", &MIGRATIONS[..5]);
    {
        let db = Coordinator::create_with_schema(&path, "пароль-координатора", 1000, v5).unwrap();
        assert_eq!(vpr_sql::user_version(&db.conn).unwrap(), 5);
        db.conn
            .execute(
                "INSERT INTO recordings (work_id, code, task, path, sha256, duration_ms, silent)
                 VALUES (1, 12345, 3, 'bundles/x/3.wav', 'ab', 4600, 1)",
                [],
            )
            .unwrap();
    }
    let db = Coordinator::open(&path, "пароль-координатора").unwrap();
    assert_eq!(vpr_sql::user_version(&db.conn).unwrap(), SCHEMA_VERSION);
    let recs = db.recordings(1, 12345).unwrap();
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    assert_eq!((r.task, r.part, r.segment), (3, 0, 1));
    assert_eq!(
        (r.path.as_str(), r.duration_ms, r.silent),
        ("bundles/x/3.wav", 4600, true)
    );
    db.conn
        .execute(
            "INSERT INTO recordings (work_id, code, task, part, segment, path, sha256, duration_ms)
             VALUES (1, 12345, 3, 0, 2, 'bundles/x/3-2.wav', 'cd', 1000)",
            [],
        )
        .unwrap();
    let segments: Vec<u32> = db
        .recordings(1, 12345)
        .unwrap()
        .iter()
        .map(|r| r.segment)
        .collect();
    assert_eq!(segments, [1, 2], "no file replaces another");
}

/// A schema 6 database (before versions were recorded) opens as schema 7:
/// its work's spec has no versions and its submissions are the standard
/// version, scored and marked as before.
#[test]
fn a_schema_6_database_reads_its_submissions_as_the_standard_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coordinator.sqlite");
    let v6 = Schema::new("база координатора", &MIGRATIONS[..6]);
    let work = {
        let db = Coordinator::create_with_schema(&path, "пароль-координатора", 1000, v6).unwrap();
        assert_eq!(vpr_sql::user_version(&db.conn).unwrap(), 6);
        let spec: crate::WorkSpec =
            serde_json::from_str(include_str!("../tests/data/grade7.json")).unwrap();
        let work = db
            .add_work(&crate::NewWork {
                package_id: "en7-2026".into(),
                subject: "Английский язык".into(),
                grade: 7,
                date: "2026-04-14".into(),
                reserve_dates: vec![],
                upload_deadline: "2026-04-18".into(),
                spec,
            })
            .unwrap();
        db.conn
            .execute(
                "INSERT INTO submissions (work_id, code, variant, station_fingerprint, bundle_sha256, interrupted, answers)
                 VALUES (?1, 12345, 2, 'ab', 'cd', 0, '{\"1.1\":\"A11\"}')",
                [work],
            )
            .unwrap();
        work
    };
    let db = Coordinator::open(&path, "пароль-координатора").unwrap();
    assert_eq!(vpr_sql::user_version(&db.conn).unwrap(), SCHEMA_VERSION);
    let subs = db.submissions(work).unwrap();
    assert_eq!(subs.len(), 1);
    assert_eq!((subs[0].variant, subs[0].adaptation.as_deref()), (2, None));
    assert!(db.work(work).unwrap().spec.versions.is_empty());
    let r = &db.results(work).unwrap()[0];
    assert!(r.not_applicable.is_empty());
    assert_eq!(r.tasks.len(), 6);
}
