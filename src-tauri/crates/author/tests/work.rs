//! The author's workspace on real files: templates, media from `audio-fixtures/`, edits by
//! field path, and a signed build that vpr-package opens and verifies.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use serde_json::json;
use vpr_author::{
    build, create_issuer, AuthorError, BuildOptions, Coded, MediaKind, ProblemSource, Template,
    Work,
};
use vpr_exam::{Keys, Language, Package, TaskKind};
use vpr_package::{
    time::{Date, Duration, Month, UtcOffset},
    FixedClock, IssuerKey, Limits, SealedPackage, TrustedIssuers,
};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures")
}

fn templates() -> Vec<(Template, Language)> {
    vec![
        (Template::Vpr7, Language::En),
        (Template::Vpr7, Language::De),
        (Template::Vpr7, Language::Fr),
        (Template::VprWritten { grade: 4 }, Language::En),
        (Template::VprWritten { grade: 8 }, Language::De),
        (Template::OgeOral, Language::En),
        (Template::EgeOral, Language::En),
        (Template::Empty { grade: 6 }, Language::Fr),
    ]
}

fn new_work(root: &Path, t: Template, lang: Language) -> Work {
    Work::create(&root.join("work"), t, lang, "school-work-1", None).unwrap()
}

/// Every media slot filled from the fixtures: MP3 for tracks, JPEG and PNG for pictures.
fn fill_media(work: &mut Work) {
    let media = fixtures().join("media");
    for (i, slot) in work.media_slots().into_iter().enumerate() {
        let source = match slot.kind {
            MediaKind::Audio => media.join("phrase.mp3"),
            MediaKind::Image if i % 2 == 0 => media.join("photo.jpg"),
            MediaKind::Image => media.join("park.png"),
        };
        let (added, _) = work.attach_media(&slot.path, &source).unwrap();
        if slot.kind == MediaKind::Audio {
            assert_eq!(added.duration_s, Some(3), "{added:?}");
            assert_eq!(added.format, "MP3");
        }
    }
}

#[test]
fn every_template_s_only_problems_are_its_missing_media() {
    for (t, lang) in templates() {
        let tmp = tempfile::tempdir().unwrap();
        let work = new_work(tmp.path(), t, lang);
        let problems = work.problems();
        let slots = work.media_slots();
        assert!(
            problems
                .iter()
                .all(|p| p.source == ProblemSource::MissingMedia),
            "{t:?}: {problems:#?}"
        );
        assert_eq!(problems.len(), slots.len(), "{t:?}");
        assert!(work
            .package
            .title
            .starts_with("Тренировочный вариант в формате"));
        assert!(!work.placeholders().is_empty(), "{t:?}");
        // The format's figures.
        let p = &work.package;
        let total = p.variants[0].max_score();
        match t {
            Template::Vpr7 => {
                assert_eq!((p.grade, p.timing.total_s, total), (7, 2700, 30));
                assert_eq!(p.variants[0].tasks.len(), 6);
                assert_eq!(p.mark(12, None), Some(2));
                assert_eq!(p.mark(13, None), Some(3));
                assert_eq!(p.mark(27, None), Some(5));
                assert_eq!(slots.len(), 4, "a track and three photos");
            }
            Template::OgeOral => {
                assert_eq!((p.grade, p.timing.total_s, total), (9, 900, 15));
                assert_eq!(slots.len(), 6, "six question tracks");
            }
            Template::EgeOral => {
                assert_eq!((p.grade, p.timing.total_s, total), (11, 1020, 20));
                assert_eq!(slots.len(), 9, "advert, instruction, 5 questions, 2 photos");
            }
            Template::VprWritten { grade } => {
                assert_eq!((p.grade, total, slots.len()), (grade, 21, 0));
            }
            Template::Empty { .. } => assert!(slots.is_empty()),
        }
    }
}

#[test]
fn filled_media_leave_no_problems_and_the_build_opens_with_the_school_key() {
    let tmp = tempfile::tempdir().unwrap();
    let issuer = create_issuer(&tmp.path().join("school")).unwrap();
    for (i, (t, lang)) in templates().into_iter().enumerate() {
        let root = tmp.path().join(format!("t{i}"));
        let mut work = new_work(&root, t, lang);
        // A built package refused while media are missing, naming them.
        let opts = BuildOptions {
            school: "МБОУ СОШ № 1".into(),
            exam_date: Date::from_calendar_date(2026, Month::April, 15).unwrap(),
            materials_release: None,
            keys_release: None,
            utc_offset: UtcOffset::from_hms(3, 0, 0).unwrap(),
        };
        let out = root.join("work.vprpkg");
        if !work.media_slots().is_empty() {
            let e = build(work.dir(), &issuer.private, &out, &opts).unwrap_err();
            assert_eq!(e.code(), "author_has_problems");
            assert!(e.to_string().contains("media/"), "{e}");
            assert!(!out.exists());
        }
        fill_media(&mut work);
        assert_eq!(work.problems(), vec![], "{t:?}");
        let built = build(work.dir(), &issuer.private, &out, &opts).unwrap();
        assert!(built.password.bits >= 70.0 && built.keys_password.bits >= 70.0);
        assert!(!built.placeholders.is_empty());
        // vpr-package opens it, verifies the signature against the school's public key…
        let mut trust = TrustedIssuers::new();
        trust.add(IssuerKey::read(&issuer.public).unwrap());
        let sealed = SealedPackage::read(&out, &trust, &Limits::default()).unwrap();
        assert_eq!(sealed.package_id(), "school-work-1");
        assert_eq!(sealed.issuer().fingerprint, issuer.fingerprint);
        assert!(SealedPackage::read(&out, &TrustedIssuers::demo(), &Limits::default()).is_err());
        // …and the unlocked materials load with every medium checked.
        let clock = FixedClock(built.meta.keys_release + Duration::hours(1));
        let m = root.join("unlocked");
        sealed
            .unlock_materials(&built.password.text, &clock, &m)
            .unwrap();
        let k = root.join("keys");
        sealed
            .unlock_keys(&built.keys_password.text, &clock, &k)
            .unwrap();
        let p = Package::load_dir(&m).unwrap();
        assert_eq!(p, work.package);
        assert_eq!(Keys::load_dir(&k, &p).unwrap().unwrap(), work.keys);
    }
}

#[test]
fn a_bad_type_is_refused_naming_the_path_and_nothing_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let mut work = new_work(tmp.path(), Template::Vpr7, Language::En);
    let file = work.dir().join("package.json");
    let before = std::fs::read(&file).unwrap();
    let path = "variants[0].tasks[1].content.answer_s";
    let e = work.set_field(path, json!("ninety")).unwrap_err();
    assert!(
        matches!(&e, AuthorError::BadValue { path: p, .. } if p == path),
        "{e}"
    );
    assert_eq!(e.code(), "author_bad_value");
    assert!(e.to_string().contains(path), "{e}");
    assert_eq!(std::fs::read(&file).unwrap(), before);
    // An unknown field and a path that leads nowhere are refused the same way.
    let e = work
        .set_field("variants[0].tasks[1].colour", json!(1))
        .unwrap_err();
    assert_eq!(e.code(), "author_bad_value");
    let e = work.set_field("variants[7].title", json!("x")).unwrap_err();
    assert_eq!(e.code(), "author_bad_path");
    let e = work
        .set_field("keys.variants[0].tasks[0].items[0].points", json!(-1))
        .unwrap_err();
    assert_eq!(e.code(), "author_bad_value");
    assert_eq!(std::fs::read(&file).unwrap(), before);
    assert_eq!(Work::open(work.dir()).unwrap().0, work);
}

#[test]
fn an_edit_that_breaks_a_rule_is_saved_and_its_problem_named() {
    let tmp = tempfile::tempdir().unwrap();
    let mut work = new_work(tmp.path(), Template::OgeOral, Language::En);
    let path = "variants[0].tasks[1].content.answer_s";
    let problems = work.set_field(path, json!(2)).unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p.path == path && p.source == ProblemSource::Package),
        "{problems:#?}"
    );
    let (again, reopened) = Work::open(work.dir()).unwrap();
    assert_eq!(again, work);
    assert_eq!(reopened, problems);
    // Keys are edited by the paths their problems use.
    let kp = "keys.variants[0].tasks[2].criteria[0].max_points";
    let problems = work.set_field(kp, json!(9)).unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p.path.starts_with("keys.variants[0].tasks[2]")),
        "{problems:#?}"
    );
}

#[test]
fn a_truncated_mp3_is_refused_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let work = new_work(tmp.path(), Template::Vpr7, Language::En);
    let bytes = std::fs::read(fixtures().join("media/phrase.mp3")).unwrap();
    let cut = tmp.path().join("cut.mp3");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let e = work.add_media(&cut, Some("listening.mp3")).unwrap_err();
    assert_eq!(e.code(), "author_bad_media");
    assert!(e.to_string().contains("cut.mp3"), "{e}");
    assert!(!work.media_dir().join("listening.mp3").exists());
    // Text named .png, and names that could leave the folder.
    let fake = tmp.path().join("fake.png");
    std::fs::write(&fake, "not a picture").unwrap();
    assert!(work
        .add_media(&fake, None)
        .unwrap_err()
        .to_string()
        .contains("fake.png"));
    let good = fixtures().join("media/photo.jpg");
    for name in ["../x.jpg", ".hidden.jpg", "photo.exe", ""] {
        let e = work.add_media(&good, Some(name)).unwrap_err();
        assert_eq!(e.code(), "author_bad_media_name", "{name}");
    }
    let added = work.add_media(&good, None).unwrap();
    assert_eq!((added.width, added.height), (Some(640), Some(480)));
}

#[test]
fn tasks_and_variants_are_added_and_removed_with_their_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let mut work = new_work(tmp.path(), Template::VprWritten { grade: 6 }, Language::En);
    assert_eq!(work.add_task(1, TaskKind::Interview, 1).unwrap(), 2);
    let tasks = &work.package.variants[0].tasks;
    let numbers: Vec<u32> = tasks.iter().map(|t| t.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
    assert_eq!(tasks[2].title, "Задание 3. Грамматика");
    assert_eq!(tasks[2].item_ids()[0], "3.1");
    assert_eq!(work.keys.variants[0].tasks[2].items[0].id, "3.1");
    // Only the points changed: the conversion and the new task's media are the problems.
    let problems = work.problems();
    assert!(
        problems.iter().any(|p| p.path == "conversion"),
        "{problems:#?}"
    );
    assert!(problems
        .iter()
        .all(|p| p.path == "conversion" || p.source == ProblemSource::MissingMedia));
    work.remove_task(1, 2).unwrap();
    assert!(work.problems().is_empty(), "{:#?}", work.problems());
    assert_eq!(work.add_variant(None).unwrap(), 2);
    assert!(work.problems().is_empty(), "{:#?}", work.problems());
    assert_eq!(Work::open(work.dir()).unwrap().0, work);
    assert_eq!(work.remove_task(1, 9).unwrap_err().code(), "author_no_task");
}

#[test]
fn open_is_tolerant_and_refuses_only_what_is_not_a_work() {
    let tmp = tempfile::tempdir().unwrap();
    let work = new_work(tmp.path(), Template::EgeOral, Language::En);
    std::fs::remove_file(work.dir().join("keys.json")).unwrap();
    let (_, problems) = Work::open(work.dir()).unwrap();
    assert!(problems.iter().any(|p| p.source == ProblemSource::Keys));
    assert_eq!(
        Work::open(tmp.path()).unwrap_err().code(),
        "author_not_a_work"
    );
    std::fs::write(work.dir().join("package.json"), b"{\"format\": \"one\"}").unwrap();
    let e = Work::open(work.dir()).unwrap_err();
    assert_eq!(e.code(), "author_unreadable");
    assert!(e.to_string().contains("format"), "{e}");
    let big = std::fs::File::create(work.dir().join("package.json")).unwrap();
    big.set_len(5 * 1024 * 1024).unwrap();
    assert_eq!(
        Work::open(work.dir()).unwrap_err().code(),
        "author_too_large"
    );
    // A folder in use is not overwritten.
    let e = Work::create(work.dir(), Template::Vpr7, Language::En, "x", None).unwrap_err();
    assert_eq!(e.code(), "author_not_empty");
    assert_eq!(
        Work::create(
            &tmp.path().join("n"),
            Template::Vpr7,
            Language::En,
            "Bad Id",
            None
        )
        .unwrap_err()
        .code(),
        "author_bad_id"
    );
}
