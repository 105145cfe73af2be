#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use calamine::{open_workbook_auto, Reader};
use common::*;
use vpr_coordinator::{
    scoring::{CriterionScore, Submission},
    CoordinatorError, NewStaff, PersonName, School, SecondScoring, StaffRole,
};

fn expert(name: &str, classes: &[&str]) -> NewStaff {
    NewStaff {
        role: StaffRole::Expert,
        name: PersonName {
            last: name.into(),
            first: "Эксперт".into(),
            middle: String::new(),
        },
        subjects: vec!["Английский язык".into()],
        teaches_classes: classes.iter().map(|s| s.to_string()).collect(),
        experience_years: 4,
        school_employee: true,
        parent_of_participant: false,
        organization: String::new(),
    }
}

fn school() -> School {
    School {
        name: "=МБОУ СОШ №1".into(),
        login: "sch000001".into(),
        region: "Тестовая область".into(),
        municipality: "-Тестовый район".into(),
        settlement: "город".into(),
        students_total: 400,
    }
}

/// Answers for a participant: each item right or wrong at random, sometimes
/// in other case or with spaces (still right), sometimes empty.
fn answers(rng: &mut Rng) -> (BTreeMap<String, String>, BTreeMap<u32, u32>) {
    let mut a = BTreeMap::new();
    let mut expected = BTreeMap::new();
    for t in [1u32, 4, 5, 6] {
        let mut score = 0;
        for i in 1..=5 {
            let id = format!("{t}.{i}");
            match rng.below(5) {
                0 => {
                    a.insert(id, format!("A{t}{i}"));
                    score += 1;
                }
                1 => {
                    a.insert(id, format!("  a{t}{i} "));
                    score += 1;
                }
                2 if t == 5 => {
                    a.insert(id, format!("WORD   {i}"));
                    score += 1;
                }
                3 => {}
                _ => {
                    a.insert(id, format!("=A{t}{i}+1"));
                }
            }
        }
        expected.insert(t, score);
    }
    (a, expected)
}

#[test]
fn scenario_form_cells_equal_independent_expectation() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    db.set_school(&school()).unwrap();
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    let work = db.add_work(&grade7_work()).unwrap();
    let e1 = db.add_staff(&expert("Первая", &["7А"])).unwrap();
    let e2 = db.add_staff(&expert("Второй", &["7Б"])).unwrap();
    let e3 = db.add_staff(&expert("Третья", &[])).unwrap();
    let people = db.participants().unwrap();
    let absent = &people[5];
    db.record_absence(work, absent.id, "болезнь", "справка", Some("2026-04-21"))
        .unwrap();

    let mut rng = Rng(0x5eed);
    let mut expected: BTreeMap<u32, BTreeMap<u32, u32>> = BTreeMap::new();
    for (n, p) in people.iter().enumerate().filter(|(_, p)| p.id != absent.id) {
        let (ans, exp) = answers(&mut rng);
        expected.insert(p.code, exp);
        let s = Submission {
            adaptation: None,
            work_id: work,
            code: p.code,
            variant: 1 + (n as u32 % 2),
            station_fingerprint: "00".into(),
            bundle_sha256: "00".into(),
            interrupted: false,
            answers: ans,
        };
        assert!(db.record_submission(&s, &[]).unwrap());
        assert!(
            !db.record_submission(&s, &[]).unwrap(),
            "same work again is a no-op"
        );
    }
    // Blocked: no keys, nothing scored.
    let Err(CoordinatorError::FormBlocked(missing)) = db.results_form(work) else {
        panic!("form not blocked")
    };
    assert!(missing[0].contains("ключи"));
    assert_eq!(missing.len(), 1 + 19 * 6);
    assert!(matches!(
        db.auto_score(work),
        Err(CoordinatorError::KeysNotReleased)
    ));
    db.set_keys(work, &grade7_keys()).unwrap();
    assert_eq!(db.auto_score(work).unwrap(), 19 * 4);

    let report = db.assign_experts(work).unwrap();
    assert_eq!(report.assigned, 19 * 2);
    assert!(report.unassigned.is_empty());
    let loads: Vec<u32> = report.load.values().copied().collect();
    assert!(
        loads.iter().max().unwrap() - loads.iter().min().unwrap() <= 2,
        "{loads:?}"
    );
    // No expert scores a class they teach.
    for (id, class) in [(e1, "7А"), (e2, "7Б")] {
        for item in db.expert_queue(id).unwrap() {
            let p = people.iter().find(|p| p.code == item.code).unwrap();
            assert_ne!(p.class_name, class);
        }
    }
    // Experts score: task 2 and 3 from the code, independently known.
    for id in [e1, e2, e3] {
        for item in db.expert_queue(id).unwrap() {
            let scores: Vec<CriterionScore> = item
                .criteria
                .iter()
                .map(|c| CriterionScore {
                    criterion: c.id.clone(),
                    score: (item.code + c.max_points) % (c.max_points + 1),
                    note: "=SUM(A1)".into(),
                })
                .collect();
            let total: u32 = scores.iter().map(|s| s.score).sum();
            expected
                .get_mut(&item.code)
                .unwrap()
                .insert(item.task, total);
            assert!(!db
                .submit_scores(id, work, item.code, item.task, &scores)
                .unwrap());
        }
    }
    // An expert cannot score someone else's piece, nor exceed a maximum.
    let other = db.expert_queue(e1).unwrap()[0].clone();
    let bad = vec![CriterionScore {
        criterion: "2К1".into(),
        score: 1,
        note: String::new(),
    }];
    assert!(db
        .submit_scores(e2, work, other.code, other.task, &bad)
        .is_err());
    let too_much: Vec<_> = other
        .criteria
        .iter()
        .map(|c| CriterionScore {
            criterion: c.id.clone(),
            score: c.max_points + 1,
            note: String::new(),
        })
        .collect();
    assert!(db
        .submit_scores(e1, work, other.code, other.task, &too_much)
        .is_err());

    let xlsx = dir.path().join("out/form.xlsx");
    std::fs::create_dir_all(xlsx.parent().unwrap()).unwrap();
    let csv = dir.path().join("out/form.csv");
    let files = db.export_results_form(work, &xlsx, &csv).unwrap();
    assert_eq!(files.rows, 19);

    // Read the XLSX back and compare every cell with the expectation.
    let spec = grade7_spec();
    let mut wb = open_workbook_auto(&xlsx).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    let formulas = wb.worksheet_formula("Форма сбора результатов").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formulas at all"
    );
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert!(
        rows[0][0].starts_with("'=МБОУ"),
        "title protected: {}",
        rows[0][0]
    );
    assert_eq!(rows[1][0], "Код участника");
    assert_eq!(rows.len() - 2, expected.len());
    let csv_text = std::fs::read_to_string(&csv).unwrap();
    let csv_rows: Vec<&str> = csv_text.lines().skip(1).collect();
    for (i, (code, tasks)) in expected.iter().enumerate() {
        let row = &rows[i + 2];
        assert_eq!(row[0], code.to_string());
        let total: u32 = tasks.values().sum();
        let mark = spec
            .marks
            .iter()
            .filter(|b| total >= b.min_total)
            .map(|b| b.mark)
            .max()
            .unwrap();
        let mut want = vec![code.to_string(), row[1].clone()];
        for t in 1..=6 {
            want.push(tasks[&t].to_string());
        }
        want.push(total.to_string());
        want.push(mark.to_string());
        assert_eq!(row, &want, "code {code}");
        assert_eq!(csv_rows[i], want.join(";"));
    }
    assert!(!rows.iter().flatten().any(|c| c == &absent.code.to_string()));
    assert_no_names(&dir.path().join("out"), &roster_name_parts());

    // The application and context data forms.
    let app = db
        .export_application_form(&dir.path().join("out/zayavka.xlsx"))
        .unwrap();
    assert_eq!(app.rows, 2);
    let ctx = db
        .export_context_form(&dir.path().join("out/context.xlsx"))
        .unwrap();
    assert_eq!(ctx.rows, 8 + 20);
    assert!(ctx.warnings.is_empty(), "{:?}", ctx.warnings);
    let mut wb = open_workbook_auto(dir.path().join("out/zayavka.xlsx")).unwrap();
    let r = wb.worksheet_range_at(0).unwrap().unwrap();
    let counts: Vec<String> = r.rows().skip(2).map(|row| row[5].to_string()).collect();
    assert_eq!(counts, vec!["10", "10"]);
    assert_no_names(&dir.path().join("out"), &roster_name_parts());
}

#[test]
fn second_scoring_calls_a_third_expert_when_scores_differ() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    let mut w = grade7_work();
    w.spec.second_scoring = Some(SecondScoring { max_difference: 1 });
    let work = db.add_work(&w).unwrap();
    let experts: Vec<i64> = ["А", "Б", "В"]
        .iter()
        .map(|n| db.add_staff(&expert(n, &[])).unwrap())
        .collect();
    let p = db.participants().unwrap()[0].clone();
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
    db.record_submission(&s, &[]).unwrap();
    let report = db.assign_experts(work).unwrap();
    assert_eq!(report.assigned, 4, "two tasks × two rounds");
    let give = |total: [u32; 3]| {
        ["3К1", "3К2", "3К3"]
            .iter()
            .zip(total)
            .map(|(c, s)| CriterionScore {
                criterion: c.to_string(),
                score: s,
                note: String::new(),
            })
            .collect::<Vec<_>>()
    };
    let who = |round: u32, task: u32| {
        experts
            .iter()
            .copied()
            .find(|e| {
                db.expert_queue(*e)
                    .unwrap()
                    .iter()
                    .any(|i| i.round == round && i.task == task)
            })
            .unwrap()
    };
    let (first, second) = (who(1, 3), who(2, 3));
    assert_ne!(first, second);
    assert!(!db
        .submit_scores(first, work, p.code, 3, &give([3, 3, 2]))
        .unwrap());
    assert!(
        db.submit_scores(second, work, p.code, 3, &give([1, 1, 1]))
            .unwrap(),
        "8 vs 3: third expert"
    );
    let third = who(3, 3);
    assert!(third != first && third != second);
    let missing = db.missing_for_form(work).unwrap();
    assert!(
        missing.iter().any(|m| m.contains("третьего")),
        "{missing:?}"
    );
    db.submit_scores(third, work, p.code, 3, &give([2, 2, 1]))
        .unwrap();
    for round in [1, 2] {
        let e = who(round, 2);
        db.submit_scores(
            e,
            work,
            p.code,
            2,
            &[CriterionScore {
                criterion: "2К1".into(),
                score: round,
                note: String::new(),
            }],
        )
        .unwrap();
    }
    let r = &db.results(work).unwrap()[0];
    assert_eq!(r.tasks[&3], Some(5), "the third expert decides");
    assert_eq!(r.tasks[&2], Some(2), "1 and 2 are close: mean rounded up");
    let log = db.score_log(work).unwrap();
    assert_eq!(log.len(), 3 * 3 + 2);
    assert!(log.iter().all(|l| l.expert.starts_with("Э-")));
}
