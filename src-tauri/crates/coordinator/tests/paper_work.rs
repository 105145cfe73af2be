#![allow(clippy::unwrap_used)]
//! A paper work made in the window (issue 13 items 4 and 5) on a real
//! SQLite file: described by its tasks and marks, its keys typed per
//! variant, a participant's variant and adapted version taken from the
//! sheet (variant 2's keys, the no-listening version's scale and «—» for the
//! task left out), refusals naming the field, and the change log in the
//! signed results archive with no names.

mod common;

use std::collections::BTreeMap;

use common::*;
use vpr_coordinator::{
    paper::{
        EnteredBy, PaperCheck, PaperKeyTable, PaperTaskDraft, PaperTaskKind, PaperVariantKeys,
        PaperWorkDraft, VARIANT_ITEM, VERSION_ITEM,
    },
    scoring::Submission,
    tabular::Cell,
    MarkBand, VersionSpec, NOT_APPLICABLE,
};

/// Everyone of the work but `keep` recorded absent (so the form can be made).
fn others_absent(db: &vpr_coordinator::Coordinator, work: i64, keep: &[u32]) {
    for p in db.participants().unwrap() {
        if !keep.contains(&p.code) {
            db.record_absence(work, p.id, "болезнь", "", None).unwrap();
        }
    }
}

fn by() -> EnteredBy {
    EnteredBy::Operator {
        label: "Оператор 2".into(),
    }
}

/// Математика, 7 класс: 1–2 short answers (task 2 has two answers of 2
/// points), 3 two criteria 0–2; 2 variants; marks 3/5/7.
fn draft() -> PaperWorkDraft {
    PaperWorkDraft {
        subject: "Математика".into(),
        grade: 7,
        date: "2026-04-16".into(),
        reserve_dates: vec!["2026-04-23".into()],
        upload_deadline: "2026-04-25".into(),
        variants: 2,
        tasks: vec![
            PaperTaskDraft {
                title: "Вычисления".into(),
                kind: PaperTaskKind::Answers {
                    count: 1,
                    points: 1,
                },
            },
            PaperTaskDraft {
                title: String::new(),
                kind: PaperTaskKind::Answers {
                    count: 2,
                    points: 2,
                },
            },
            PaperTaskDraft {
                title: "Задача".into(),
                kind: PaperTaskKind::Criteria { count: 2, max: 2 },
            },
        ],
        marks: vec![3, 6, 8],
    }
}

fn key_table(v2_second: &str) -> PaperKeyTable {
    let v = |number: u32, a: [&str; 3]| PaperVariantKeys {
        number,
        answers: BTreeMap::from([
            ("1".to_string(), a[0].to_string()),
            ("2.1".to_string(), a[1].to_string()),
            ("2.2".to_string(), a[2].to_string()),
        ]),
    };
    PaperKeyTable {
        variants: vec![v(1, ["12", "3/4; 0,75", "x"]), v(2, ["21", "5", v2_second])],
    }
}

#[test]
fn a_work_described_in_the_window_is_scored_with_the_keys_typed_per_variant() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    let work = db.add_paper_work(&draft()).unwrap();
    assert_eq!(work.package_id, "");
    let ids: Vec<String> = work
        .spec
        .tasks
        .iter()
        .flat_map(|t| {
            t.items
                .iter()
                .map(|i| i.id.clone())
                .chain(t.criteria.iter().map(|c| c.id.clone()))
        })
        .collect();
    assert_eq!(ids, ["1", "2.1", "2.2", "3К1", "3К2"]);
    assert_eq!(work.spec.max_total(), 9);
    assert_eq!(work.spec.variants, [1, 2]);
    assert_eq!(work.spec.tasks[1].title, "Задание 2");
    assert_eq!(
        work.spec
            .marks
            .iter()
            .map(|b| (b.min_total, b.mark))
            .collect::<Vec<_>>(),
        [(0, 2), (3, 3), (6, 4), (8, 5)]
    );

    // Keys: an item left empty is refused naming the variant and item;
    // the table reads back what was stored.
    let err = db.set_paper_keys(work.id, &key_table(" ; ")).unwrap_err();
    assert_eq!(vpr_error::Coded::code(&err), "coord_paper_work");
    assert!(err.to_string().contains("вариант 2, ответ 2.2"), "{err}");
    assert!(!db.work(work.id).unwrap().keys_released);
    let mut unknown = key_table("y");
    unknown.variants[0].answers.insert("9.9".into(), "1".into());
    let err = db.set_paper_keys(work.id, &unknown).unwrap_err();
    assert!(err.to_string().contains("9.9"), "{err}");
    let w = db.set_paper_keys(work.id, &key_table("y")).unwrap();
    assert!(w.keys_released);
    let back = db.paper_key_table(work.id).unwrap();
    assert_eq!(back.variants[0].answers["2.1"], "3/4; 0,75");

    // Participant 0 sat variant 2 (from the sheet), participant 1 variant 1.
    let codes: Vec<u32> = db
        .paper_grid(work.id)
        .unwrap()
        .rows
        .iter()
        .map(|r| r.code)
        .collect();
    let (a, b) = (codes[0], codes[1]);
    let row = db.paper_set_sheet(work.id, a, 2, None, &by()).unwrap();
    assert_eq!((row.variant, row.from_station), (2, false));
    let err = db.paper_set_sheet(work.id, a, 3, None, &by()).unwrap_err();
    assert!(
        err.to_string().contains("нет варианта 3 (есть: 1, 2)"),
        "{err}"
    );
    for (code, values) in [
        (a, ["21", "5", "y", "2", "1"]),
        (b, ["21", "0,75", "x", "2", "2"]),
    ] {
        for (item, v) in ["1", "2.1", "2.2", "3К1", "3К2"].iter().zip(values) {
            db.paper_enter(work.id, code, item, v, &by()).unwrap();
        }
    }
    let grid = db.paper_grid(work.id).unwrap();
    let checks = |code: u32| -> Vec<PaperCheck> {
        let r = grid.rows.iter().find(|r| r.code == code).unwrap();
        r.cells.iter().map(|c| c.check).collect()
    };
    use PaperCheck::*;
    assert_eq!(checks(a), [Right, Right, Right, InRange, InRange]);
    assert_eq!(checks(b), [Wrong, Right, Right, InRange, InRange]);
    let results = db.results(work.id).unwrap();
    let r = |code: u32| results.iter().find(|r| r.code == code).unwrap();
    assert_eq!((r(a).variant, r(a).total()), (2, Some(8)));
    assert_eq!((r(b).variant, r(b).total()), (1, Some(8)));
    others_absent(&db, work.id, &[a, b]);
    let form = db.results_form(work.id).unwrap();
    let row = form
        .rows
        .iter()
        .find(|row| row[0] == Cell::text(a.to_string()))
        .unwrap();
    assert_eq!(row[1], Cell::int(2), "the variant sat, on the form");
    // The variant change is in the log with who made it.
    let log = db.paper_log(work.id).unwrap();
    let v: Vec<_> = log.iter().filter(|l| l.item == VARIANT_ITEM).collect();
    assert_eq!(v.len(), 1, "{log:?}");
    assert_eq!(
        (
            v[0].code,
            v[0].old_value.as_deref(),
            v[0].new_value.as_deref(),
            v[0].by.as_str()
        ),
        (a, None, Some("2"), "Оператор 2")
    );
}

#[test]
fn a_draft_is_refused_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_db(dir.path());
    type Change = Box<dyn Fn(&mut PaperWorkDraft)>;
    let cases: Vec<(Change, &str)> = vec![
        (Box::new(|d| d.subject = "  ".into()), "предмет"),
        (Box::new(|d| d.grade = 12), "класс"),
        (Box::new(|d| d.variants = 0), "число вариантов"),
        (Box::new(|d| d.tasks.clear()), "хотя бы одно задание"),
        (
            Box::new(|d| {
                d.tasks[2].kind = PaperTaskKind::Criteria { count: 2, max: 0 };
            }),
            "задание 3: наибольший балл критерия",
        ),
        (
            Box::new(|d| {
                d.tasks[1].kind = PaperTaskKind::Answers {
                    count: 21,
                    points: 1,
                };
            }),
            "задание 2: число ответов",
        ),
        (Box::new(|d| d.marks = vec![3, 3, 8]), "отметка «4»"),
        (
            Box::new(|d| d.marks = vec![3, 6, 10]),
            "максимума работы (9)",
        ),
        (Box::new(|d| d.marks = vec![3, 6]), "три порога"),
        (Box::new(|d| d.date = "16.04.2026".into()), "16.04.2026"),
        (
            Box::new(|d| d.tasks = vec![d.tasks[0].clone(); 61]),
            "больше 60 заданий",
        ),
    ];
    for (change, want) in cases {
        let mut d = draft();
        change(&mut d);
        let err = db.add_paper_work(&d).unwrap_err();
        assert!(err.to_string().contains(want), "{want}: {err}");
    }
    assert!(db.works().unwrap().is_empty(), "nothing saved by a refusal");
}

/// The grade 7 paper work with a no-listening version (task 1 left out;
/// its own marks 11/17/22 of 25).
fn work_with_version(db: &mut vpr_coordinator::Coordinator) -> i64 {
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    let mut w = grade7_work();
    w.package_id = String::new();
    w.spec.variants = vec![1, 2];
    w.spec.versions = vec![VersionSpec {
        id: "no_listening".into(),
        title: "Без аудирования".into(),
        left_out: vec![1],
        marks: [(0, 2), (11, 3), (17, 4), (22, 5)]
            .iter()
            .map(|&(min_total, mark)| MarkBand { min_total, mark })
            .collect(),
    }];
    let work = db.add_work(&w).unwrap();
    db.set_keys(work, &grade7_keys()).unwrap();
    work
}

#[test]
fn a_paper_participant_of_an_adapted_version_gets_its_scale_and_not_applicable() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    let work = work_with_version(&mut db);
    let code = db.paper_grid(work).unwrap().rows[0].code;
    let row = db
        .paper_set_sheet(work, code, 2, Some("no_listening"), &by())
        .unwrap();
    assert_eq!(row.version.as_deref(), Some("no_listening"));
    let err = db
        .paper_set_sheet(work, code, 2, Some("braille"), &by())
        .unwrap_err();
    assert!(err.to_string().contains("нет версии «braille»"), "{err}");
    // Task 1 is not part of the version: shown so, and refused at entry.
    assert!(row
        .cells
        .iter()
        .filter(|c| c.column.starts_with("1."))
        .all(|c| c.check == PaperCheck::NotApplicable));
    let err = db.paper_enter(work, code, "1.1", "B11", &by()).unwrap_err();
    assert!(err.to_string().contains("не входит в версию"), "{err}");
    // Full marks on the version's tasks (variant 2's keys: `A{t}{i}` too).
    let grid = db.paper_grid(work).unwrap();
    for c in grid.columns.iter().filter(|c| c.task != 1) {
        let v = if c.id.contains('.') {
            let (t, i) = c.id.split_once('.').unwrap();
            format!("A{t}{i}")
        } else {
            c.max.to_string()
        };
        db.paper_enter(work, code, &c.id, &v, &by()).unwrap();
    }
    let row = db
        .paper_grid(work)
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.code == code)
        .unwrap();
    assert!(row.complete, "the left-out task needs nothing");
    let results = db.results(work).unwrap();
    let r = results.iter().find(|r| r.code == code).unwrap();
    assert_eq!(r.adaptation.as_deref(), Some("no_listening"));
    assert_eq!(r.not_applicable, [1]);
    assert_eq!(r.total(), Some(25));
    let spec = db.work(work).unwrap().spec;
    assert_eq!(spec.mark_of(25, r.adaptation.as_deref()), Some(5));
    assert_eq!(spec.mark_for(25), Some(4), "the standard scale gives «4»");
    others_absent(&db, work, &[code]);
    let form = db.results_form(work).unwrap();
    let header = &form.header;
    let row = form
        .rows
        .iter()
        .find(|row| row[0] == Cell::text(code.to_string()))
        .unwrap();
    let col = header.iter().position(|h| h == "Задание 1").unwrap();
    assert_eq!(row[col], Cell::text(NOT_APPLICABLE), "{header:?}");
    assert_eq!(row[1], Cell::int(2), "the variant from the sheet");
    assert_eq!(row[row.len() - 1], Cell::int(5), "{header:?} {row:?}");
    // The log has the version with who set it.
    let log = db.paper_log(work).unwrap();
    assert!(log
        .iter()
        .any(|l| l.item == VERSION_ITEM && l.new_value.as_deref() == Some("no_listening")));
}

#[test]
fn a_sheet_cannot_contradict_the_station_part() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    let work = work_with_version(&mut db);
    let code = db.paper_grid(work).unwrap().rows[0].code;
    db.record_submission(
        &Submission {
            adaptation: None,
            work_id: work,
            code,
            variant: 1,
            station_fingerprint: "00".into(),
            bundle_sha256: "00".into(),
            interrupted: false,
            answers: BTreeMap::new(),
        },
        &[],
    )
    .unwrap();
    let err = db.paper_set_sheet(work, code, 2, None, &by()).unwrap_err();
    assert!(
        err.to_string()
            .contains("со станции уже импортирована: вариант 1"),
        "{err}"
    );
    let row = db.paper_set_sheet(work, code, 1, None, &by()).unwrap();
    assert!(row.from_station);
}

#[test]
fn the_results_archive_carries_the_paper_log_without_names() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    let work = db.add_paper_work(&draft()).unwrap().id;
    db.set_paper_keys(work, &key_table("y")).unwrap();
    let grid = db.paper_grid(work).unwrap();
    for r in &grid.rows {
        for (item, v) in ["1", "2.1", "2.2", "3К1", "3К2"]
            .iter()
            .zip(["12", "3/4", "x", "1", "2"])
        {
            db.paper_enter(work, r.code, item, v, &by()).unwrap();
        }
    }
    let out = dir.path().join("archive.zip");
    db.export_results_archive(work, &out).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("paper_log.json").unwrap(), &mut text).unwrap();
    let log: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(log.len(), grid.rows.len() * 5);
    assert!(log.iter().all(|l| l["by"] == "Оператор 2"));
    assert_no_names(&out, &roster_name_parts());
}

#[test]
fn a_work_made_by_mistake_is_changed_or_removed_until_results_are_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    let work = db.add_paper_work(&draft()).unwrap().id;
    db.set_paper_keys(work, &key_table("y")).unwrap();
    // Titles and marks change: the keys stay.
    let mut d = draft();
    d.tasks[0].title = "Устный счёт".into();
    d.marks = vec![2, 5, 7];
    let w = db.update_paper_work(work, &d).unwrap();
    assert!(w.keys_released);
    assert_eq!(w.spec.tasks[0].title, "Устный счёт");
    assert_eq!(w.spec.mark_for(7), Some(5));
    // The items change: the keys are cleared to be typed again.
    d.tasks[1].kind = PaperTaskKind::Answers {
        count: 3,
        points: 1,
    };
    let w = db.update_paper_work(work, &d).unwrap();
    assert!(!w.keys_released);
    assert_eq!(w.spec.max_total(), 8);
    // A refused draft changes nothing.
    let mut bad = d.clone();
    bad.marks = vec![1, 1, 1];
    assert!(db.update_paper_work(work, &bad).is_err());
    assert_eq!(db.work(work).unwrap().spec.max_total(), 8);
    // Once a sheet is in, neither change nor removal.
    let code = db.paper_grid(work).unwrap().rows[0].code;
    db.paper_enter(work, code, "3К1", "1", &by()).unwrap();
    let err = db.update_paper_work(work, &draft()).unwrap_err();
    assert_eq!(vpr_error::Coded::code(&err), "coord_work_in_use");
    assert!(err.to_string().contains("результаты с бланков"), "{err}");
    let err = db.remove_work(work).unwrap_err();
    assert!(err.to_string().contains("результаты с бланков"), "{err}");
    assert!(db.work(work).is_ok());
    // The same subject, grade and date twice: refused by name, not in SQL.
    let err = db.add_paper_work(&draft()).unwrap_err();
    assert!(
        err.to_string()
            .contains("«Математика», 7 класс, 2026-04-16 уже есть"),
        "{err}"
    );
    // A fresh one goes.
    let mut next = draft();
    next.date = "2026-04-17".into();
    let other = db.add_paper_work(&next).unwrap().id;
    db.remove_work(other).unwrap();
    assert!(db.work(other).is_err());
    assert_eq!(db.works().unwrap().len(), 1);
}
