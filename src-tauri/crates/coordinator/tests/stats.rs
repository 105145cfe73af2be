#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use common::*;
use vpr_coordinator::{
    scoring::{CriterionScore, Submission},
    stats::FlagKind,
    NewStaff, PersonName, StaffRole,
};

#[test]
fn statistics_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    let work = db.add_work(&grade7_work()).unwrap();
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
    for p in &people {
        let mut answers = BTreeMap::new();
        if p.class_name == "7А" {
            for t in [1, 4, 5, 6] {
                for i in 1..=5 {
                    answers.insert(format!("{t}.{i}"), format!("A{t}{i}"));
                }
            }
        }
        let s = Submission {
            adaptation: None,
            work_id: work,
            code: p.code,
            variant: 1,
            station_fingerprint: "00".into(),
            bundle_sha256: "00".into(),
            interrupted: false,
            answers,
        };
        db.record_submission(&s, &[]).unwrap();
    }
    db.set_keys(work, &grade7_keys()).unwrap();
    db.auto_score(work).unwrap();
    db.assign_experts(work).unwrap();
    for item in db.expert_queue(expert).unwrap() {
        let in_a = people
            .iter()
            .any(|p| p.code == item.code && p.class_name == "7А");
        let scores: Vec<CriterionScore> = item
            .criteria
            .iter()
            .map(|c| CriterionScore {
                criterion: c.id.clone(),
                score: u32::from(in_a && c.id == "2К1"),
                note: String::new(),
            })
            .collect();
        db.submit_scores(expert, work, item.code, item.task, &scores)
            .unwrap();
    }
    let st = db.statistics(work).unwrap();
    assert_eq!(st.participants, 20);
    assert_eq!(st.max_total, 30);
    assert!((st.mean_total - 10.5).abs() < 1e-9, "{}", st.mean_total);
    assert_eq!(st.totals[21], 10);
    assert_eq!(st.totals[0], 10);
    assert_eq!(st.marks.get(&4), Some(&10));
    assert_eq!(st.marks.get(&2), Some(&10));
    let t1 = st.tasks.iter().find(|t| t.task == 1).unwrap();
    assert!((t1.percent - 50.0).abs() < 1e-9);
    let t2 = st.tasks.iter().find(|t| t.task == 2).unwrap();
    assert!((t2.percent - 25.0).abs() < 1e-9);
    assert_eq!(st.classes.len(), 2);
    assert!((st.classes[0].percent - 70.0).abs() < 1e-9);
    let count = |k: FlagKind| st.flags.iter().filter(|f| f.kind == k).count();
    assert_eq!(count(FlagKind::OralWrittenGap), 10, "{:?}", st.flags);
    assert_eq!(count(FlagKind::PileAboveBoundary), 1);
    assert_eq!(count(FlagKind::ClassFarFromSchool), 2);
    let tables = st.tables();
    assert_eq!(tables.len(), 4);
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    vpr_coordinator::tabular::write_xlsx(&out.join("stats.xlsx"), &tables).unwrap();
    assert_no_names(&out, &roster_name_parts());
}
