//! An ОГЭ-format dialogue on the real stack: the station runtime plays the
//! instruction and each question from its track to `vspeaker`, then opens
//! each answer window with a signal and records it apart from `vmic` (speech
//! fed in by paplay); a question is never played twice. Timings shortened,
//! the tracks are the demo's own spoken questions.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    io::Read,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use serde_json::{json, Value};
use vpr_exam::session::{PhaseView, Screen, SessionView};
use vpr_station::{fixtures, ExamConfig, ExamRuntime, Notice, Notifier};
use vpr_station::{OrganizerAction, StudentAction};

const RATE: usize = 16_000;

fn fixtures_dir() -> PathBuf {
    fixtures::fixtures_dir(&[]).expect("audio-fixtures present")
}

/// The ОГЭ demo's dialogue alone: three of its questions, 1 s to read the
/// situation, 5 s per answer; its second question's track as the instruction.
fn dialogue_package(dir: &Path) -> PathBuf {
    let src = fixtures_dir().join("packages/oge-en-oral");
    let dst = dir.join("package");
    std::fs::create_dir_all(dst.join("media")).unwrap();
    for f in [
        "dialogue-q1.wav",
        "dialogue-q2.wav",
        "dialogue-q3.wav",
        "dialogue-q4.wav",
    ] {
        std::fs::copy(src.join("media").join(f), dst.join("media").join(f)).unwrap();
    }
    let mut p: Value =
        serde_json::from_str(&std::fs::read_to_string(src.join("package.json")).unwrap()).unwrap();
    let mut task = p["variants"][0]["tasks"][1].clone();
    task["number"] = 1.into();
    task["max_score"] = 3.into();
    task["instruction_track"] = json!({"file": "media/dialogue-q4.wav", "duration_s": 4});
    let c = &mut task["content"];
    c["read_first_s"] = 1.into();
    c["answer_s"] = 5.into();
    let qs = c["questions"].as_array_mut().unwrap();
    qs.truncate(3);
    p["variants"][0]["tasks"] = json!([task]);
    // The briefing read aloud: the first question's voice stands in for it.
    p["briefing_track"] = json!({"file": "media/dialogue-q1.wav", "duration_s": 9});
    p["timing"] = json!({"total_s": 300, "reminders_s": [], "eye_breaks": []});
    p["conversion"] = json!([{"min": 0, "max": 3, "mark": 5}]);
    std::fs::write(
        dst.join("package.json"),
        serde_json::to_vec_pretty(&p).unwrap(),
    )
    .unwrap();
    let keys: Value =
        serde_json::from_str(&std::fs::read_to_string(src.join("keys.json")).unwrap()).unwrap();
    let mut t = keys["variants"][0]["tasks"][1].clone();
    t["number"] = 1.into();
    t["criteria"].as_array_mut().unwrap().truncate(3);
    let keys = json!({"package_id": keys["package_id"], "variants": [{"number": 1, "tasks": [t]}]});
    std::fs::write(
        dst.join("keys.json"),
        serde_json::to_vec_pretty(&keys).unwrap(),
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

/// What `vspeaker` plays, captured at 16 kHz mono from its monitor.
struct Capture {
    child: std::process::Child,
    started: Instant,
    reader: std::thread::JoinHandle<Vec<u8>>,
}

impl Capture {
    fn start() -> Capture {
        let mut child = Command::new("parec")
            .args([
                "-d",
                "vspeaker.monitor",
                "--raw",
                "--format=s16le",
                "--channels=1",
                "--rate=16000",
                "--latency-msec=20",
            ])
            .stdout(Stdio::piped())
            .stdin(Stdio::null())
            .spawn()
            .expect("parec (pulseaudio-utils)");
        // Read all along: a full pipe would stall parec and drop sound.
        let mut out = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut raw = Vec::new();
            let _ = out.read_to_end(&mut raw);
            raw
        });
        Capture {
            child,
            started: Instant::now(),
            reader,
        }
    }

    fn finish(mut self) -> Vec<i16> {
        let _ = Command::new("kill")
            .args(["-s", "INT", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
        let raw = self.reader.join().unwrap();
        raw.chunks_exact(2)
            .map(|b| i16::from_le_bytes([b[0], b[1]]))
            .collect()
    }
}

fn rms(samples: &[i16], from: Duration, to: Duration) -> f64 {
    let a = (from.as_secs_f64() * RATE as f64) as usize;
    let b = ((to.as_secs_f64() * RATE as f64) as usize).min(samples.len());
    if b <= a {
        return 0.0;
    }
    let sum: f64 = samples[a..b].iter().map(|&s| f64::from(s).powi(2)).sum();
    (sum / (b - a) as f64).sqrt() / 32768.0
}

#[test]
fn each_question_is_heard_on_the_speaker_and_each_answer_recorded_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let package = dialogue_package(tmp.path());
    let data = tmp.path().join("data");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let rt = start(&data, &package, seen.clone());
    let _speech = vpr_audio::crashtest::SpeechFeed::start(
        &fixtures_dir().join("speech/answer-en.wav"),
        "vmic",
    )
    .expect("speech into vmic");

    rt.act(StudentAction::EnterCode {
        code: "12345".into(),
    })
    .unwrap();
    let capture = Capture::start();
    rt.act(StudentAction::ConfirmCode { correct: true })
        .unwrap();
    // The briefing's track sounds once by itself, shown as read aloud, and ends.
    let briefing = |rt: &ExamRuntime| match rt.view().screen {
        Screen::Briefing { reading_aloud, .. } => Some(reading_aloud),
        _ => None,
    };
    assert_eq!(briefing(&rt), Some(true));
    let aloud_from = capture.started.elapsed();
    let deadline = Instant::now() + Duration::from_secs(20);
    while briefing(&rt) == Some(true) {
        assert!(
            Instant::now() < deadline,
            "the briefing track did not end: {:?}",
            seen.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let aloud_to = capture.started.elapsed();
    assert!(
        aloud_to - aloud_from >= Duration::from_secs(2),
        "the briefing ended after {:?}",
        aloud_to - aloud_from
    );
    rt.act(StudentAction::FinishBriefing).unwrap();
    rt.organizer(&OrganizerAction::OverrideHeadset).unwrap();
    rt.act(StudentAction::StartWork).unwrap();

    // Follow the phases as the screen shows them, with their times.
    let mut phases: Vec<(Duration, PhaseView)> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let v: SessionView = rt.view();
        if let Screen::Task(t) = &v.screen {
            if phases.last().map(|p| p.1) != Some(t.phase) {
                phases.push((capture.started.elapsed(), t.phase));
            }
            if t.phase == PhaseView::Recorded {
                break;
            }
        }
        assert!(
            Instant::now() < deadline,
            "the dialogue did not end: {phases:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    let heard = capture.finish();
    eprintln!(
        "captured {} samples, overall rms {:.4}, phases {phases:?}",
        heard.len(),
        rms(&heard, Duration::ZERO, Duration::from_secs(600))
    );
    rt.act(StudentAction::NextTask).unwrap();
    rt.act(StudentAction::Finish).unwrap();
    drop(rt);

    // Instruction, then for each question: it sounds, then its window records.
    let kinds: Vec<String> = phases
        .iter()
        .map(|(_, p)| match p {
            PhaseView::Instruction => "instruction".into(),
            PhaseView::Prep { .. } => "prep".into(),
            PhaseView::Question { part, .. } => format!("q{part}"),
            PhaseView::Recording { .. } => "rec".into(),
            PhaseView::Recorded => "recorded".into(),
            other => format!("{other:?}"),
        })
        .fold(Vec::new(), |mut acc, k| {
            if acc.last() != Some(&k) {
                acc.push(k);
            }
            acc
        });
    assert_eq!(
        kinds,
        [
            "instruction",
            "prep",
            "q1",
            "rec",
            "q2",
            "rec",
            "q3",
            "rec",
            "recorded"
        ],
        "{phases:?}"
    );
    let level = rms(&heard, aloud_from, aloud_to);
    assert!(
        level > 0.01,
        "the briefing not heard on vspeaker: rms {level:.4}"
    );
    // Each question's sound reached the speaker while its phase was shown.
    for (i, (at, p)) in phases.iter().enumerate() {
        if let PhaseView::Question { part, .. } = p {
            let until = phases.get(i + 1).map_or(*at, |n| n.0);
            let level = rms(&heard, *at, until);
            assert!(
                level > 0.01,
                "question {part} not heard on vspeaker: rms {level:.4}"
            );
        }
    }

    // Three recordings, one per question, each cut at its 5-second window
    // and holding speech.
    let store = vpr_store::Store::open(&vpr_store::training_path(&data)).unwrap();
    store.verify().unwrap();
    let s = &store.sessions().unwrap()[0];
    let recs = store.recordings(s.id).unwrap();
    let items: Vec<Option<String>> = recs.iter().map(|r| r.item.clone()).collect();
    assert_eq!(
        items,
        vec![
            Some("q1.1".into()),
            Some("q2.2".into()),
            Some("q3.3".into())
        ]
    );
    for r in &recs {
        assert_eq!(r.status, vpr_store::RecordingStatus::Complete);
        assert!(!r.level_flags.silent, "{:?} is silent", r.item);
        let info = vpr_audio::wav_info(&data.join(&r.file)).unwrap();
        assert!(
            (4700..=5300).contains(&info.duration_ms),
            "{:?} cut at its window: {} ms",
            r.item,
            info.duration_ms
        );
    }
}
