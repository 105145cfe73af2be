//! The station runtime assigns the variant by the station's number (seat):
//! station 2 runs variant 2 of a two-variant work (it always ran variant 1);
//! the organizer sees the variant and the version before the start and may
//! change them; the store session — what the bundle carries — follows.
//! Real SQLite store, real package folder; no sound is played.

#![allow(clippy::unwrap_used)]

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use serde_json::Value;
use vpr_exam::session::Screen;
use vpr_station::StudentAction;
use vpr_station::{fixtures, ExamConfig, ExamRuntime, Notifier, OrganizerAction, StationLayout};
use vpr_store::Store;

/// The grade 7 demo with a second variant (its task 4 titled apart).
fn two_variants(dir: &Path) -> PathBuf {
    let src = fixtures::fixtures_dir(&[]).unwrap().join("packages/en-7");
    let dst = dir.join("package");
    copy_tree(&src, &dst);
    let mut p: Value =
        serde_json::from_str(&std::fs::read_to_string(dst.join("package.json")).unwrap()).unwrap();
    let mut second = p["variants"][0].clone();
    second["number"] = 2.into();
    second["tasks"][3]["title"] = "Чтение (вариант 2)".into();
    p["variants"].as_array_mut().unwrap().push(second);
    std::fs::write(dst.join("package.json"), p.to_string()).unwrap();
    std::fs::remove_file(dst.join("keys.json")).ok();
    dst
}

fn copy_tree(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
}

fn start(data: &Path, package: &Path) -> ExamRuntime {
    let notify: Notifier = Arc::new(|_| {});
    ExamRuntime::start(
        ExamConfig {
            package_dir: package.to_path_buf(),
            data_dir: data.to_path_buf(),
            headset_phrase: None,
            input: None,
            output: None,
            volume: 1.0,
            headset_seconds: 2,
        },
        notify,
    )
    .unwrap()
}

fn seat(data: &Path, number: u32) {
    vpr_station::identity::set_identity(&StationLayout::new(data), "770123", "21", number).unwrap();
}

#[test]
fn station_two_runs_variant_two_and_the_organizer_can_change_it() {
    let tmp = tempfile::tempdir().unwrap();
    let package = two_variants(tmp.path());
    for (number, variant) in [(1, 1), (2, 2), (3, 1)] {
        let data = tmp.path().join(format!("station-{number}"));
        seat(&data, number);
        let rt = start(&data, &package);
        assert_eq!(rt.view().variant, variant, "station {number}");
    }

    let data = tmp.path().join("station-2");
    let rt = start(&data, &package);
    let v = rt.view();
    let choices = v.choices.clone().unwrap();
    assert_eq!(choices.variants, vec![1, 2]);
    assert!(choices.adaptations.iter().any(|a| a.id == "no_listening"));
    rt.act(StudentAction::EnterCode {
        code: "12345".into(),
    })
    .unwrap();
    let v = rt
        .act(StudentAction::ConfirmCode { correct: true })
        .unwrap();
    assert!(matches!(v.screen, Screen::Briefing { .. }));
    // The unsigned folder runs as training: its store is the training database.
    let store = Store::open(&StationLayout::new(&data).training_db()).unwrap();
    let row = || store.sessions().unwrap().pop().unwrap();
    assert_eq!(row().variant, "2");
    assert_eq!(row().adapted_version, None);

    // The organizer overrides before the start: the store row follows.
    rt.organizer(&OrganizerAction::SetVariant { variant: 1 })
        .unwrap();
    let v = rt
        .organizer(&OrganizerAction::SetAdaptation {
            adaptation: Some("no_listening".into()),
        })
        .unwrap();
    assert_eq!(v.variant, 1);
    assert!(v.adaptation.is_some(), "the version's title is shown");
    assert_eq!(row().variant, "1");
    assert_eq!(row().adapted_version.as_deref(), Some("no_listening"));
    assert!(
        row().extended_time,
        "the demo's no-listening version has 150 % time"
    );
    rt.organizer(&OrganizerAction::SetAdaptation { adaptation: None })
        .unwrap();
    assert_eq!(row().adapted_version, None);
    assert!(!row().extended_time);
    rt.organizer(&OrganizerAction::SetAdaptation {
        adaptation: Some("extended_time".into()),
    })
    .unwrap();
    assert!(row().extended_time);
    assert!(rt
        .organizer(&OrganizerAction::SetVariant { variant: 9 })
        .is_err());
    rt.organizer(&OrganizerAction::SetVariant { variant: 2 })
        .unwrap();
    store.verify().unwrap();
    drop(rt);

    // After a restart the session resumes with the version chosen.
    let rt = start(&data, &package);
    assert_eq!(rt.view().variant, 2);
    assert_eq!(row().variant, "2");
    assert_eq!(row().adapted_version.as_deref(), Some("extended_time"));
}
