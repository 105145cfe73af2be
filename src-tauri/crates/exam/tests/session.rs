//! The session state machine, rule by rule, with a hand-moved clock.
#![allow(clippy::unwrap_used)]

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use serde_json::{json, Value};
use vpr_exam::{
    score_closed,
    session::{
        By, Checkpoint, CloseReason, Effect, EventKind, FileJournal, HeadsetStatus, ManualClock,
        MemoryJournal, PhaseView, ReasonCode, Screen, Session, SessionView, Stage, TaskTabState,
    },
    Answers, ExamError, Keys, Package,
};

type S = Session<ManualClock, MemoryJournal>;

const T0: i64 = 1_790_000_000_000;

fn packages_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures/packages")
}

fn en7() -> Arc<Package> {
    Arc::new(Package::load_dir(&packages_dir().join("en-7")).unwrap())
}

fn load_pkg(name: &str) -> Arc<Package> {
    Arc::new(Package::load_dir(&packages_dir().join(name)).unwrap())
}

fn edited(edit: impl FnOnce(&mut Value)) -> Arc<Package> {
    let mut v = serde_json::to_value(&*en7()).unwrap();
    edit(&mut v);
    Arc::new(Package::from_json(&serde_json::to_vec(&v).unwrap()).unwrap())
}

fn new_session(pkg: Arc<Package>) -> (S, ManualClock) {
    let clock = ManualClock::new(T0);
    let s = Session::new(pkg, 1, clock.clone(), MemoryJournal::default()).unwrap();
    (s, clock)
}

/// Code, confirmation, briefing, headset check, start.
fn started(pkg: Arc<Package>, adaptation: Option<&str>) -> (S, ManualClock) {
    let (mut s, clock) = new_session(pkg);
    s.enter_code("12345").unwrap();
    s.confirm_code(true).unwrap();
    s.set_adaptation(adaptation).unwrap();
    s.finish_briefing().unwrap();
    s.headset_checked(true).unwrap();
    s.start_work().unwrap();
    (s, clock)
}

fn wait(s: &mut S, clock: &ManualClock, ms: u64) -> Vec<Effect> {
    clock.advance(ms);
    s.tick().unwrap()
}

fn task_view(v: &SessionView) -> &vpr_exam::session::TaskScreen {
    match &v.screen {
        Screen::Task(t) => t,
        other => panic!("not a task screen: {other:?}"),
    }
}

fn phase(s: &S) -> PhaseView {
    task_view(&s.view()).phase
}

fn task_no(s: &S) -> u32 {
    task_view(&s.view()).number
}

fn events(s: &S) -> Vec<EventKind> {
    s.journal().events.iter().map(|e| e.kind.clone()).collect()
}

fn plays(effects: &[Effect]) -> Vec<u32> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::PlayTrack { play_no, .. } => Some(*play_no),
            _ => None,
        })
        .collect()
}

/// "Crash": drop the session, keep only what the journal committed; restart after `down_ms`.
fn crash_and_resume(s: S, clock: &ManualClock, down_ms: u64) -> (S, Vec<Effect>) {
    let pkg = s.package().clone();
    let journal = s.journal().clone();
    let cp: Checkpoint = journal.checkpoint.clone().unwrap();
    drop(s);
    clock.restart_after(down_ms);
    Session::resume(pkg, cp, clock.clone(), journal).unwrap()
}

#[test]
fn code_confirmation_briefing_and_headset_come_first() {
    let (mut s, _clock) = new_session(en7());
    assert_eq!(s.view().screen, Screen::CodeEntry);
    for bad in ["1234", "123456", "12a45", ""] {
        assert!(
            matches!(s.enter_code(bad), Err(ExamError::BadCode)),
            "{bad}"
        );
    }
    assert!(matches!(s.start_work(), Err(ExamError::NotNow(_))));
    s.enter_code(" 12345 ").unwrap();
    assert_eq!(
        s.view().screen,
        Screen::Confirm {
            code: "12345".into()
        }
    );
    s.confirm_code(false).unwrap();
    assert_eq!(s.view().screen, Screen::CodeEntry);
    s.enter_code("54321").unwrap();
    s.confirm_code(true).unwrap();
    assert!(
        matches!(s.view().screen, Screen::Briefing { ref paragraphs, reading_aloud: false } if paragraphs.len() == 4)
    );
    s.finish_briefing().unwrap();
    assert!(matches!(s.start_work(), Err(ExamError::HeadsetNotChecked)));
    s.headset_checked(false).unwrap();
    assert_eq!(
        s.view().screen,
        Screen::HeadsetCheck {
            status: HeadsetStatus::Failed
        }
    );
    assert!(matches!(s.start_work(), Err(ExamError::HeadsetNotChecked)));
    s.override_headset().unwrap();
    s.start_work().unwrap();
    assert_eq!(task_no(&s), 1);
    let ev = events(&s);
    assert!(ev.contains(&EventKind::HeadsetOverridden));
    assert!(ev.contains(&EventKind::CodeConfirmed {
        code: "54321".into(),
        variant: 1
    }));
    assert!(ev.contains(&EventKind::CodeRejectedByParticipant {
        code: "12345".into()
    }));
    // The adaptation cannot change once the work runs.
    assert!(matches!(
        s.set_adaptation(Some("extended_time")),
        Err(ExamError::NotNow(_))
    ));
}

#[test]
fn codes_are_checked_against_the_package_list() {
    let pkg = edited(|v| v["participant_codes"] = json!(["10001", "10002"]));
    let (mut s, _clock) = new_session(pkg);
    assert!(matches!(
        s.enter_code("12345"),
        Err(ExamError::UnknownCode(_))
    ));
    s.enter_code("10002").unwrap();
    assert_eq!(s.checkpoint().code.as_deref(), Some("10002"));
}

#[test]
fn listening_reads_first_then_plays_exactly_twice() {
    let (mut s, clock) = started(en7(), None);
    assert_eq!(phase(&s), PhaseView::ReadQuestions { left_s: 45 });
    assert!(wait(&mut s, &clock, 44_900).is_empty());
    let fx = wait(&mut s, &clock, 100);
    assert_eq!(
        fx,
        vec![Effect::PlayTrack {
            task: 1,
            track: "media/listening.wav".into(),
            play_no: 1,
            plays: 2
        }]
    );
    // The play was committed before the effect was handed out.
    assert_eq!(
        s.journal().checkpoint.as_ref().unwrap().tasks[0].plays_used,
        1
    );
    assert!(matches!(s.request_play(), Err(ExamError::AlreadyPlaying)));
    // Participants answer while listening.
    s.set_answer("1.1", "2").unwrap();
    assert!(s.track_finished(1).unwrap().is_empty());
    assert_eq!(
        phase(&s),
        PhaseView::PauseBetween {
            left_s: 10,
            next_play: 2
        }
    );
    assert!(matches!(s.next_task(), Err(ExamError::NotNow(_))));
    assert_eq!(plays(&wait(&mut s, &clock, 10_000)), vec![2]);
    s.track_finished(2).unwrap();
    assert_eq!(phase(&s), PhaseView::Answering);
    assert!(matches!(
        s.request_play(),
        Err(ExamError::PlaysExhausted(2))
    ));
    let granted = events(&s)
        .iter()
        .filter(|e| matches!(e, EventKind::PlayGranted { .. }))
        .count();
    assert_eq!(granted, 2);
    // A play that ends by itself is the track's doing, not the participant's.
    let ended: Vec<By> = events(&s)
        .iter()
        .filter_map(|e| match e {
            EventKind::PlayEnded { by, .. } => Some(*by),
            _ => None,
        })
        .collect();
    assert_eq!(ended, vec![By::Media, By::Media]);
    // Reading time can be cut short by the participant's own request, never extended.
    let (mut s, clock) = started(en7(), None);
    wait(&mut s, &clock, 5_000);
    assert_eq!(plays(&s.request_play().unwrap()), vec![1]);
}

#[test]
fn a_play_is_not_started_unless_its_count_is_persisted() {
    let (mut s, clock) = started(en7(), None);
    clock.advance(45_000);
    s.journal_mut().fail_next = true;
    let err = s.tick().unwrap_err();
    assert!(matches!(err, ExamError::Journal(_)));
    assert_eq!(
        vpr_error::Coded::severity(&err),
        vpr_error::Severity::Unrecoverable
    );
    assert_eq!(s.checkpoint().tasks[0].plays_used, 0);
    assert_eq!(
        phase(&s),
        PhaseView::Playing { play_no: 1, of: 2 },
        "view shows the due play"
    );
    // The next successful commit starts it, once.
    assert_eq!(plays(&s.tick().unwrap()), vec![1]);
    assert!(plays(&s.tick().unwrap()).is_empty());
}

#[test]
fn plays_stay_counted_across_restarts() {
    let (mut s, clock) = started(en7(), None);
    assert_eq!(plays(&wait(&mut s, &clock, 45_000)), vec![1]);
    wait(&mut s, &clock, 12_000);
    // Crash during play 1: it counts as played.
    let (mut s, fx) = crash_and_resume(s, &clock, 30_000);
    assert!(fx.is_empty(), "{fx:?}");
    assert!(events(&s).contains(&EventKind::Resumed {
        downtime_ms: 30_000
    }));
    assert_eq!(
        phase(&s),
        PhaseView::PauseBetween {
            left_s: 10,
            next_play: 2
        }
    );
    assert_eq!(plays(&wait(&mut s, &clock, 10_000)), vec![2]);
    wait(&mut s, &clock, 3_000);
    let (mut s, _) = crash_and_resume(s, &clock, 5_000);
    assert_eq!(phase(&s), PhaseView::Answering);
    assert!(matches!(
        s.request_play(),
        Err(ExamError::PlaysExhausted(2))
    ));
    assert_eq!(s.checkpoint().tasks[0].plays_used, 2);
}

#[test]
fn a_track_the_shell_never_reports_ends_after_its_length_and_grace() {
    let (mut s, clock) = started(en7(), None);
    // One big jump: read 45 s, play 35+5 s, pause 10 s, play again, and answering.
    let fx = wait(&mut s, &clock, 45_000 + 40_000 + 10_000 + 40_000);
    assert_eq!(plays(&fx), vec![1, 2]);
    assert_eq!(phase(&s), PhaseView::Answering);
}

fn to_task(s: &mut S, clock: &ManualClock, number: u32) {
    while task_no(s) < number {
        // A fixed-time task moves on by itself; any other is left by «Далее».
        let leave = matches!(phase(s), PhaseView::Answering | PhaseView::Recorded)
            && matches!(&s.view().screen, Screen::Task(t) if t.can_leave);
        if leave {
            s.next_task().unwrap();
        } else {
            wait(s, clock, 1_000);
        }
    }
}

#[test]
fn oral_answers_record_by_themselves_stop_at_the_limit_and_never_again() {
    let (mut s, clock) = started(en7(), None);
    to_task(&mut s, &clock, 2);
    assert_eq!(phase(&s), PhaseView::Prep { left_s: 90 });
    assert!(matches!(s.next_task(), Err(ExamError::NotNow(_))));
    assert!(wait(&mut s, &clock, 89_000).is_empty());
    let fx = wait(&mut s, &clock, 1_000);
    assert_eq!(
        fx,
        vec![Effect::StartRecording {
            task: 2,
            segment: 1,
            max_ms: 90_000,
            part: None,
            beep: false,
        }]
    );
    assert_eq!(phase(&s), PhaseView::Recording { left_s: 90 });
    let fx = wait(&mut s, &clock, 90_000);
    assert_eq!(
        fx,
        vec![Effect::StopRecording {
            task: 2,
            segment: 1
        }]
    );
    assert_eq!(phase(&s), PhaseView::Recorded);
    assert!(matches!(s.start_answer(), Err(ExamError::AlreadyRecorded)));
    assert!(events(&s).contains(&EventKind::RecordingStopped {
        task: 2,
        segment: 1,
        by: By::Timer
    }));

    // Monologue: choose a photo, start early, stop early; no second recording.
    s.next_task().unwrap();
    assert_eq!(phase(&s), PhaseView::Prep { left_s: 90 });
    assert!(matches!(s.choose_photo(4), Err(ExamError::UnknownPhoto(4))));
    s.choose_photo(1).unwrap();
    s.choose_photo(2).unwrap();
    wait(&mut s, &clock, 30_000);
    let fx = s.start_answer().unwrap();
    assert_eq!(
        fx,
        vec![Effect::StartRecording {
            task: 3,
            segment: 1,
            max_ms: 120_000,
            part: None,
            beep: false,
        }]
    );
    assert!(matches!(s.choose_photo(3), Err(ExamError::AlreadyRecorded)));
    wait(&mut s, &clock, 50_000);
    assert_eq!(
        s.stop_answer().unwrap(),
        vec![Effect::StopRecording {
            task: 3,
            segment: 1
        }]
    );
    assert!(matches!(s.start_answer(), Err(ExamError::AlreadyRecorded)));
    assert_eq!(task_view(&s.view()).photo, Some(2));
    s.next_task().unwrap();
    // Oral tasks are closed once left.
    assert!(matches!(s.open_task(2), Err(ExamError::NotNow(_))));
    let tabs = s.view().tasks;
    assert_eq!(tabs[1].state, TaskTabState::Closed);
    assert_eq!(tabs[3].state, TaskTabState::Current);
}

#[test]
fn a_whole_work_to_the_locked_screen_with_scores() {
    let pkg = en7();
    let dir = packages_dir().join("en-7");
    let keys = Keys::load_dir(&dir, &pkg).unwrap().unwrap();
    let (mut s, clock) = started(pkg.clone(), None);
    for (item, value) in [
        ("1.1", "2"),
        ("1.2", "1"),
        ("1.3", "3"),
        ("1.4", "1"),
        ("1.5", "1"),
    ] {
        s.set_answer(item, value).unwrap();
    }
    assert!(matches!(
        s.set_answer("1.1", "7"),
        Err(ExamError::UnknownItem(_))
    ));
    assert!(matches!(
        s.set_answer("5.1", "went"),
        Err(ExamError::UnknownItem(_))
    ));
    to_task(&mut s, &clock, 4);
    for (item, value) in [
        ("4.A", "3"),
        ("4.B", "5"),
        ("4.C", "1"),
        ("4.D", "4"),
        ("4.E", "6"),
    ] {
        s.set_answer(item, value).unwrap();
    }
    let n = s.journal().events.len();
    s.set_answer("4.E", "6").unwrap();
    assert_eq!(
        s.journal().events.len(),
        n,
        "an unchanged answer is not committed again"
    );
    s.next_task().unwrap();
    s.set_answer("5.1", "went").unwrap();
    s.set_answer("5.5", "will   stay").unwrap();
    assert!(matches!(
        s.set_answer("5.2", &"x".repeat(300)),
        Err(ExamError::AnswerTooLong)
    ));
    s.next_task().unwrap();
    s.set_answer("6.1", "Interesting").unwrap();
    s.next_task().unwrap();
    let Screen::Finish {
        unanswered,
        reopenable,
    } = s.view().screen
    else {
        panic!()
    };
    assert_eq!(reopenable, vec![4, 5, 6]);
    assert!(unanswered.contains(&"6.2".to_string()) && !unanswered.contains(&"1.1".to_string()));
    // Back to task 4 to correct an answer, then on to the end again.
    assert!(matches!(s.open_task(1), Err(ExamError::NotNow(_))));
    s.open_task(4).unwrap();
    s.set_answer("4.E", "2").unwrap();
    s.next_task().unwrap();
    assert_eq!(task_no(&s), 5);
    s.next_task().unwrap();
    s.next_task().unwrap();
    let fx = s.finish().unwrap();
    assert_eq!(
        fx,
        vec![Effect::Closed {
            reason: CloseReason::Completed
        }]
    );
    assert!(matches!(
        s.view().screen,
        Screen::Closed {
            reason: CloseReason::Completed,
            ..
        }
    ));
    assert!(matches!(
        s.set_answer("6.2", "teacher"),
        Err(ExamError::Closed)
    ));
    assert!(matches!(s.next_task(), Err(ExamError::Closed)));
    assert!(s.tick().unwrap().is_empty());

    let answers: Answers = s.checkpoint().answers.clone();
    let scores = score_closed(&pkg, &keys, 1, &answers).unwrap();
    let pts: Vec<Option<u32>> = scores.iter().map(|t| t.points).collect();
    assert_eq!(pts, vec![Some(4), None, None, Some(5), Some(2), Some(1)]);
    // The view never carries keys.
    let json = serde_json::to_string(&s.view()).unwrap();
    assert!(!json.contains("accepted"));
}

#[test]
fn reminders_at_15_and_5_minutes_then_time_up_stops_everything() {
    let (mut s, clock) = started(en7(), None);
    to_task(&mut s, &clock, 2);
    // Listening ran on its timers: 45 s reading, 2 × (35 + 5) s plays, 10 s pause.
    assert_eq!(s.view().work_left_s, Some(2700 - 135));
    wait(&mut s, &clock, 90_000); // recording of task 2 starts
    let used = s.checkpoint().work_used_ms;
    let fx = wait(&mut s, &clock, 2_700_000 - 900_000 - used);
    assert!(
        fx.contains(&Effect::Reminder { minutes_left: 15 }),
        "{fx:?}"
    );
    assert_eq!(s.view().reminder_minutes, Some(15));
    let fx = wait(&mut s, &clock, 600_000);
    assert_eq!(fx, vec![Effect::Reminder { minutes_left: 5 }]);
    // Start the monologue's recording and let the work time run out in the middle of it.
    s.next_task().unwrap();
    s.start_answer().unwrap();
    let fx = wait(&mut s, &clock, 300_000);
    assert_eq!(
        fx,
        vec![
            Effect::StopRecording {
                task: 3,
                segment: 1
            },
            Effect::Closed {
                reason: CloseReason::TimeUp
            }
        ]
    );
    assert_eq!(s.checkpoint().reminders_given, vec![900, 300]);
    assert_eq!(s.view().work_left_s, None);
}

#[test]
fn fixed_time_tasks_move_on_by_themselves_and_eye_breaks_stop_the_work_clock() {
    let pkg = edited(|v| {
        v["variants"][0]["tasks"][0]["fixed_s"] = json!(200);
        v["variants"][0]["tasks"][1]["fixed_s"] = json!(180);
        v["timing"]["eye_breaks"] = json!([{ "after_task": 2, "duration_s": 300 }]);
    });
    let (mut s, clock) = started(pkg, None);
    assert_eq!(task_view(&s.view()).task_left_s, Some(200));
    // Listening: both plays, then the fixed time runs out and task 2 opens by itself.
    let fx = wait(&mut s, &clock, 200_000);
    assert_eq!(plays(&fx), vec![1, 2]);
    assert_eq!(task_no(&s), 2);
    assert!(events(&s).contains(&EventKind::TaskLeft {
        task: 1,
        by: By::Timer
    }));
    assert_eq!(s.view().tasks[0].state, TaskTabState::Closed);
    // Reading aloud with a fixed time equal to its steps: prep, recording, then the break.
    let fx = wait(&mut s, &clock, 90_000);
    assert_eq!(
        fx,
        vec![Effect::StartRecording {
            task: 2,
            segment: 1,
            max_ms: 90_000,
            part: None,
            beep: false,
        }]
    );
    let fx = wait(&mut s, &clock, 90_000);
    assert_eq!(
        fx,
        vec![Effect::StopRecording {
            task: 2,
            segment: 1
        }]
    );
    assert_eq!(
        s.view().screen,
        Screen::EyeBreak {
            left_s: 300,
            after_task: 2
        }
    );
    let used = s.checkpoint().work_used_ms;
    assert_eq!(used, 380_000);
    wait(&mut s, &clock, 299_000);
    assert_eq!(
        s.checkpoint().work_used_ms,
        used,
        "breaks are not work time"
    );
    assert!(matches!(s.next_task(), Err(ExamError::NotNow(_))));
    wait(&mut s, &clock, 1_000);
    assert_eq!(task_no(&s), 3);
    assert!(events(&s).contains(&EventKind::EyeBreakEnded { after_task: 2 }));
    // A fixed task is not left by hand (no «Далее»): it moves on by itself
    // when its time is up, and is closed then (issue 15, item 8).
    let pkg = edited(|v| v["variants"][0]["tasks"][3]["fixed_s"] = json!(600));
    let (mut s, clock) = started(pkg, None);
    to_task(&mut s, &clock, 4);
    assert_eq!(task_view(&s.view()).task_left_s, Some(600));
    assert!(
        !task_view(&s.view()).can_leave,
        "no «Далее» on a fixed task"
    );
    assert!(matches!(s.next_task(), Err(ExamError::NotNow(_))));
    wait(&mut s, &clock, 600_000);
    assert_eq!(task_no(&s), 5, "moved on by itself");
    assert!(matches!(s.open_task(4), Err(ExamError::NotNow(_))));
}

#[test]
fn extended_time_scales_work_reading_and_preparation() {
    let (mut s, clock) = started(en7(), Some("extended_time"));
    assert_eq!(s.view().work_left_s, Some(4050));
    assert_eq!(
        s.view().adaptation.as_deref(),
        Some("Увеличенное время (ОВЗ)")
    );
    assert_eq!(phase(&s), PhaseView::ReadQuestions { left_s: 68 });
    assert!(plays(&wait(&mut s, &clock, 67_000)).is_empty());
    assert_eq!(plays(&wait(&mut s, &clock, 500)), vec![1]);
    to_task(&mut s, &clock, 2);
    assert_eq!(phase(&s), PhaseView::Prep { left_s: 135 });
    // Reminders still come at 15 and 5 minutes before the participant's own end.
    let used = s.checkpoint().work_used_ms;
    let fx = wait(&mut s, &clock, 4_050_000 - 900_000 - used);
    assert!(
        fx.contains(&Effect::Reminder { minutes_left: 15 }),
        "{fx:?}"
    );
}

#[test]
fn extra_minutes_add_to_the_work_time_only() {
    let pkg = edited(|v| {
        v["adaptations"][0]["time_percent"] = json!(100);
        v["adaptations"][0]["extra_s"] = json!(1200);
    });
    let (s, _clock) = started(pkg, Some("extended_time"));
    assert_eq!(s.view().work_left_s, Some(2700 + 1200));
    assert_eq!(phase(&s), PhaseView::ReadQuestions { left_s: 45 });
}

#[test]
fn the_hearing_impaired_version_has_no_listening() {
    let (s, _clock) = started(en7(), Some("no_listening"));
    assert_eq!(task_no(&s), 2);
    assert_eq!(phase(&s), PhaseView::Prep { left_s: 135 });
    let numbers: Vec<u32> = s.view().tasks.iter().map(|t| t.number).collect();
    assert_eq!(numbers, vec![2, 3, 4, 5, 6]);
    let (mut s, _clock) = new_session(en7());
    assert!(matches!(
        s.set_adaptation(Some("nope")),
        Err(ExamError::UnknownAdaptation(_))
    ));
}

#[test]
fn organizer_pause_is_not_charged_and_cuts_media_safely() {
    let (mut s, clock) = started(en7(), None);
    // Pause during a play: the play stops and stays counted.
    wait(&mut s, &clock, 45_000);
    wait(&mut s, &clock, 5_000);
    let fx = s.pause(ReasonCode::Sound).unwrap();
    assert_eq!(fx, vec![Effect::StopTrack { task: 1 }]);
    assert!(s.view().paused);
    assert!(matches!(
        s.set_answer("1.1", "1"),
        Err(ExamError::NotNow(_))
    ));
    assert!(matches!(
        s.pause(ReasonCode::Other),
        Err(ExamError::NotNow(_))
    ));
    let left = s.view().work_left_s;
    assert!(wait(&mut s, &clock, 600_000).is_empty());
    assert_eq!(s.view().work_left_s, left);
    s.resume_work().unwrap();
    assert_eq!(
        phase(&s),
        PhaseView::PauseBetween {
            left_s: 10,
            next_play: 2
        }
    );
    assert_eq!(plays(&wait(&mut s, &clock, 10_000)), vec![2]);
    s.track_finished(2).unwrap();
    assert_eq!(s.checkpoint().tasks[0].plays_used, 2);

    // Pause during a recording: it stops, and continues for the time it had left.
    to_task(&mut s, &clock, 2);
    wait(&mut s, &clock, 90_000);
    wait(&mut s, &clock, 30_000);
    assert_eq!(
        s.pause(ReasonCode::Headset).unwrap(),
        vec![Effect::StopRecording {
            task: 2,
            segment: 1
        }]
    );
    wait(&mut s, &clock, 120_000);
    assert_eq!(
        s.resume_work().unwrap(),
        vec![Effect::StartRecording {
            task: 2,
            segment: 2,
            max_ms: 60_000,
            part: None,
            beep: false,
        }]
    );
    let fx = wait(&mut s, &clock, 60_000);
    assert_eq!(
        fx,
        vec![Effect::StopRecording {
            task: 2,
            segment: 2
        }]
    );
    assert!(events(&s).contains(&EventKind::Paused {
        code: ReasonCode::Headset
    }));
}

#[test]
fn technical_failure_and_early_end_close_the_session() {
    let (mut s, clock) = started(en7(), None);
    to_task(&mut s, &clock, 2);
    wait(&mut s, &clock, 95_000);
    let fx = s.technical_failure(ReasonCode::Headset).unwrap();
    let reason = CloseReason::TechnicalFailure {
        code: ReasonCode::Headset,
    };
    assert_eq!(
        fx,
        vec![
            Effect::StopRecording {
                task: 2,
                segment: 1
            },
            Effect::Closed {
                reason: reason.clone()
            }
        ]
    );
    match s.view().screen {
        Screen::Closed { reason: r, message } => {
            assert_eq!(r, reason);
            assert!(message.contains("технического сбоя"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        s.technical_failure(ReasonCode::Other),
        Err(ExamError::Closed)
    ));
    // A technical failure can also be recorded before the work starts.
    let (mut s, _clock) = new_session(en7());
    s.enter_code("12345").unwrap();
    s.end_early().unwrap();
    assert_eq!(
        s.checkpoint().stage,
        Stage::Closed {
            reason: CloseReason::EndedEarly
        }
    );
}

#[test]
fn a_restart_resumes_at_the_same_step_with_the_same_time_left() {
    let (mut s, clock) = started(en7(), None);
    to_task(&mut s, &clock, 2);
    // Ticks every 250 ms, as the shell does; crash 40.6 s into the preparation.
    for _ in 0..162 {
        wait(&mut s, &clock, 250);
    }
    clock.advance(100);
    let before = s.view();
    let (s2, fx) = crash_and_resume(s, &clock, 15 * 60 * 1000);
    assert!(fx.is_empty());
    let after = s2.view();
    let (PhaseView::Prep { left_s: b }, PhaseView::Prep { left_s: a }) =
        (task_view(&before).phase, task_view(&after).phase)
    else {
        panic!()
    };
    assert!(a >= b && a - b <= 2, "prep left {b} s before, {a} s after");
    let (wb, wa) = (before.work_left_s.unwrap(), after.work_left_s.unwrap());
    assert!(
        wa >= wb && wa - wb <= 2,
        "work left {wb} s before, {wa} s after"
    );
    // Downtime counts from the last commit (at most a second before the crash).
    let down = events(&s2)
        .iter()
        .find_map(|e| match e {
            EventKind::Resumed { downtime_ms } => Some(*downtime_ms),
            _ => None,
        })
        .unwrap();
    assert!(
        (15 * 60 * 1000 + 100..=15 * 60 * 1000 + 1_100).contains(&down),
        "{down}"
    );

    // Crash during a recording: it continues in a new segment for the time left.
    let mut s = s2;
    wait(&mut s, &clock, 50_000);
    wait(&mut s, &clock, 30_000);
    let (mut s, fx) = crash_and_resume(s, &clock, 60_000);
    assert_eq!(
        fx,
        vec![Effect::StartRecording {
            task: 2,
            segment: 2,
            max_ms: 60_000,
            part: None,
            beep: false,
        }]
    );
    let fx = wait(&mut s, &clock, 60_000);
    assert_eq!(
        fx,
        vec![Effect::StopRecording {
            task: 2,
            segment: 2
        }]
    );
    // A paused session stays paused after a restart.
    s.pause(ReasonCode::Computer).unwrap();
    let (s, fx) = crash_and_resume(s, &clock, 1_000);
    assert!(fx.is_empty());
    assert!(s.view().paused);
    // A checkpoint from another package is refused.
    let cp = s.checkpoint().clone();
    let other = edited(|v| v["id"] = json!("other"));
    let r = Session::resume(other, cp, ManualClock::new(T0), MemoryJournal::default());
    assert!(matches!(r, Err(ExamError::BadCheckpoint(_))));
}

#[test]
fn the_file_journal_survives_a_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let journal = FileJournal::open(tmp.path()).unwrap();
    let mut s = Session::new(en7(), 1, clock.clone(), journal).unwrap();
    s.enter_code("12345").unwrap();
    s.confirm_code(true).unwrap();
    s.finish_briefing().unwrap();
    s.headset_checked(true).unwrap();
    s.start_work().unwrap();
    clock.advance(45_000);
    assert_eq!(plays(&s.tick().unwrap()), vec![1]);
    drop(s);

    let journal = FileJournal::open(tmp.path()).unwrap();
    let cp = journal.load().unwrap().unwrap();
    assert_eq!(cp.tasks[0].plays_used, 1);
    clock.restart_after(2_000);
    let (s, _) = Session::resume(en7(), cp, clock.clone(), journal).unwrap();
    assert_eq!(s.view().screen.clone(), s.view().screen);
    let logged = s.journal().events().unwrap();
    assert!(logged
        .iter()
        .any(|e| e.kind == EventKind::Resumed { downtime_ms: 2_000 }));
    // The play sounding at the crash counts as played.
    assert!(matches!(
        logged.last().unwrap().kind,
        EventKind::PlayEnded { play_no: 1, .. }
    ));
    // Each event's name is the tag of its JSON form.
    for e in &logged {
        let v = serde_json::to_value(&e.kind).unwrap();
        assert_eq!(v["event"], e.kind.name());
    }
    let seqs: Vec<u64> = logged.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>());
}

#[test]
fn grade_11_runs_on_fixed_times_with_two_eye_breaks() {
    let (mut s, clock) = started(load_pkg("fixture-11-timing"), None);
    assert_eq!(s.view().work_left_s, Some(3900));
    assert_eq!(task_view(&s.view()).task_left_s, Some(300));
    s.set_answer("1.1", "B").unwrap();
    let fx = wait(&mut s, &clock, 300_000);
    assert_eq!(plays(&fx), vec![1, 2]);
    assert_eq!(task_no(&s), 2);
    s.set_answer("2.1", "B").unwrap();
    wait(&mut s, &clock, 600_000);
    s.next_task().unwrap();
    assert_eq!(
        s.view().screen,
        Screen::EyeBreak {
            left_s: 300,
            after_task: 2
        }
    );
    let used = s.checkpoint().work_used_ms;
    wait(&mut s, &clock, 300_000);
    assert_eq!(task_no(&s), 3);
    assert_eq!(s.checkpoint().work_used_ms, used);
    s.set_answer("3.2", "was built").unwrap();
    s.next_task().unwrap();
    s.next_task().unwrap();
    assert!(matches!(
        s.view().screen,
        Screen::EyeBreak { after_task: 4, .. }
    ));
    wait(&mut s, &clock, 300_000);
    assert_eq!(task_no(&s), 5);
    assert_eq!(task_view(&s.view()).task_left_s, Some(180));
    // Task 5 and 6 run entirely on their timers, then the finish screen.
    let fx = wait(&mut s, &clock, 180_000);
    assert_eq!(
        fx,
        vec![
            Effect::StartRecording {
                task: 5,
                segment: 1,
                max_ms: 90_000,
                part: None,
                beep: false,
            },
            Effect::StopRecording {
                task: 5,
                segment: 1
            }
        ]
    );
    assert_eq!(task_no(&s), 6);
    s.choose_photo(3).unwrap();
    let fx = wait(&mut s, &clock, 210_000);
    assert_eq!(
        fx,
        vec![
            Effect::StartRecording {
                task: 6,
                segment: 1,
                max_ms: 120_000,
                part: None,
                beep: false,
            },
            Effect::StopRecording {
                task: 6,
                segment: 1
            }
        ]
    );
    let Screen::Finish { reopenable, .. } = s.view().screen else {
        panic!("{:?}", s.view().screen)
    };
    assert_eq!(reopenable, vec![2, 3, 4]);
    s.finish().unwrap();
    assert!(s.is_closed());
    for e in &s.journal().events {
        assert_eq!(
            serde_json::to_value(&e.kind).unwrap()["event"],
            e.kind.name()
        );
    }
    // Work time: 300 + 600 + 180 + 210 s of tasks; the breaks are not charged.
    assert_eq!(s.checkpoint().work_used_ms, 1_290_000);
}

#[test]
fn the_training_package_takes_under_three_minutes() {
    let (mut s, clock) = started(load_pkg("training"), None);
    let mut seconds = 0;
    while !matches!(s.view().screen, Screen::Finish { .. }) {
        match phase(&s) {
            PhaseView::Answering | PhaseView::Recorded => {
                s.next_task().unwrap();
            }
            _ => {
                wait(&mut s, &clock, 1_000);
                seconds += 1;
            }
        }
        assert!(seconds <= 180, "training still running after 3 minutes");
    }
    assert!(seconds >= 60, "{seconds}");
    s.finish().unwrap();
    assert!(matches!(
        s.view().screen,
        Screen::Closed {
            reason: CloseReason::Completed,
            ..
        }
    ));
}

/// Suspending the station (power key, lid) does not stop the work clock: the
/// sleep is charged, logged as an event and handed to the organizer.
#[test]
fn a_suspend_does_not_stop_the_work_clock() {
    let (mut s, clock) = started(en7(), None);
    assert_eq!(s.view().work_left_s, Some(2700));
    wait(&mut s, &clock, 1_000);
    // Five minutes asleep: boottime and the wall clock move, the awake clock does not.
    clock.suspend(300_000);
    assert_eq!(s.view().work_left_s, Some(2700 - 301), "shown at once");
    let fx = s.tick().unwrap();
    let gap = Effect::ClockGap {
        gap_ms: 300_000,
        slept_ms: 300_000,
    };
    assert!(fx.contains(&gap), "{fx:?}");
    let msg = gap.alert_ru().unwrap();
    assert!(msg.contains("5 мин 0 с"), "{msg}");
    assert_eq!(s.view().work_left_s, Some(2700 - 301));
    assert_eq!(s.checkpoint().work_used_ms, 301_000);
    let logged: Vec<_> = events(&s)
        .into_iter()
        .filter(|e| matches!(e, EventKind::ClockGap { .. }))
        .collect();
    assert_eq!(
        logged,
        vec![EventKind::ClockGap {
            gap_ms: 300_000,
            slept_ms: 300_000
        }]
    );
    // Ordinary time (and short hiccups) raise nothing.
    wait(&mut s, &clock, 60_000);
    clock.suspend(1_500);
    let fx = s.tick().unwrap();
    assert!(!fx.iter().any(|e| matches!(e, Effect::ClockGap { .. })));
    assert_eq!(s.checkpoint().work_used_ms, 362_500);
}

/// A long sleep runs the work out: the work closes on time, not later.
#[test]
fn sleeping_past_the_end_closes_the_work() {
    let (mut s, clock) = started(en7(), None);
    clock.suspend(2_800_000);
    let fx = s.tick().unwrap();
    assert!(fx.iter().any(|e| matches!(e, Effect::ClockGap { .. })));
    assert!(
        fx.iter().any(|e| matches!(e, Effect::Closed { .. })),
        "{fx:?}"
    );
    assert!(s.is_closed());
}

/// A checkpoint written before reason codes (a free-text note) still
/// resumes; the note is gone from what the session holds.
#[test]
fn an_old_technical_failure_note_reads_as_a_code_and_is_dropped() {
    let old = json!({"reason": "technical_failure", "note": "Иванов Пётр: гарнитура"});
    let reason: CloseReason = serde_json::from_value(old).unwrap();
    assert_eq!(
        reason,
        CloseReason::TechnicalFailure {
            code: ReasonCode::Other
        }
    );
    let text = serde_json::to_string(&reason).unwrap();
    assert!(!text.contains("Иванов"), "{text}");
    let paused: EventKind =
        serde_json::from_value(json!({"event": "paused", "reason": "Иванов"})).unwrap();
    assert_eq!(
        paused,
        EventKind::Paused {
            code: ReasonCode::Other
        }
    );
    assert_eq!(ReasonCode::ALL.len(), 7);
    // The closed screen's title says «Работа завершена»: no message says it again.
    for reason in [
        CloseReason::Completed,
        CloseReason::TimeUp,
        CloseReason::EndedEarly,
        CloseReason::TechnicalFailure {
            code: ReasonCode::Power,
        },
    ] {
        assert!(
            !reason.message_ru().contains("Работа завершена"),
            "{reason:?}"
        );
    }
    for c in ReasonCode::ALL {
        assert_eq!(serde_json::to_value(c).unwrap(), json!(c.as_str()));
        assert!(!c.label_ru().is_empty());
    }
}
