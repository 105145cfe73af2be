//! A simulated station's bundle auto-scores exactly as a real station's
//! bundle of the same answers does. The simulator (`vpr_station::simulate`)
//! runs participants through the session engine with a hand-moved clock; the
//! same participants then sit the same package on the real station runtime
//! (`ExamRuntime`: wall clock, real playback and recording on the PulseAudio
//! null sinks that tests/run starts) giving the answers the simulator's
//! policy chose. Both stores are written as signed bundles, each recorded
//! into a real coordinator database with the package's keys released, and
//! the auto-scores compared task by task.
//!
//! The package is the demo en-7 made quick (a 3-second tone for the
//! listening track, 1-second preparations, 5-second answers) and marked as
//! exam work; the real station runs it as a package signed by a trusted
//! school issuer and unlocked on its shelf (training versus exam comes from
//! the signed header), so the runtime keeps it in the exam database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    sync::Arc,
    time::{Duration, Instant},
};

use serde_json::Value;
use vpr_coordinator::{Coordinator, NewWork, WorkSpec};
use vpr_exam::session::{PhaseView, Screen, SessionView};
use vpr_integrity::StationKey;
use vpr_station::{
    fixtures,
    simulate::{participant_codes, simulate_station, SimulatedWork, SimulationPlan},
    ExamConfig, ExamRuntime, Notifier, OrganizerAction, StudentAction,
};
use vpr_store::{StationInfo, Store};

fn fixtures_dir() -> PathBuf {
    fixtures::fixtures_dir(&[]).expect("audio-fixtures present")
}

/// en-7 with short timings, as exam work.
fn quick_en7(dir: &Path) -> PathBuf {
    let src = fixtures_dir().join("packages/en-7");
    let dst = dir.join("en-7-quick");
    std::fs::create_dir_all(dst.join("media")).unwrap();
    for e in std::fs::read_dir(src.join("media")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dst.join("media").join(e.file_name())).unwrap();
    }
    std::fs::copy(
        fixtures_dir().join("tones/sine-1khz-3s.wav"),
        dst.join("media/tone.wav"),
    )
    .unwrap();
    std::fs::copy(src.join("keys.json"), dst.join("keys.json")).unwrap();
    let mut p: Value =
        serde_json::from_str(&std::fs::read_to_string(src.join("package.json")).unwrap()).unwrap();
    p["demo"] = false.into();
    for task in p["variants"][0]["tasks"].as_array_mut().unwrap() {
        let c = &mut task["content"];
        match c["kind"].as_str().unwrap() {
            "listening" => {
                c["track"] = "media/tone.wav".into();
                c["duration_s"] = 3.into();
                c["read_first_s"] = 1.into();
                c["pause_between_s"] = 1.into();
            }
            "reading_aloud" | "monologue" => {
                c["prep_s"] = 1.into();
                c["answer_s"] = 5.into();
            }
            _ => {}
        }
    }
    std::fs::write(
        dst.join("package.json"),
        serde_json::to_vec_pretty(&p).unwrap(),
    )
    .unwrap();
    dst
}

/// `src` signed by a fresh school issuer, that issuer trusted at the
/// station in `data`, the package loaded and unlocked on its shelf: the
/// materials folder the station runs.
fn signed_on_shelf(src: &Path, data: &Path) -> PathBuf {
    use vpr_package::{build, generate_password, time, BuildRequest, Issuer, MaterialsHeader};
    let pk8 = data.join("issuer.pk8");
    std::fs::create_dir_all(data).unwrap();
    std::fs::write(&pk8, Issuer::generate_pkcs8().unwrap()).unwrap();
    let issuer = Issuer::read(&pk8).unwrap();
    let release = time::OffsetDateTime::now_utc() - time::Duration::hours(1);
    let meta =
        MaterialsHeader::read_dir(src)
            .unwrap()
            .meta("Школа", release.date(), release, release);
    let (day, keys) = (
        generate_password().unwrap().text,
        generate_password().unwrap().text,
    );
    let req = BuildRequest {
        source: src,
        meta,
        password: &day,
        keys_password: &keys,
        issuer: &issuer,
        limits: vpr_package::Limits::default(),
        created: release,
    };
    let file = data.join("package.vprpkg");
    std::fs::write(&file, build(&req).unwrap().0).unwrap();
    let layout = vpr_station::StationLayout::new(data);
    let public = data.join("issuer.pub");
    std::fs::write(&public, issuer.public_key_hex()).unwrap();
    vpr_station::packages::trust::add(&layout, &public, None).unwrap();
    let info = vpr_station::packages::load(&layout, &file.display().to_string()).unwrap();
    vpr_station::packages::unlock(&layout, &info.package_id, &day).unwrap();
    vpr_station::custody::shelf_materials(&layout, &info.package_id)
}

fn station_info(number: u32, key: &StationKey) -> StationInfo {
    StationInfo {
        station_id: format!("st-{number}"),
        school_id: "770123".into(),
        room: "12".into(),
        number,
        key_fingerprint: key.public_key().fingerprint(),
    }
}

fn write_bundle(data: &Path, key: &StationKey, out: &Path) {
    let store = Store::open(&vpr_store::exam_path(data)).unwrap();
    let at = vpr_store::parse_at("2026-04-15T12:00:00Z").unwrap();
    vpr_bundle::write_bundle(&store, data, key, out, at).unwrap();
}

/// Closed-task auto-scores per code after recording the verified answers of `bundle` into a fresh
/// coordinator database with the work and keys of the package (as a spec).
fn auto_scores(
    dir: &Path,
    package_dir: &Path,
    bundle: &Path,
    number: u32,
    key: &StationKey,
) -> BTreeMap<u32, BTreeMap<u32, Option<u32>>> {
    std::fs::create_dir_all(dir).unwrap();
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
    // The bundle's answers (signature and journal verified) recorded by
    // code; the coordinator's own import additionally requires the work's
    // signed package and an enrolled station, which this comparison of
    // scores does not need.
    let _ = number;
    let v = vpr_bundle::verify_bundle(bundle, &vpr_bundle::TrustedKeys::only(&[key.public_key()]))
        .unwrap();
    fn text(v: &Value) -> String {
        match v {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            Value::Array(a) => a.iter().map(text).collect::<Vec<_>>().join(","),
            other => other.to_string(),
        }
    }
    for file in &v.answers {
        for s in &file.sessions {
            db.record_submission(
                &vpr_coordinator::scoring::Submission {
                    adaptation: None,
                    work_id: work,
                    code: file.code.parse().unwrap(),
                    variant: s.variant.parse().unwrap(),
                    station_fingerprint: key.public_key().fingerprint().to_string(),
                    bundle_sha256: String::new(),
                    interrupted: false,
                    answers: s
                        .answers
                        .iter()
                        .map(|a| (a.item.clone(), text(&a.value)))
                        .collect(),
                },
                &[],
            )
            .unwrap();
        }
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

fn wait_for(
    rt: &ExamRuntime,
    what: &str,
    secs: u64,
    pred: impl Fn(&SessionView) -> bool,
) -> SessionView {
    let t = Instant::now();
    loop {
        let v = rt.view();
        if pred(&v) {
            return v;
        }
        assert!(
            t.elapsed() < Duration::from_secs(secs),
            "timed out waiting for {what}: {:?}",
            v.screen
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// One participant at the real station, giving `work.answers`.
fn sit_at_the_station(rt: &ExamRuntime, work: &SimulatedWork) {
    rt.act(StudentAction::EnterCode {
        code: work.code.clone(),
    })
    .unwrap();
    rt.act(StudentAction::ConfirmCode { correct: true })
        .unwrap();
    rt.act(StudentAction::FinishBriefing).unwrap();
    // Nobody speaks into the virtual microphone: the organizer lets them on.
    rt.organizer(&OrganizerAction::OverrideHeadset).unwrap();
    rt.act(StudentAction::StartWork).unwrap();
    loop {
        let v = wait_for(
            rt,
            "a task that can be left, or the end",
            60,
            |v| match &v.screen {
                Screen::Task(t) => t.can_leave,
                Screen::Finish { .. } | Screen::Closed { .. } => true,
                _ => false,
            },
        );
        match v.screen {
            Screen::Task(t) => {
                if matches!(t.phase, PhaseView::Answering) {
                    let prefix = format!("{}.", t.number);
                    for (item, value) in work.answers.iter().filter(|(i, _)| i.starts_with(&prefix))
                    {
                        rt.act(StudentAction::SetAnswer {
                            item: item.clone(),
                            value: value.clone(),
                        })
                        .unwrap();
                    }
                }
                rt.act(StudentAction::NextTask).unwrap();
            }
            Screen::Finish { .. } => {
                rt.act(StudentAction::Finish).unwrap();
            }
            _ => break,
        }
    }
    assert!(
        matches!(rt.view().screen, Screen::Closed { .. }),
        "the work is closed"
    );
}

/// (code, task, item, value) of every answer in a bundle.
fn bundle_answers(bundle: &Path, key: &StationKey) -> Vec<(String, String, String, Value)> {
    let v = vpr_bundle::verify_bundle(bundle, &vpr_bundle::TrustedKeys::only(&[key.public_key()]))
        .unwrap();
    v.answers
        .iter()
        .flat_map(|a| {
            a.sessions.iter().flat_map(move |s| {
                s.answers.iter().map(move |x| {
                    (
                        a.code.clone(),
                        x.task.clone(),
                        x.item.clone(),
                        x.value.clone(),
                    )
                })
            })
        })
        .collect()
}

#[test]
fn a_simulated_bundle_scores_as_the_real_stations_bundle_of_the_same_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let package_dir = quick_en7(tmp.path());
    let package = vpr_exam::Package::load_dir(&package_dir).unwrap();
    let keys = vpr_exam::Keys::load_dir(&package_dir, &package)
        .unwrap()
        .unwrap();

    // The simulated station.
    let sim_data = tmp.path().join("simulated");
    let sim_key = StationKey::from_seed(&[1; 32]).unwrap();
    let store = Arc::new(Store::open(&vpr_store::exam_path(&sim_data)).unwrap());
    store.set_station(&station_info(1, &sim_key)).unwrap();
    let mut plan = SimulationPlan::new(11, participant_codes(&package, 11, 2));
    plan.keys = Some(keys.clone());
    plan.alternate_variants = false;
    let works = simulate_station(&package_dir, &sim_data, store.clone(), &plan).unwrap();
    drop(store);
    assert_eq!(works.len(), 2);
    let sim_bundle = tmp.path().join("simulated.zip");
    write_bundle(&sim_data, &sim_key, &sim_bundle);

    // The real station, the same participants, the same answers.
    let real_data = tmp.path().join("real");
    let real_key = StationKey::from_seed(&[2; 32]).unwrap();
    Store::open(&vpr_store::exam_path(&real_data))
        .unwrap()
        .set_station(&station_info(2, &real_key))
        .unwrap();
    let shelf_dir = signed_on_shelf(&package_dir, &real_data);
    let notify: Notifier = Arc::new(|_| {});
    let rt = ExamRuntime::start(
        ExamConfig {
            package_dir: shelf_dir,
            data_dir: real_data.clone(),
            headset_phrase: Some(fixtures_dir().join(fixtures::HEADSET_PHRASE)),
            input: None,
            output: None,
            volume: 1.0,
            headset_seconds: 2,
        },
        notify,
    )
    .unwrap();
    assert!(!rt.is_training(), "an exam package of a trusted issuer");
    for (n, w) in works.iter().enumerate() {
        if n > 0 {
            rt.organizer(&OrganizerAction::NextParticipant).unwrap();
        }
        sit_at_the_station(&rt, w);
    }
    drop(rt);
    let real_bundle = tmp.path().join("real.zip");
    write_bundle(&real_data, &real_key, &real_bundle);

    // The same answers went into both bundles…
    assert_eq!(
        bundle_answers(&sim_bundle, &sim_key),
        bundle_answers(&real_bundle, &real_key)
    );
    // …and score the same, task by task, as the package's keys say.
    let simulated = auto_scores(
        &tmp.path().join("coord-sim"),
        &package_dir,
        &sim_bundle,
        1,
        &sim_key,
    );
    let real = auto_scores(
        &tmp.path().join("coord-real"),
        &package_dir,
        &real_bundle,
        2,
        &real_key,
    );
    assert_eq!(simulated, real);
    assert_eq!(simulated.len(), 2);
    for w in &works {
        let expected: BTreeMap<u32, Option<u32>> =
            vpr_exam::score_closed(&package, &keys, w.variant, &w.answers)
                .unwrap()
                .into_iter()
                .filter_map(|t| t.points.map(|p| (t.number, Some(p))))
                .collect();
        assert_eq!(
            simulated[&w.code.parse::<u32>().unwrap()],
            expected,
            "{}",
            w.code
        );
    }
    assert!(
        simulated
            .values()
            .flat_map(|t| t.values())
            .flatten()
            .sum::<u32>()
            > 0,
        "some answers are right"
    );
}
