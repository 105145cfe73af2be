//! `vpr simulate station` on the real demo package: the bundle carries the
//! package's own id and item ids, imports into a real coordinator database
//! under a work added from the same package (no id override), and every
//! closed task auto-scores what the package's keys give for the answers the
//! policy chose; the same parameters give the same bundle, byte for byte.

use std::{collections::BTreeMap, path::Path};

use vpr_coordinator::{Coordinator, NewWork, WorkSpec};

use super::{simulate_station, station_key, SimulateOptions};

/// Closed-task auto-scores per participant code, after importing `bundle`.
fn coordinator_scores(
    dir: &Path,
    bundle: &Path,
    seed: u64,
    package_dir: &Path,
) -> BTreeMap<u32, BTreeMap<u32, Option<u32>>> {
    let db = Coordinator::create_with_iterations(
        &dir.join("coordinator.sqlite"),
        "пароль-координатора",
        1_000,
    )
    .unwrap();
    let package = vpr_exam::Package::load_dir(package_dir).unwrap();
    let keys = vpr_exam::Keys::load_dir(package_dir, &package)
        .unwrap()
        .unwrap();
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
    db.add_station(room, 1, &station_key(seed).unwrap().public_key().to_hex())
        .unwrap();
    let report = db.import_bundle(bundle).unwrap();
    assert!(report.skipped.is_empty(), "{report:?}");
    for code in &report.added {
        let tasks: Vec<u32> = db
            .recordings(work, *code)
            .unwrap()
            .iter()
            .map(|r| r.task)
            .collect();
        assert_eq!(tasks, vec![2, 3], "both oral answers arrive");
    }
    db.set_keys(work, &keys).unwrap();
    db.auto_score(work).unwrap();
    let oral: Vec<u32> = package.variants[0]
        .tasks
        .iter()
        .filter(|t| t.is_oral())
        .map(|t| t.number)
        .collect();
    db.results(work)
        .unwrap()
        .into_iter()
        .map(|r| {
            let closed = r
                .tasks
                .into_iter()
                .filter(|(t, _)| !oral.contains(t))
                .collect();
            (r.code, closed)
        })
        .collect()
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
    let scores = coordinator_scores(dir.path(), &sim.bundle.path, 5, package_dir);
    let mut total = 0;
    for w in &sim.works {
        let expected: BTreeMap<u32, Option<u32>> =
            vpr_exam::score_closed(&package, &keys, w.variant, &w.answers)
                .unwrap()
                .into_iter()
                .filter_map(|t| t.points.map(|p| (t.number, Some(p))))
                .collect();
        let code: u32 = w.code.parse().unwrap();
        assert_eq!(scores[&code], expected, "participant {}", w.code);
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
