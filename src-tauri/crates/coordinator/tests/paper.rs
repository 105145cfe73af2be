#![allow(clippy::unwrap_used)]
//! Paper works on a real SQLite file: entry by code, key checking, range
//! refusal, the log with who and when, a mixed work on one form row, and
//! the form and statistics taking paper works like station works.

mod common;

use std::collections::BTreeMap;

use common::*;
use vpr_coordinator::{
    paper::{EnteredBy, PaperCheck, PaperColumnKind},
    scoring::{CriterionScore, Submission},
    tabular::Cell,
    Coordinator, CoordinatorError, NewStaff, PersonName, StaffRole,
};

fn operator(label: &str) -> EnteredBy {
    EnteredBy::Operator {
        label: label.into(),
    }
}

/// A paper work of the grade 7 spec with its keys stored (no package).
fn paper_work(db: &mut Coordinator) -> i64 {
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    let mut w = grade7_work();
    w.package_id = String::new();
    let work = db.add_work(&w).unwrap();
    db.set_keys(work, &grade7_keys()).unwrap();
    work
}

/// Type every cell of one participant's row: right answers and full
/// criteria when `good`, wrong answers and zeros otherwise; `tasks` limits
/// the tasks typed (None: all).
fn type_row(
    db: &Coordinator,
    work: i64,
    code: u32,
    good: bool,
    tasks: Option<&[u32]>,
    by: &EnteredBy,
) {
    for c in db.paper_grid(work).unwrap().columns {
        if tasks.is_some_and(|t| !t.contains(&c.task)) {
            continue;
        }
        let value = match (c.kind, good) {
            (PaperColumnKind::Answer, true) => {
                let (t, i) = c.id.split_once('.').unwrap();
                format!("a{t}{i}")
            }
            (PaperColumnKind::Answer, false) => "нет ответа".into(),
            (PaperColumnKind::Criterion, true) => c.max.to_string(),
            (PaperColumnKind::Criterion, false) => "0".into(),
        };
        db.paper_enter(work, code, &c.id, &value, by).unwrap();
    }
}

#[test]
fn entry_checks_keys_refuses_out_of_range_and_logs_who_and_when() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    let work = paper_work(&mut db);
    let grid = db.paper_grid(work).unwrap();
    assert_eq!(grid.rows.len(), 20);
    assert_eq!(grid.columns.len(), 24);
    assert!(grid.keys_released);
    let code = grid.rows[0].code;

    let by = operator("Оператор 1");
    let row = db.paper_enter(work, code, "1.1", " A11 ", &by).unwrap();
    let cell = row.cells.iter().find(|c| c.column == "1.1").unwrap();
    assert_eq!((cell.check, cell.points), (PaperCheck::Right, Some(1)));
    let row = db.paper_enter(work, code, "1.2", "B", &by).unwrap();
    let cell = row.cells.iter().find(|c| c.column == "1.2").unwrap();
    assert_eq!((cell.check, cell.points), (PaperCheck::Wrong, Some(0)));
    let row = db.paper_enter(work, code, "3К1", "3", &by).unwrap();
    let cell = row.cells.iter().find(|c| c.column == "3К1").unwrap();
    assert_eq!((cell.check, cell.points), (PaperCheck::InRange, Some(3)));
    assert_eq!(row.points, 4);
    assert!(!row.complete);

    // Out of range: refused with a coded Russian error naming code and item.
    let e = db.paper_enter(work, code, "3К1", "4", &by).unwrap_err();
    assert!(
        matches!(e, CoordinatorError::PaperOutOfRange { max: 3, .. }),
        "{e:?}"
    );
    assert_eq!(vpr_error::Coded::code(&e), "coord_paper_out_of_range");
    let msg = e.to_string();
    assert!(
        msg.contains(&code.to_string()) && msg.contains("3К1") && msg.contains("0–3"),
        "{msg}"
    );
    for bad in ["x", "-1", "2.5"] {
        let e = db.paper_enter(work, code, "3К1", bad, &by).unwrap_err();
        assert_eq!(vpr_error::Coded::code(&e), "coord_paper_entry", "{bad}");
    }
    let e = db.paper_enter(work, code, "9.9", "1", &by).unwrap_err();
    assert!(e.to_string().contains("9.9"), "{e}");
    let e = db.paper_enter(work, 99_999, "1.1", "A11", &by).unwrap_err();
    assert!(e.to_string().contains("99999"), "{e}");
    let long = "а".repeat(201);
    assert!(db.paper_enter(work, code, "1.3", &long, &by).is_err());
    // The refused values left the cell as it was.
    let row = db.paper_grid(work).unwrap().rows.remove(0);
    assert_eq!(
        row.cells
            .iter()
            .find(|c| c.column == "3К1")
            .unwrap()
            .value
            .as_deref(),
        Some("3")
    );

    // Who enters is never a participant's (or staff member's) name.
    for name in ["Белов", "учитель белов", "Алиса"] {
        let e = db
            .paper_enter(work, code, "1.3", "A13", &operator(name))
            .unwrap_err();
        assert_eq!(vpr_error::Coded::code(&e), "coord_paper_by", "{name}");
    }
    assert!(db
        .paper_enter(work, code, "1.3", "A13", &operator("  "))
        .is_err());
    let teacher = db
        .add_staff(&NewStaff {
            role: StaffRole::Expert,
            name: PersonName {
                last: "Учителева".into(),
                first: "Мария".into(),
                middle: String::new(),
            },
            subjects: vec!["Английский язык".into()],
            teaches_classes: vec![],
            experience_years: 3,
            school_employee: true,
            parent_of_participant: false,
            organization: String::new(),
        })
        .unwrap();
    let e = db
        .paper_enter(work, code, "1.3", "A13", &operator("Учителева"))
        .unwrap_err();
    assert_eq!(vpr_error::Coded::code(&e), "coord_paper_by");

    // A second teacher in turn corrects a cell; the same value again logs nothing.
    let staff = EnteredBy::Staff { id: teacher };
    db.paper_enter(work, code, "1.2", "A12", &staff).unwrap();
    db.paper_enter(work, code, "1.2", "A12", &staff).unwrap();
    db.paper_enter(work, code, "1.1", "", &staff).unwrap();
    assert!(db
        .paper_enter(work, code, "1.1", "1", &EnteredBy::Staff { id: 999 })
        .is_err());

    let log = db.paper_log(work).unwrap();
    assert_eq!(log.len(), 5, "{log:?}");
    assert_eq!(log[0].item, "1.1");
    assert_eq!(
        (log[0].old_value.as_deref(), log[0].new_value.as_deref()),
        (None, Some("A11"))
    );
    assert_eq!(log[0].by, "Оператор 1");
    assert_eq!(log[0].by_staff, None);
    assert_eq!(log[3].item, "1.2");
    assert_eq!(
        (log[3].old_value.as_deref(), log[3].new_value.as_deref()),
        (Some("B"), Some("A12"))
    );
    assert_eq!(log[3].by_staff, Some(teacher));
    assert_eq!(log[3].by, format!("Э-{teacher:03}"));
    assert_eq!(
        (log[4].old_value.as_deref(), log[4].new_value.as_deref()),
        (Some("A11"), None)
    );
    for l in &log {
        assert_eq!(l.code, code);
        let at = time::OffsetDateTime::parse(&l.at, &time::format_description::well_known::Rfc3339)
            .unwrap();
        assert_eq!(at.offset(), time::UtcOffset::UTC, "{}", l.at);
        assert!((time::OffsetDateTime::now_utc() - at).whole_minutes().abs() < 5);
    }
    // The log survives reopening the real file.
    drop(db);
    let db = Coordinator::open(&dir.path().join("coordinator.sqlite"), PASSWORD).unwrap();
    assert_eq!(db.paper_log(work).unwrap().len(), 5);
}

#[test]
fn a_paper_work_feeds_the_form_statistics_and_result_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    let work = paper_work(&mut db);
    let people = db.participants().unwrap();
    let by = operator("Оператор 2");
    let blocked = db.results_form(work).unwrap_err();
    assert!(matches!(blocked, CoordinatorError::FormBlocked(_)));
    let mut expected = BTreeMap::new();
    for (i, p) in people.iter().enumerate() {
        let good = p.class_name == "7А";
        // Two teachers in turn.
        let by = if i % 2 == 0 {
            by.clone()
        } else {
            operator("Оператор 3")
        };
        type_row(&db, work, p.code, good, None, &by);
        expected.insert(p.code, if good { (30, 5) } else { (0, 2) });
    }
    assert!(db.paper_grid(work).unwrap().rows.iter().all(|r| r.complete));
    let form = db.results_form(work).unwrap();
    assert_eq!(form.rows.len(), 20);
    let n = form.header.len();
    assert_eq!(form.header[n - 2], "Сумма баллов");
    for row in &form.rows {
        let Cell::Text(code) = &row[0] else {
            panic!("{row:?}")
        };
        let (total, mark) = expected[&code.parse::<u32>().unwrap()];
        assert_eq!(row[n - 2], Cell::int(total), "{code}");
        assert_eq!(row[n - 1], Cell::int(mark), "{code}");
    }
    let good = expected.values().filter(|v| v.0 == 30).count() as u32;
    assert!(good > 0 && good < 20);
    let st = db.statistics(work).unwrap();
    assert_eq!(st.participants, 20);
    assert_eq!(st.marks.get(&5).copied(), Some(good));
    assert_eq!(st.marks.get(&2).copied(), Some(20 - good));
    assert_eq!(st.totals[30], good);
    let pdf = db.result_sheets_pdf(work).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    db.export_results_form(work, &out.join("form.xlsx"), &out.join("form.csv"))
        .unwrap();
    assert_no_names(&out, &roster_name_parts());
}

#[test]
fn a_mixed_work_joins_paper_and_station_parts_on_one_form_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    let work = paper_work(&mut db);
    let expert = db
        .add_staff(&NewStaff {
            role: StaffRole::Expert,
            name: PersonName {
                last: "Экспертова".into(),
                first: "Ольга".into(),
                middle: String::new(),
            },
            subjects: vec!["Английский язык".into()],
            teaches_classes: vec![],
            experience_years: 2,
            school_employee: true,
            parent_of_participant: false,
            organization: String::new(),
        })
        .unwrap();
    let people = db.participants().unwrap();
    // The oral part from the stations: no written answers in the bundles.
    for p in &people {
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
            &[],
        )
        .unwrap();
    }
    db.auto_score(work).unwrap();
    db.assign_experts(work).unwrap();
    for item in db.expert_queue(expert).unwrap() {
        let scores: Vec<CriterionScore> = item
            .criteria
            .iter()
            .map(|c| CriterionScore {
                criterion: c.id.clone(),
                score: c.max_points,
                note: String::new(),
            })
            .collect();
        db.submit_scores(expert, work, item.code, item.task, &scores)
            .unwrap();
    }
    // Station only: the written tasks score 0.
    let before = db.results(work).unwrap();
    assert!(before.iter().all(|r| r.total() == Some(10)), "{before:?}");
    // The written part on paper, typed for all; the first half right.
    let by = operator("Оператор 1");
    for (i, p) in people.iter().enumerate() {
        type_row(&db, work, p.code, i < 10, Some(&[1, 4, 5, 6]), &by);
    }
    let results = db.results(work).unwrap();
    assert_eq!(results.len(), 20, "one row per code, not one per source");
    for (i, p) in people.iter().enumerate() {
        let r = results.iter().find(|r| r.code == p.code).unwrap();
        assert_eq!(r.tasks[&3], Some(8), "station part");
        assert_eq!(r.tasks[&1], Some(if i < 10 { 5 } else { 0 }), "paper part");
        assert_eq!(r.total(), Some(if i < 10 { 30 } else { 10 }));
    }
    let form = db.results_form(work).unwrap();
    assert_eq!(form.rows.len(), 20);
    let n = form.header.len();
    let row = form
        .rows
        .iter()
        .find(|r| r[0] == Cell::text(people[0].code.to_string()))
        .unwrap();
    assert_eq!(row[n - 2], Cell::int(30));
    assert_eq!(row[n - 1], Cell::int(5));
    let st = db.statistics(work).unwrap();
    assert_eq!(st.participants, 20);
    assert_eq!(st.marks.get(&5).copied(), Some(10));
}
