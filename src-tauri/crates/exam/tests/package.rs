//! Package model, validation and auto-scoring against the real demo packages.
#![allow(clippy::unwrap_used)]

use std::{
    fs,
    path::{Path, PathBuf},
};

use serde_json::{json, Value};
use vpr_exam::{score_closed, Answers, ExamError, Keys, Language, Package, TaskContent, TaskKind};

fn packages_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures/packages")
}

fn load(name: &str) -> (Package, Keys) {
    let dir = packages_dir().join(name);
    let p = Package::load_dir(&dir).unwrap_or_else(|e| panic!("{name}: {e}"));
    let k = Keys::load_dir(&dir, &p)
        .unwrap_or_else(|e| panic!("{name} keys: {e}"))
        .unwrap_or_else(|| panic!("{name}: no keys.json"));
    (p, k)
}

/// Copy a demo package into a temp dir, let `edit` change package.json, load it.
fn load_edited(
    name: &str,
    edit: impl FnOnce(&mut Value),
) -> (tempfile::TempDir, Result<Package, ExamError>) {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&packages_dir().join(name), tmp.path());
    let path = tmp.path().join("package.json");
    let mut v: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    edit(&mut v);
    fs::write(&path, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    let r = Package::load_dir(tmp.path());
    (tmp, r)
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

fn problem_paths(r: Result<Package, ExamError>) -> Vec<String> {
    match r {
        Err(e @ ExamError::Invalid { .. }) => {
            assert_eq!(vpr_error::Coded::code(&e), "exam_package_invalid");
            assert!(e.to_string().contains(&e.problems()[0].path), "{e}");
            e.problems().iter().map(|p| p.path.clone()).collect()
        }
        other => panic!("expected validation problems, got {other:?}"),
    }
}

fn kinds(p: &Package) -> Vec<TaskKind> {
    p.variants[0].tasks.iter().map(|t| t.kind()).collect()
}

#[test]
/// The grade 7 figures are the published 2020–23 model (DESIGN: 45 min, 6 tasks, 30 points,
/// one public conversion).
fn grade_7_demos_follow_the_2020_23_model() {
    for (name, lang) in [
        ("en-7", Language::En),
        ("de-7", Language::De),
        ("fr-7", Language::Fr),
    ] {
        let (p, _keys) = load(name);
        assert_eq!(p.grade, 7, "{name}");
        assert_eq!(p.language, lang);
        assert!(p.demo);
        assert_eq!(p.timing.total_s, 45 * 60);
        assert_eq!(p.timing.reminders_s, vec![900, 300]);
        let v = &p.variants[0];
        assert_eq!(v.tasks.len(), 6);
        assert_eq!(v.max_score(), 30);
        assert_eq!(
            kinds(&p),
            vec![
                TaskKind::Listening,
                TaskKind::ReadingAloud,
                TaskKind::Monologue,
                TaskKind::Reading,
                TaskKind::Grammar,
                TaskKind::Vocabulary
            ]
        );
        let TaskContent::Listening(l) = &v.tasks[0].content else {
            panic!()
        };
        assert_eq!((l.plays, l.read_first_s), (2, 45));
        // 2020–23 computer form: five gapped sentences A–E, options 1–3 for each gap.
        assert!(l.options.is_empty(), "{name}: shared options");
        assert_eq!(l.items.len(), 5, "{name}");
        for (item, letter) in l.items.iter().zip(["A.", "B.", "C.", "D.", "E."]) {
            assert!(item.prompt.starts_with(letter), "{name}: {}", item.prompt);
            assert!(
                item.prompt.contains("___"),
                "{name}: no gap in {}",
                item.prompt
            );
            let labels: Vec<&str> = item.options.iter().map(|o| o.label.as_str()).collect();
            assert_eq!(labels, ["1", "2", "3"], "{name}: {}", item.id);
        }
        assert!(
            (20..=40).contains(&l.duration_s),
            "{name}: track {} s",
            l.duration_s
        );
        let TaskContent::ReadingAloud(r) = &v.tasks[1].content else {
            panic!()
        };
        assert_eq!((r.prep_s, r.answer_s), (90, 90));
        let TaskContent::Monologue(m) = &v.tasks[2].content else {
            panic!()
        };
        assert_eq!((m.prep_s, m.answer_s, m.photos.len()), (90, 120, 3));
        // The 2020–23 plan: the place, the action, the appearance, like or not, why.
        assert_eq!(m.plan.len(), 5, "{name}: plan {:?}", m.plan);
        assert!(
            v.tasks[2].instruction.contains("7–8"),
            "{name}: 7–8 sentences"
        );
        assert_eq!(v.tasks[2].max_score, 8);
        for (score, mark) in [
            (0, 2),
            (12, 2),
            (13, 3),
            (20, 3),
            (21, 4),
            (26, 4),
            (27, 5),
            (30, 5),
        ] {
            assert_eq!(p.mark(score, None), Some(mark), "{name}: {score}");
        }
        assert_eq!(p.mark(31, None), None);
        let deaf = p.adaptations.iter().find(|a| a.no_listening).unwrap();
        let tasks = p.tasks_for(v, Some(deaf));
        assert_eq!(tasks.len(), 5);
        assert_eq!(p.mark(25, Some(deaf)), Some(5));
    }
}

#[test]
/// Not a model of any work: a fixture with the grade 11 computer form's order (fixed times of
/// tasks 1, 5, 6, two eye breaks) for the engine's tests. Its points are made up.
fn grade_11_timing_fixture_keeps_its_order() {
    let (p, k) = load("fixture-11-timing");
    assert_eq!((p.grade, p.language), (11, Language::En));
    assert_eq!(p.timing.total_s, 65 * 60);
    let breaks: Vec<(u32, u32)> = p
        .timing
        .eye_breaks
        .iter()
        .map(|b| (b.after_task, b.duration_s))
        .collect();
    assert_eq!(breaks, vec![(2, 300), (4, 300)]);
    assert_eq!(
        kinds(&p),
        vec![
            TaskKind::Listening,
            TaskKind::Reading,
            TaskKind::Grammar,
            TaskKind::Vocabulary,
            TaskKind::ReadingAloud,
            TaskKind::Monologue
        ]
    );
    let fixed: Vec<u32> = p.variants[0]
        .tasks
        .iter()
        .filter(|t| t.fixed_s.is_some())
        .map(|t| t.number)
        .collect();
    assert_eq!(fixed, vec![1, 5, 6]);
    let full = score_closed(&p, &k, 1, &all_correct(&p, &k)).unwrap();
    let closed: u32 = full.iter().filter_map(|s| s.points).sum();
    assert_eq!(closed, 20);
    assert_eq!(p.variants[0].max_score(), 30);
}

#[test]
fn the_training_package_is_short() {
    let (p, k) = load("training");
    assert!(p.training);
    assert!(p.timing.total_s <= 180);
    let v = &p.variants[0];
    assert_eq!(
        kinds(&p),
        vec![
            TaskKind::Listening,
            TaskKind::Grammar,
            TaskKind::ReadingAloud
        ]
    );
    let TaskContent::ReadingAloud(r) = &v.tasks[2].content else {
        panic!()
    };
    assert_eq!(r.answer_s, 15);
    let steps: u32 = v.tasks.iter().map(vpr_exam::validate::minimum_task_s).sum();
    assert!(steps < p.timing.total_s, "timed steps {steps} s");
    let full = score_closed(&p, &k, 1, &all_correct(&p, &k)).unwrap();
    assert_eq!(full.iter().filter_map(|s| s.points).sum::<u32>(), 2);
}

#[test]
fn german_and_french_answers_need_their_letters() {
    let (p, k) = load("de-7");
    let mut a = Answers::new();
    a.insert("5.2".into(), "KÜHE".into());
    a.insert("5.3".into(), "heißeste".into());
    a.insert("6.4".into(), "gefahrlich".into());
    a.insert("6.5".into(), "müde".into());
    let s = score_closed(&p, &k, 1, &a).unwrap();
    assert_eq!((s[4].points, s[5].points), (Some(2), Some(1)));
    assert_eq!(
        p.language.special_letters(),
        ["ä", "ö", "ü", "ß", "Ä", "Ö", "Ü"]
    );

    let (p, k) = load("fr-7");
    let mut a = Answers::new();
    a.insert("5.4".into(), "ont regardé".into());
    a.insert("6.1".into(), "interessant".into());
    a.insert("6.2".into(), "Enseignante".into());
    let s = score_closed(&p, &k, 1, &a).unwrap();
    assert_eq!((s[4].points, s[5].points), (Some(1), Some(1)));
    for letter in ["é", "è", "ê", "à", "ç", "ô", "œ"] {
        assert!(p.language.special_letters().contains(&letter), "{letter}");
    }
}

#[test]
fn every_demo_package_scores_full_marks_with_its_keys() {
    for name in ["en-7", "de-7", "fr-7", "fixture-11-timing", "training"] {
        let (p, k) = load(name);
        let scores = score_closed(&p, &k, 1, &all_correct(&p, &k)).unwrap();
        for (s, t) in scores.iter().zip(&p.variants[0].tasks) {
            match s.points {
                Some(points) => assert_eq!(points, t.max_score, "{name} task {}", t.number),
                None => assert!(t.is_oral(), "{name} task {}", t.number),
            }
        }
        assert_eq!(p.mark(p.variants[0].max_score(), None), Some(5), "{name}");
    }
}

fn all_correct(p: &Package, k: &Keys) -> Answers {
    let mut a = Answers::new();
    for t in &k.variants[0].tasks {
        for item in &t.items {
            a.insert(item.id.clone(), item.accepted[0].clone());
        }
    }
    assert!(!a.is_empty());
    let _ = p;
    a
}

#[test]
fn closed_items_score_from_the_keys() {
    let (p, k) = load("en-7");
    let full = score_closed(&p, &k, 1, &all_correct(&p, &k)).unwrap();
    let pts: Vec<Option<u32>> = full.iter().map(|s| s.points).collect();
    assert_eq!(pts, vec![Some(5), None, None, Some(5), Some(5), Some(5)]);

    let empty = score_closed(&p, &k, 1, &Answers::new()).unwrap();
    assert!(empty.iter().all(|s| s.points.unwrap_or(0) == 0));

    // Case, spaces and typographic apostrophes do not matter; other spellings do.
    let mut a = Answers::new();
    a.insert("5.1".into(), "  WENT ".into());
    a.insert("5.5".into(), "we’ll stay".into());
    a.insert("5.4".into(), "’ll   stay".into());
    a.insert("6.1".into(), "intresting".into());
    a.insert("1.1".into(), "2".into());
    a.insert("1.2".into(), "2".into());
    let s = score_closed(&p, &k, 1, &a).unwrap();
    assert_eq!(s[0].points, Some(1));
    assert_eq!(s[4].points, Some(1), "only 5.1 is right: {s:?}");
    assert_eq!(s[5].points, Some(0));

    let mut a = Answers::new();
    a.insert("5.5".into(), "\u{2019}ll   Stay".into());
    assert_eq!(score_closed(&p, &k, 1, &a).unwrap()[4].points, Some(1));
    assert!(matches!(
        score_closed(&p, &k, 9, &a),
        Err(ExamError::UnknownVariant(9))
    ));
}

#[test]
fn bad_fields_are_named_by_path() {
    let (_t, r) = load_edited("en-7", |v| {
        v["variants"][0]["tasks"][0]["content"]["plays"] = json!(4)
    });
    let paths = problem_paths(r);
    assert_eq!(paths, vec!["variants[0].tasks[0].content.plays"]);

    let (_t, r) = load_edited("en-7", |v| {
        v["variants"][0]["tasks"][1]["content"]["answer_s"] = json!(0);
        v["timing"]["total_s"] = json!(10);
        v["grade"] = json!(40);
    });
    let paths = problem_paths(r);
    for want in [
        "grade",
        "timing.total_s",
        "variants[0].tasks[1].content.answer_s",
    ] {
        assert!(paths.iter().any(|p| p == want), "{want} not in {paths:?}");
    }

    // A gap in the conversion, a mark out of range.
    let (_t, r) = load_edited("en-7", |v| {
        v["conversion"][1]["min"] = json!(14);
        v["conversion"][3]["mark"] = json!(6);
    });
    let paths = problem_paths(r);
    assert!(
        paths.contains(&"conversion[1].min".to_string()),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"conversion[3].mark".to_string()),
        "{paths:?}"
    );

    // Numbering, duplicate ids, an empty prompt, a gap without its marker.
    let (_t, r) = load_edited("en-7", |v| {
        v["variants"][0]["tasks"][3]["number"] = json!(7);
        v["variants"][0]["tasks"][0]["content"]["items"][1]["id"] = json!("1.1");
        v["variants"][0]["tasks"][4]["content"]["items"][0]["prompt"] = json!("no gap here");
        v["participant_codes"] = json!(["12345", "1234", "12345"]);
    });
    let paths = problem_paths(r);
    for want in [
        "variants[0].tasks[3].number",
        "variants[0].tasks[0].content.items[1].id",
        "variants[0].tasks[4].content.items[0].prompt",
        "participant_codes[1]",
        "participant_codes[2]",
    ] {
        assert!(paths.iter().any(|p| p == want), "{want} not in {paths:?}");
    }

    // Fixed time shorter than the task's own steps; eye break after the last task.
    let (_t, r) = load_edited("en-7", |v| {
        v["variants"][0]["tasks"][1]["fixed_s"] = json!(100);
        v["timing"]["eye_breaks"] = json!([{ "after_task": 6, "duration_s": 300 }]);
    });
    let paths = problem_paths(r);
    assert!(
        paths.contains(&"variants[0].tasks[1].fixed_s".to_string()),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"timing.eye_breaks[0].after_task".to_string()),
        "{paths:?}"
    );

    // Media: a missing photo, a track whose length is misdeclared, a path leaving the folder.
    let (_t, r) = load_edited("en-7", |v| {
        v["variants"][0]["tasks"][2]["content"]["photos"][1]["file"] = json!("media/nope.svg");
        v["variants"][0]["tasks"][0]["content"]["duration_s"] = json!(90);
    });
    let paths = problem_paths(r);
    assert!(
        paths.contains(&"variants[0].tasks[2].content.photos[1].file".to_string()),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"variants[0].tasks[0].content.track".to_string()),
        "{paths:?}"
    );
    let (_t, r) = load_edited("en-7", |v| {
        v["variants"][0]["tasks"][0]["content"]["track"] = json!("../secret.wav");
    });
    assert_eq!(problem_paths(r), vec!["variants[0].tasks[0].content.track"]);

    // An adaptation that drops listening must bring its own conversion.
    let (_t, r) = load_edited("en-7", |v| {
        v["adaptations"][1]
            .as_object_mut()
            .unwrap()
            .remove("conversion");
    });
    assert_eq!(problem_paths(r), vec!["adaptations[1].conversion"]);
}

#[test]
fn syntax_errors_name_the_field() {
    let (_t, r) = load_edited("en-7", |v| {
        v["variants"][0]["tasks"][2]["content"]["prep_secs"] = json!(90);
    });
    match r {
        Err(ExamError::Syntax { path, message, .. }) => {
            assert_eq!(path, "variants[0].tasks[2].content.prep_secs");
            assert!(message.contains("prep_secs"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let (_t, r) = load_edited("en-7", |v| {
        v["variants"][0]["tasks"][0]["content"]["plays"] = json!("two")
    });
    match r {
        Err(ExamError::Syntax { path, .. }) => {
            assert_eq!(path, "variants[0].tasks[0].content.plays")
        }
        other => panic!("{other:?}"),
    }
    let (_t, r) = load_edited("en-7", |v| v["language"] = json!("es"));
    assert!(
        matches!(r, Err(ExamError::Syntax { ref path, .. }) if path == "language"),
        "{r:?}"
    );
    let tmp = tempfile::tempdir().unwrap();
    assert!(matches!(
        Package::load_dir(tmp.path()),
        Err(ExamError::Io { .. })
    ));
}

#[test]
fn keys_are_checked_against_the_package() {
    let (p, k) = load("en-7");
    let mut v: Value = serde_json::to_value(&k).unwrap();
    v["variants"][0]["tasks"][0]["items"][0]["accepted"] = json!(["7"]);
    v["variants"][0]["tasks"][4]["items"]
        .as_array_mut()
        .unwrap()
        .pop();
    v["variants"][0]["tasks"][2]["criteria"][0]["max_points"] = json!(1);
    let err = Keys::from_json(&serde_json::to_vec(&v).unwrap(), &p).unwrap_err();
    let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
    for want in [
        "variants[0].tasks[0].items[0].accepted[0]",
        "variants[0].tasks[4].items",
        "variants[0].tasks[2].criteria",
    ] {
        assert!(paths.contains(&want), "{want} not in {paths:?}");
    }
    let mut v: Value = serde_json::to_value(&k).unwrap();
    v["package_id"] = json!("other");
    let err = Keys::from_json(&serde_json::to_vec(&v).unwrap(), &p).unwrap_err();
    assert_eq!(err.problems()[0].path, "package_id");
    // A station without keys.
    let tmp = tempfile::tempdir().unwrap();
    assert!(Keys::load_dir(tmp.path(), &p).unwrap().is_none());
}
