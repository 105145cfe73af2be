//! The station runtime on the real stack: the training package (timings
//! shortened, listening track swapped for a 3-second tone), the real SQLite
//! store, real recordings from the PulseAudio null sinks (tests/run starts
//! them). Checks plays, saved answers, registered recordings, the closed
//! work, and resume after the runtime is dropped mid-task.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use serde_json::Value;
use vpr_exam::session::{Screen, SessionView};
use vpr_station::{fixtures, ExamConfig, ExamRuntime, Notice, Notifier};
use vpr_station::{OrganizerAction, StudentAction};

fn fixtures_dir() -> PathBuf {
    fixtures::fixtures_dir(&[]).expect("audio-fixtures present")
}

/// A copy of the training package with short timings.
fn quick_package(dir: &Path) -> PathBuf {
    let src = fixtures_dir().join(fixtures::TRAINING_PACKAGE);
    let dst = dir.join("package");
    std::fs::create_dir_all(dst.join("media")).unwrap();
    std::fs::copy(
        fixtures_dir().join("tones/sine-1khz-3s.wav"),
        dst.join("media/tone.wav"),
    )
    .unwrap();
    std::fs::copy(src.join("keys.json"), dst.join("keys.json")).unwrap();
    let mut p: Value =
        serde_json::from_str(&std::fs::read_to_string(src.join("package.json")).unwrap()).unwrap();
    let tasks = p["variants"][0]["tasks"].as_array_mut().unwrap();
    let l = &mut tasks[0]["content"];
    l["track"] = "media/tone.wav".into();
    l["duration_s"] = 3.into();
    l["read_first_s"] = 1.into();
    l["pause_between_s"] = 1.into();
    let ra = &mut tasks[2]["content"];
    ra["prep_s"] = 1.into();
    ra["answer_s"] = 5.into();
    std::fs::write(
        dst.join("package.json"),
        serde_json::to_vec_pretty(&p).unwrap(),
    )
    .unwrap();
    dst
}

fn start(data: &Path, package: &Path, seen: Arc<Mutex<Vec<Notice>>>) -> ExamRuntime {
    let notify: Notifier = Arc::new(move |n| seen.lock().unwrap().push(n));
    ExamRuntime::start(
        ExamConfig {
            package_dir: package.to_path_buf(),
            data_dir: data.to_path_buf(),
            headset_phrase: Some(fixtures_dir().join(fixtures::HEADSET_PHRASE)),
            input: None,
            output: None,
            volume: 1.0,
            headset_seconds: 2,
        },
        notify,
    )
    .unwrap()
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

fn task_no(v: &SessionView) -> Option<u32> {
    match &v.screen {
        Screen::Task(t) => Some(t.number),
        _ => None,
    }
}

#[test]
fn a_whole_training_work_on_the_real_stack_then_resume() {
    let tmp = tempfile::tempdir().unwrap();
    let package = quick_package(tmp.path());
    let data = tmp.path().join("data");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let rt = start(&data, &package, seen.clone());

    rt.act(StudentAction::EnterCode {
        code: "12345".into(),
    })
    .unwrap();
    rt.act(StudentAction::ConfirmCode { correct: true })
        .unwrap();
    rt.act(StudentAction::FinishBriefing).unwrap();
    // The headset check runs on the real devices; nobody speaks into the
    // virtual microphone, so it fails as silent and the organizer overrides.
    rt.act(StudentAction::RunHeadsetCheck).unwrap();
    wait_for(
        &rt,
        "headset result",
        30,
        |v| matches!(&v.screen, Screen::HeadsetCheck { status } if !matches!(status, vpr_exam::session::HeadsetStatus::NotChecked)),
    );
    rt.organizer(&OrganizerAction::OverrideHeadset).unwrap();
    rt.act(StudentAction::StartWork).unwrap();

    // Listening: the first play starts by itself after the reading time; the
    // second after the pause; a third is refused.
    let v = wait_for(&rt, "listening done", 30, |v| match &v.screen {
        Screen::Task(t) => t.number == 1 && t.plays_left == 0 && t.can_leave,
        _ => false,
    });
    if let Screen::Task(t) = &v.screen {
        assert_eq!(t.plays_used, 2);
    }
    let third = rt.act(StudentAction::RequestPlay).unwrap_err();
    assert!(
        vpr_error::Coded::code(&third).contains("play") || third.to_string().contains("прослушана"),
        "{third}"
    );
    rt.act(StudentAction::SetAnswer {
        item: "1.1".into(),
        value: "B".into(),
    })
    .unwrap();
    rt.act(StudentAction::NextTask).unwrap();
    assert_eq!(task_no(&rt.view()), Some(2));
    rt.act(StudentAction::SetAnswer {
        item: "2.1".into(),
        value: "saw".into(),
    })
    .unwrap();

    // Restart in the middle of task 2: same task, same answer.
    drop(rt);
    let rt = start(&data, &package, seen.clone());
    let v = rt.view();
    assert_eq!(task_no(&v), Some(2), "resumed at the same task");
    if let Screen::Task(t) = &v.screen {
        assert_eq!(t.answers.get("2.1").map(String::as_str), Some("saw"));
    }
    rt.act(StudentAction::NextTask).unwrap();

    // Reading aloud: recording starts after the preparation and stops at the limit.
    wait_for(
        &rt,
        "recorded",
        30,
        |v| matches!(&v.screen, Screen::Task(t) if t.number == 3 && matches!(t.phase, vpr_exam::session::PhaseView::Recorded)),
    );
    rt.act(StudentAction::NextTask).unwrap();
    wait_for(&rt, "finish screen", 10, |v| {
        matches!(v.screen, Screen::Finish { .. })
    });
    rt.act(StudentAction::Finish).unwrap();
    wait_for(&rt, "closed", 10, |v| {
        matches!(v.screen, Screen::Closed { .. })
    });
    drop(rt);

    // What the store holds: one finished training session, both answers, the
    // plays, a complete recording whose file hash matches.
    let store = vpr_store::Store::open(&vpr_store::training_path(&data)).unwrap();
    store.verify().unwrap();
    let sessions = store.sessions().unwrap();
    assert_eq!(sessions.len(), 1);
    let s = &sessions[0];
    assert_eq!(s.participant_code, "12345");
    assert_eq!(s.status, vpr_store::SessionStatus::Training);
    assert_eq!(s.plays.values().copied().collect::<Vec<_>>(), vec![2]);
    let answers = store.answers(s.id).unwrap();
    assert_eq!(answers.len(), 2);
    let recs = store.recordings(s.id).unwrap();
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    assert_eq!(r.status, vpr_store::RecordingStatus::Complete);
    let info = vpr_audio::wav_info(&data.join(&r.file)).unwrap();
    assert!(
        (4800..=5300).contains(&info.duration_ms),
        "recording stopped at the limit: {} ms",
        info.duration_ms
    );
    assert!(seen
        .lock()
        .unwrap()
        .iter()
        .any(|n| matches!(n, Notice::View(_))));
}

fn copy_tree(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dst.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), dst.join(e.file_name())).unwrap();
        }
    }
}

/// A crash mid-answer (the data folder as a power cut leaves it: copied
/// while the answer is being recorded): on restart the recording goes on,
/// the student is told so with the time left, and the organizer gets an
/// alert naming the gap in seconds.
#[test]
fn a_restart_mid_recording_tells_the_student_and_the_organizer() {
    let tmp = tempfile::tempdir().unwrap();
    let package = quick_package(tmp.path());
    // A long answer, so time is left after the restart.
    let json = package.join("package.json");
    let mut p: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    p["variants"][0]["tasks"][2]["content"]["answer_s"] = 60.into();
    std::fs::write(&json, serde_json::to_vec_pretty(&p).unwrap()).unwrap();
    let data = tmp.path().join("data");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let rt = start(&data, &package, seen.clone());
    rt.act(StudentAction::EnterCode {
        code: "12345".into(),
    })
    .unwrap();
    rt.act(StudentAction::ConfirmCode { correct: true })
        .unwrap();
    rt.act(StudentAction::FinishBriefing).unwrap();
    rt.organizer(&OrganizerAction::OverrideHeadset).unwrap();
    rt.act(StudentAction::StartWork).unwrap();
    while task_no(&rt.view()) != Some(3) {
        wait_for(&rt, "task can be left", 30, |v| match &v.screen {
            Screen::Task(t) => t.can_leave,
            _ => false,
        });
        rt.act(StudentAction::NextTask).unwrap();
    }
    wait_for(
        &rt,
        "recording",
        30,
        |v| matches!(&v.screen, Screen::Task(t) if matches!(t.phase, vpr_exam::session::PhaseView::Recording { .. })),
    );
    std::thread::sleep(Duration::from_millis(1500));
    let crashed = tmp.path().join("crashed");
    copy_tree(&data, &crashed);
    drop(rt);
    assert!(seen
        .lock()
        .unwrap()
        .iter()
        .all(|n| !matches!(n, Notice::Alert(a) if a.code == "recording_resumed")));
    std::thread::sleep(Duration::from_secs(2));

    let rt = start(&crashed, &package, seen.clone());
    let v = rt.view();
    assert_eq!(task_no(&v), Some(3));
    assert!(
        matches!(&v.screen, Screen::Task(t) if matches!(t.phase, vpr_exam::session::PhaseView::Recording { .. })),
        "{:?}",
        v.screen
    );
    let notice = v.notice.clone().unwrap_or_default();
    assert!(notice.contains("Запись ответа продолжается"), "{notice}");
    assert!(notice.contains("Осталось"), "{notice}");
    let alert = seen
        .lock()
        .unwrap()
        .iter()
        .find_map(|n| match n {
            Notice::Alert(a) if a.code == "recording_resumed" => Some(a.clone()),
            _ => None,
        })
        .expect("the organizer is told");
    assert!(
        rt.startup_alerts().contains(&alert),
        "kept for a window that listens later"
    );
    // The gap runs from the last write before the «crash» to the restart: ≥ 2 s.
    let gap: u64 = alert
        .message
        .split("пропуск в записи — ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{}", alert.message));
    assert!((2..=10).contains(&gap), "{}", alert.message);
    let store = vpr_store::Store::open(&vpr_store::training_path(&crashed)).unwrap();
    let recs = store.recordings(store.sessions().unwrap()[0].id).unwrap();
    assert!(
        recs.iter()
            .any(|r| r.status == vpr_store::RecordingStatus::Repaired),
        "{recs:?}"
    );
    drop(rt);
}
