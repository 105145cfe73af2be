//! Which variant and which adapted version a participant sits: variants
//! alternate by seat, the organizer may change both until the work starts,
//! and the session runs that variant's tasks (issue 12 item 5).
#![allow(clippy::unwrap_used)]

use std::{path::Path, sync::Arc};

use serde_json::Value;
use vpr_exam::{
    session::{EventKind, ManualClock, MemoryJournal, Screen, Session},
    ExamError, Package,
};

type S = Session<ManualClock, MemoryJournal>;

/// The grade 7 demo with a second variant whose task 4 has its own title.
fn two_variants() -> Arc<Package> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures/packages/en-7");
    let p = Package::load_dir(&dir).unwrap();
    let mut v = serde_json::to_value(&p).unwrap();
    let mut second = v["variants"][0].clone();
    second["number"] = 2.into();
    second["tasks"][3]["title"] = Value::from("Чтение (вариант 2)");
    v["variants"].as_array_mut().unwrap().push(second);
    Arc::new(Package::from_json(&serde_json::to_vec(&v).unwrap()).unwrap())
}

fn session(pkg: Arc<Package>, seat: Option<u32>) -> S {
    let variant = pkg.variant_for_seat(seat);
    Session::new(
        pkg,
        variant,
        ManualClock::new(1_790_000_000_000),
        MemoryJournal::default(),
    )
    .unwrap()
}

#[test]
fn variants_alternate_by_seat() {
    let pkg = two_variants();
    let by_seat: Vec<u32> = (1..=5).map(|n| pkg.variant_for_seat(Some(n))).collect();
    assert_eq!(by_seat, vec![1, 2, 1, 2, 1]);
    assert_eq!(pkg.variant_for_seat(None), 1);
    assert_eq!(pkg.variant_for_seat(Some(0)), 1);
    let one = Package::load_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures/packages/en-7"),
    )
    .unwrap();
    assert_eq!(one.variant_for_seat(Some(2)), 1);
}

#[test]
fn seat_two_runs_variant_two_and_the_organizer_may_change_it_before_the_start() {
    let pkg = two_variants();
    let mut s = session(pkg.clone(), Some(2));
    assert_eq!(s.view().variant, 2);
    let choices = s.view().choices.unwrap();
    assert_eq!(choices.variants, vec![1, 2]);
    assert_eq!(choices.adaptations.len(), 2);
    s.enter_code("12345").unwrap();
    s.confirm_code(true).unwrap();
    assert!(s.journal().events.iter().any(|e| e.kind
        == EventKind::CodeConfirmed {
            code: "12345".into(),
            variant: 2
        }));
    // The organizer overrides, and overrides back.
    s.set_variant(1).unwrap();
    assert_eq!(s.view().variant, 1);
    assert!(matches!(
        s.set_variant(7),
        Err(ExamError::UnknownVariant(7))
    ));
    s.set_variant(2).unwrap();
    s.set_adaptation(Some("no_listening")).unwrap();
    assert_eq!(
        s.view().choices.unwrap().adaptation_id.as_deref(),
        Some("no_listening")
    );
    s.finish_briefing().unwrap();
    s.headset_checked(true).unwrap();
    s.start_work().unwrap();
    // Running: the version is fixed and no longer offered.
    assert!(s.view().choices.is_none());
    assert!(matches!(s.set_variant(1), Err(ExamError::NotNow(_))));
    assert_eq!(s.checkpoint().variant, 2);
    // Variant 2 without listening: its tasks 2–6, with variant 2's task 4.
    let numbers: Vec<u32> = s.checkpoint().tasks.iter().map(|t| t.number).collect();
    assert_eq!(numbers, vec![2, 3, 4, 5, 6]);
    let tab = s.view().tasks.into_iter().find(|t| t.number == 4).unwrap();
    assert_eq!(tab.title, "Чтение (вариант 2)");
    assert!(matches!(s.view().screen, Screen::Task(t) if t.number == 2));
    let events: Vec<EventKind> = s.journal().events.iter().map(|e| e.kind.clone()).collect();
    assert!(events.contains(&EventKind::VariantSet { variant: 1 }));
    assert!(events.contains(&EventKind::VariantSet { variant: 2 }));
}
