//! `vpr simulate station` on the real demo package: the bundle carries the
//! package's own id and item ids, imports into a real coordinator database
//! under a work added from the same package (no id override), and every
//! closed task auto-scores what the package's keys give for the answers the
//! policy chose; the same parameters give the same bundle, byte for byte.

use std::{collections::BTreeMap, path::Path};

use vpr_coordinator::{Coordinator, NewWork, WorkSpec};

use super::{simulate_station, station_key, SimulateOptions};

/// A simulated bundle of the demo package never reaches a coordinator's
/// form: the demo package is training material (refused as a work), and a
/// work described by a spec with the same package id has no signed package
/// for the bundle's package hash to match.
fn coordinator_refuses(dir: &Path, bundle: &Path, seed: u64, package_dir: &Path) {
    let db = Coordinator::create_with_iterations(
        &dir.join("coordinator.sqlite"),
        "пароль-координатора",
        1_000,
    )
    .unwrap();
    db.set_school(&vpr_coordinator::School {
        name: "Школа".into(),
        login: "sch770001".into(),
        ..Default::default()
    })
    .unwrap();
    let package = vpr_exam::Package::load_dir(package_dir).unwrap();
    let work = db
        .add_work(&NewWork {
            package_id: package.id.clone(),
            subject: "Английский язык".into(),
            grade: 7,
            date: "2026-04-15".into(),
            reserve_dates: Vec::new(),
            upload_deadline: "2026-04-18".into(),
            spec: WorkSpec::from_package(&package, 15),
        })
        .unwrap();
    let room = db.add_room("101").unwrap();
    assert!(
        db.import_bundle(bundle).is_err(),
        "a station not registered is refused"
    );
    let key = station_key(seed).unwrap().public_key();
    db.add_station(
        room,
        1,
        "100",
        &key.to_hex(),
        &key.fingerprint().to_string(),
    )
    .unwrap();
    let err = db.import_bundle(bundle).unwrap_err();
    assert!(err.to_string().contains("без подписанного пакета"), "{err}");
    assert!(db.submissions(work).unwrap().is_empty());
}

#[test]
fn a_simulated_bundle_of_the_demo_package_scores_by_its_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = SimulateOptions::new(4, &dir.path().join("sim.zip"));
    opts.seed = 5;
    let sim = simulate_station(&opts).unwrap();
    assert_eq!(sim.package_id, "demo-en-7");
    assert_eq!(
        sim.bundle.manifest.package_ids,
        vec!["demo-en-7".to_string()]
    );
    assert_eq!(sim.package_sha256.len(), 64);
    assert_eq!(sim.works.len(), 4);
    assert!(
        sim.works.iter().all(|w| w.variant == 1),
        "en-7 has one variant"
    );
    let items: Vec<&String> = sim.works.iter().flat_map(|w| w.answers.keys()).collect();
    assert!(items.iter().any(|i| i.as_str() == "1.1"), "{items:?}");
    assert!(
        items.iter().all(|i| i.contains('.')),
        "real item ids: {items:?}"
    );
    for w in &sim.works {
        let spoken: Vec<u32> = w.recordings.iter().map(|(t, _)| *t).collect();
        assert_eq!(spoken, [2, 3]);
        assert!(w
            .recordings
            .iter()
            .all(|(_, ms)| (6_000..=15_000).contains(ms)));
    }
    let package = vpr_exam::Package::load_dir(&opts.package).unwrap();

    let package_dir = &opts.package;
    let keys = vpr_exam::Keys::load_dir(package_dir, &package)
        .unwrap()
        .unwrap();
    coordinator_refuses(dir.path(), &sim.bundle.path, 5, package_dir);
    let mut total = 0;
    for w in &sim.works {
        let expected: BTreeMap<u32, Option<u32>> =
            vpr_exam::score_closed(&package, &keys, w.variant, &w.answers)
                .unwrap()
                .into_iter()
                .filter_map(|t| t.points.map(|p| (t.number, Some(p))))
                .collect();
        total += expected.values().flatten().sum::<u32>();
    }
    assert!(total > 20, "most answers are right: {total} points in all");

    // Same parameters, same bundle.
    let mut again = opts.clone();
    again.out = dir.path().join("again.zip");
    simulate_station(&again).unwrap();
    assert_eq!(
        std::fs::read(&again.out).unwrap(),
        std::fs::read(&opts.out).unwrap()
    );
}

/// The ЕГЭ oral demo sits to the end in the simulator (it stopped at the
/// fixed-time reading aloud, then at the two-photo task, before): one
/// recording per prompt and per interview question.
#[test]
fn the_ege_oral_demo_is_simulated_with_a_recording_per_question() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = SimulateOptions::new(2, &dir.path().join("sim.zip"));
    opts.package = opts.package.parent().unwrap().join("ege-en-oral");
    let sim = simulate_station(&opts).unwrap();
    assert_eq!(sim.package_id, "demo-ege-en-oral");
    for w in &sim.works {
        let per_task = |n: u32| w.recordings.iter().filter(|(t, _)| *t == n).count();
        assert_eq!(
            (per_task(2), per_task(3)),
            (4, 5),
            "recordings {:?}",
            w.recordings
        );
        assert!(per_task(1) >= 1 && per_task(4) >= 1);
    }
}
