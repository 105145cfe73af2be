//! The ОГЭ and ЕГЭ oral formats and the written answer, on the session state
//! machine with a hand-moved clock: interview questions heard once, each
//! followed by its own recorded answer window; prompts answered one by one;
//! instructions read aloud; a long typed answer with its word count; gaps
//! filled by choosing; the critical criterion.
#![allow(clippy::unwrap_used)]

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use serde_json::{json, Value};
use vpr_exam::{
    session::{
        By, Checkpoint, CloseReason, Effect, EventKind, ManualClock, MemoryJournal, PhaseView,
        Screen, Session, SessionView, Stage, TaskScreen,
    },
    task_score_from_criteria, validate, word_count, Keys, Package, TaskContent, Track,
};

type S = Session<ManualClock, MemoryJournal>;

const T0: i64 = 1_790_000_000_000;

fn packages_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures/packages")
}

fn load(name: &str) -> Arc<Package> {
    Arc::new(Package::load_dir(&packages_dir().join(name)).unwrap())
}

fn keys(name: &str) -> Keys {
    let dir = packages_dir().join(name);
    Keys::load_dir(&dir, &Package::load_dir(&dir).unwrap())
        .unwrap()
        .unwrap()
}

fn started(pkg: Arc<Package>) -> (S, ManualClock, Vec<Effect>) {
    let clock = ManualClock::new(T0);
    let mut s = Session::new(pkg, 1, clock.clone(), MemoryJournal::default()).unwrap();
    s.enter_code("12345").unwrap();
    s.confirm_code(true).unwrap();
    s.finish_briefing().unwrap();
    s.headset_checked(true).unwrap();
    let effects = s.start_work().unwrap();
    (s, clock, effects)
}

fn wait(s: &mut S, clock: &ManualClock, ms: u64) -> Vec<Effect> {
    clock.advance(ms);
    s.tick().unwrap()
}

fn task(v: &SessionView) -> &TaskScreen {
    match &v.screen {
        Screen::Task(t) => t,
        other => panic!("not a task screen: {other:?}"),
    }
}

fn crash_and_resume(s: S, clock: &ManualClock, down_ms: u64) -> (S, Vec<Effect>) {
    let pkg = s.package().clone();
    let journal = s.journal().clone();
    let cp: Checkpoint = journal.checkpoint.clone().unwrap();
    drop(s);
    clock.restart_after(down_ms);
    Session::resume(pkg, cp, clock.clone(), journal).unwrap()
}

/// (task, segment, max_ms, part, beep) of every recording started.
fn recordings(effects: &[Effect]) -> Vec<(u32, u32, u32, Option<u32>, bool)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::StartRecording {
                task,
                segment,
                max_ms,
                part,
                beep,
            } => Some((*task, *segment, *max_ms, *part, *beep)),
            _ => None,
        })
        .collect()
}

fn prompts(effects: &[Effect]) -> Vec<(u32, String, Option<u32>)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::PlayPrompt { task, track, part } => Some((*task, track.clone(), *part)),
            _ => None,
        })
        .collect()
}

#[test]
fn the_ege_oral_demo_runs_to_the_end_on_its_real_timings() {
    let pkg = load("ege-en-oral");
    let total: u32 = pkg.variants[0].tasks.iter().map(|t| t.max_score).sum();
    assert_eq!(total, 20, "ЕГЭ oral part: 20 points");
    assert_eq!(pkg.timing.total_s, 17 * 60, "17 minutes");
    let keys = keys("ege-en-oral");
    assert!(validate::check_keys(&pkg, &keys).is_empty());
    let (mut s, clock, _) = started(pkg.clone());
    let mut all = Vec::new();

    // Task 1: 1.5 min to read silently, then 1.5 min read aloud.
    assert_eq!(task(&s.view()).phase, PhaseView::Prep { left_s: 90 });
    all.extend(wait(&mut s, &clock, 90_000));
    assert_eq!(recordings(&all), vec![(1, 1, 90_000, None, false)]);
    all.extend(wait(&mut s, &clock, 90_000));
    // The fixed time (180 s) moves on by itself.
    assert_eq!(task(&s.view()).number, 2);

    // Task 2: 1.5 min preparation, then four answer windows of 20 s, each recorded apart.
    let v = s.view();
    let t = task(&v);
    assert_eq!((t.phase, t.parts), (PhaseView::Prep { left_s: 90 }, 4));
    all.clear();
    all.extend(wait(&mut s, &clock, 90_000));
    for k in 1..=4u32 {
        assert_eq!(task(&s.view()).part, k);
        all.extend(wait(&mut s, &clock, 20_000));
    }
    assert_eq!(
        recordings(&all),
        (1..=4)
            .map(|k| (2, k, 20_000, Some(k), true))
            .collect::<Vec<_>>()
    );
    // 90 + 4×20 = 170 s: the task's fixed time, so task 3 opens.
    assert_eq!(task(&s.view()).number, 3);

    // Task 3: the instruction is read aloud once by itself, then five questions,
    // each heard once and followed by a signal and 40 s to answer.
    let v = s.view();
    assert_eq!(task(&v).phase, PhaseView::Instruction);
    let TaskContent::Interview(i) = &task(&v).content else {
        panic!("task 3 is an interview");
    };
    assert!(
        i.questions.iter().all(|q| q.text.is_none()),
        "the questions' text never reaches the station's screen"
    );
    all.clear();
    clock.advance(16_000);
    all.extend(s.prompt_finished(None).unwrap());
    for k in 1..=5u32 {
        assert_eq!(
            task(&s.view()).phase,
            PhaseView::Question { part: k, of: 5 }
        );
        // A report for another question changes nothing.
        assert!(s.prompt_finished(Some(k + 1)).unwrap().is_empty());
        clock.advance(5_000);
        all.extend(s.prompt_finished(Some(k)).unwrap());
        assert!(matches!(
            task(&s.view()).phase,
            PhaseView::Recording { left_s: 40 }
        ));
        all.extend(wait(&mut s, &clock, 40_000));
    }
    assert_eq!(
        prompts(&all)
            .iter()
            .map(|(_, track, part)| (track.clone(), *part))
            .collect::<Vec<_>>(),
        (1..=5)
            .map(|k| (format!("media/interview-q{k}.wav"), Some(k)))
            .collect::<Vec<_>>(),
        "each question sounds exactly once"
    );
    assert_eq!(
        recordings(&all),
        (1..=5)
            .map(|k| (3, k, 40_000, Some(k), true))
            .collect::<Vec<_>>()
    );
    let v = s.view();
    assert_eq!(task(&v).phase, PhaseView::Recorded);
    assert!(
        task(&v).can_leave,
        "the interview has no fixed time: «Далее»"
    );
    assert!(s.request_play().is_err(), "nothing is replayed");
    s.next_task().unwrap();

    // Task 4: two photos, nothing chosen; 2.5 min preparation, up to 3 min.
    let v = s.view();
    assert_eq!(task(&v).phase, PhaseView::Prep { left_s: 150 });
    assert!(s.choose_photo(1).is_err(), "both photos are spoken about");
    all.clear();
    all.extend(wait(&mut s, &clock, 150_000));
    all.extend(wait(&mut s, &clock, 180_000));
    assert_eq!(recordings(&all), vec![(4, 1, 180_000, None, false)]);
    assert!(matches!(s.view().screen, Screen::Finish { .. }));
    s.finish().unwrap();
    assert_eq!(
        s.checkpoint().stage,
        Stage::Closed {
            reason: CloseReason::Completed
        }
    );
    // 180 + 170 + (16 + 5×45) + 330 = 921 s of the 1020.
    assert_eq!(s.checkpoint().work_used_ms, 921_000);
}

fn briefing_view(s: &S) -> (usize, bool) {
    match s.view().screen {
        Screen::Briefing {
            paragraphs,
            reading_aloud,
        } => (paragraphs.len(), reading_aloud),
        other => panic!("not the briefing: {other:?}"),
    }
}

#[test]
fn the_briefing_read_aloud_plays_once_by_itself() {
    let mut pkg = (*load("ege-en-oral")).clone();
    pkg.briefing_track = Some(Track {
        file: "media/briefing.wav".into(),
        duration_s: 20,
    });
    let pkg = Arc::new(pkg);
    let no_track = {
        let mut p = (*pkg).clone();
        p.briefing_track = None;
        p
    };
    assert!(validate::check_package(&pkg).is_empty());
    let mut bad = (*pkg).clone();
    bad.briefing_track = Some(Track {
        file: String::new(),
        duration_s: 0,
    });
    let problems = validate::check_package(&bad);
    assert!(
        problems
            .iter()
            .any(|p| p.path.starts_with("briefing_track")),
        "{problems:?}"
    );

    // It plays as the briefing opens, with no controls, and ends by itself.
    let clock = ManualClock::new(T0);
    let mut s = Session::new(pkg.clone(), 1, clock.clone(), MemoryJournal::default()).unwrap();
    s.enter_code("12345").unwrap();
    let opened = s.confirm_code(true).unwrap();
    assert_eq!(
        prompts(&opened),
        vec![(0, "media/briefing.wav".into(), None)]
    );
    assert!(briefing_view(&s).1);
    clock.advance(20_000);
    assert!(s.prompt_finished(None).unwrap().is_empty());
    assert!(!briefing_view(&s).1);
    let done = s.finish_briefing().unwrap();
    assert!(
        !done.iter().any(|e| matches!(e, Effect::StopTrack { .. })),
        "nothing to stop: {done:?}"
    );
    let journal = s.journal().events.clone();
    let ended: Vec<&EventKind> = journal
        .iter()
        .map(|e| &e.kind)
        .filter(|k| {
            matches!(
                k,
                EventKind::PromptPlayed { task: 0, .. } | EventKind::PromptEnded { task: 0, .. }
            )
        })
        .collect();
    assert_eq!(ended.len(), 2, "{ended:?}");
    assert!(matches!(
        ended[1],
        EventKind::PromptEnded { by: By::Media, .. }
    ));

    // Moving on while it sounds stops it; a restart while it sounds does not replay it.
    let clock = ManualClock::new(T0);
    let mut s = Session::new(pkg.clone(), 1, clock.clone(), MemoryJournal::default()).unwrap();
    s.enter_code("12345").unwrap();
    s.confirm_code(true).unwrap();
    clock.advance(3_000);
    let (mut s, effects) = crash_and_resume(s, &clock, 5_000);
    assert!(prompts(&effects).is_empty(), "played again: {effects:?}");
    assert_eq!(briefing_view(&s), (pkg.briefing.len(), false));
    assert!(s.finish_briefing().unwrap().is_empty());

    let clock = ManualClock::new(T0);
    let mut s = Session::new(pkg, 1, clock.clone(), MemoryJournal::default()).unwrap();
    s.enter_code("12345").unwrap();
    s.confirm_code(true).unwrap();
    clock.advance(3_000);
    let cut = s.finish_briefing().unwrap();
    assert!(
        cut.iter()
            .any(|e| matches!(e, Effect::StopTrack { task: 0 })),
        "{cut:?}"
    );

    // Without a track the briefing is silent.
    let clock = ManualClock::new(T0);
    let mut s = Session::new(Arc::new(no_track), 1, clock, MemoryJournal::default()).unwrap();
    s.enter_code("12345").unwrap();
    assert!(prompts(&s.confirm_code(true).unwrap()).is_empty());
    assert!(!briefing_view(&s).1);
}

fn to_interview(s: &mut S, clock: &ManualClock) {
    wait(s, clock, 180_000);
    wait(s, clock, 170_000);
    assert_eq!(task(&s.view()).number, 3);
    clock.advance(1_000);
    s.prompt_finished(None).unwrap();
}

#[test]
fn a_question_sounding_at_a_crash_counts_as_heard_and_its_window_opens_in_full() {
    let (mut s, clock, _) = started(load("ege-en-oral"));
    to_interview(&mut s, &clock);
    assert_eq!(
        task(&s.view()).phase,
        PhaseView::Question { part: 1, of: 5 }
    );
    clock.advance(2_000);
    s.tick().unwrap();
    let (s, effects) = crash_and_resume(s, &clock, 30_000);
    assert!(
        prompts(&effects).is_empty(),
        "the question is not played again"
    );
    assert_eq!(recordings(&effects), vec![(3, 1, 40_000, Some(1), true)]);
    assert_eq!(task(&s.view()).part, 1);

    // A crash inside the answer window continues it for the time it had left,
    // as the same question's answer.
    let mut s = s;
    wait(&mut s, &clock, 15_000);
    let (s, effects) = crash_and_resume(s, &clock, 5_000);
    assert_eq!(recordings(&effects), vec![(3, 2, 25_000, Some(1), false)]);
    let mut s = s;
    let next = wait(&mut s, &clock, 25_000);
    assert_eq!(
        prompts(&next),
        vec![(3, "media/interview-q2.wav".into(), Some(2))]
    );
}

#[test]
fn an_organizer_pause_during_a_question_opens_its_answer_window_after_the_pause() {
    let (mut s, clock, _) = started(load("ege-en-oral"));
    to_interview(&mut s, &clock);
    clock.advance(3_000);
    s.prompt_finished(Some(1)).unwrap();
    wait(&mut s, &clock, 40_000);
    clock.advance(2_000);
    s.tick().unwrap();
    assert_eq!(
        task(&s.view()).phase,
        PhaseView::Question { part: 2, of: 5 }
    );
    let paused = s.pause(vpr_exam::session::ReasonCode::Headset).unwrap();
    assert!(paused
        .iter()
        .any(|e| matches!(e, Effect::StopTrack { task: 3 })));
    wait(&mut s, &clock, 60_000);
    let back = s.resume_work().unwrap();
    assert!(prompts(&back).is_empty(), "question 2 is not played twice");
    let r = recordings(&back);
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].0, r[0].2, r[0].3), (3, 40_000, Some(2)));
    let ended: Vec<By> = s
        .journal()
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PromptEnded {
                part: Some(2), by, ..
            } => Some(*by),
            _ => None,
        })
        .collect();
    assert_eq!(ended, vec![By::Organizer]);
}

#[test]
fn the_oge_dialogue_has_six_questions_with_forty_seconds_each() {
    let pkg = load("oge-en-oral");
    let TaskContent::Interview(dialogue) = pkg.variants[0].tasks[1].content.clone() else {
        panic!("task 2 is the dialogue");
    };
    let keys = keys("oge-en-oral");
    assert!(validate::check_keys(&pkg, &keys).is_empty());
    let (mut s, clock, _) = started(pkg);
    wait(&mut s, &clock, 210_000);
    let v = s.view();
    assert_eq!(task(&v).number, 2);
    assert_eq!(task(&v).phase, PhaseView::Prep { left_s: 20 });
    let mut all = wait(&mut s, &clock, 20_000);
    for k in 1..=6u32 {
        assert_eq!(
            task(&s.view()).phase,
            PhaseView::Question { part: k, of: 6 }
        );
        // The shell never reports the end: the question's length and the grace end it.
        let q = &dialogue.questions[k as usize - 1];
        let heard = u64::from(q.duration_s) * 1000 + vpr_exam::session::PLAY_GRACE_MS;
        all.extend(wait(&mut s, &clock, heard));
        all.extend(wait(&mut s, &clock, 40_000));
    }
    assert_eq!(prompts(&all).len(), 6);
    let r = recordings(&all);
    assert_eq!(r.len(), 6);
    assert!(r.iter().all(|x| x.2 == 40_000 && x.4));
    assert_eq!(task(&s.view()).phase, PhaseView::Recorded);
}

fn written_package() -> Arc<Package> {
    let mut v: Value = serde_json::to_value(&*load("ege-en-oral")).unwrap();
    let tasks = v.pointer_mut("/variants/0/tasks").unwrap();
    *tasks = json!([
        {"number": 1, "title": "Задание 1. Письмо", "instruction": "Write a letter.", "max_score": 6,
         "content": {"kind": "written", "id": "1", "stimulus": "Dear Alex, … What do you do in your free time?",
                     "words_min": 100, "words_max": 140}},
        {"number": 2, "title": "Задание 2. Грамматика", "instruction": "Choose the right form.", "max_score": 2,
         "content": {"kind": "grammar", "items": [
            {"id": "2.1", "prompt": "She ___ to school every day.",
             "options": [{"label": "1", "text": "go"}, {"label": "2", "text": "goes"}, {"label": "3", "text": "going"}]},
            {"id": "2.2", "prompt": "They ___ football yesterday."}]}}
    ]);
    *v.pointer_mut("/conversion").unwrap() = json!([{"min": 0, "max": 8, "mark": 5}]);
    *v.pointer_mut("/timing/reminders_s").unwrap() = json!([]);
    Arc::new(Package::from_json(&serde_json::to_vec(&v).unwrap()).unwrap())
}

#[test]
fn a_written_answer_counts_its_words_keeps_every_character_and_survives_a_crash() {
    assert_eq!(
        word_count("Dear Alex,\nThanks for your letter! I don't know... well-known 2 things"),
        12
    );
    assert_eq!(word_count("  — — "), 0);
    let (mut s, clock, _) = started(written_package());
    let v = s.view();
    assert_eq!(task(&v).words, Some(0));
    let letter = "Dear Alex, thank you for your letter. ".repeat(20) + "Ünïcode ✓ ёлка";
    s.set_answer("1", &letter).unwrap();
    assert_eq!(task(&s.view()).words, Some(20 * 7 + 2));
    clock.advance(500);
    let (s, _) = crash_and_resume(s, &clock, 10_000);
    assert_eq!(
        s.checkpoint().answers.get("1"),
        Some(&letter),
        "every character"
    );
    assert_eq!(task(&s.view()).answers.get("1"), Some(&letter));
    let mut s = s;
    let too_long = "a".repeat(vpr_exam::MAX_WRITTEN_CHARS + 1);
    assert!(s.set_answer("1", &too_long).is_err());
    assert!(s
        .set_answer("1", &"a".repeat(vpr_exam::MAX_WRITTEN_CHARS))
        .is_ok());
    // The written task may be reopened like other untimed written tasks.
    s.next_task().unwrap();
    s.open_task(1).unwrap();
}

#[test]
fn a_gap_with_choices_takes_only_its_options() {
    let (mut s, _clock, _) = started(written_package());
    s.next_task().unwrap();
    assert!(
        s.set_answer("2.1", "goes").is_err(),
        "the label, not the text"
    );
    s.set_answer("2.1", "2").unwrap();
    s.set_answer("2.2", "played").unwrap();
}

#[test]
fn a_critical_criterion_at_zero_zeroes_the_task() {
    let keys = keys("ege-en-oral");
    let criteria = &keys.task(1, 4).unwrap().criteria;
    assert!(criteria[0].critical);
    assert_eq!(criteria[0].levels.len(), 5, "К1: a descriptor for 0–4");
    assert_eq!(task_score_from_criteria(criteria, &[4, 3, 3]), 10);
    assert_eq!(task_score_from_criteria(criteria, &[0, 3, 3]), 0);
    assert_eq!(task_score_from_criteria(criteria, &[2, 0, 1]), 3);
}

#[test]
fn new_kinds_name_their_bad_fields() {
    let mut v: Value = serde_json::to_value(&*load("ege-en-oral")).unwrap();
    *v.pointer_mut("/variants/0/tasks/2/content/answer_s")
        .unwrap() = json!(1);
    *v.pointer_mut("/variants/0/tasks/2/content/questions/0/track")
        .unwrap() = json!("../outside.wav");
    *v.pointer_mut("/variants/0/tasks/1/content/prompts")
        .unwrap() = json!([]);
    let problems: Vec<String> = match Package::from_json(&serde_json::to_vec(&v).unwrap()) {
        Err(vpr_exam::ExamError::Invalid { problems, .. }) => {
            problems.into_iter().map(|p| p.path).collect()
        }
        other => panic!("expected problems, got {other:?}"),
    };
    for want in [
        "variants[0].tasks[2].content.answer_s",
        "variants[0].tasks[2].content.questions[0].track",
        "variants[0].tasks[1].content.prompts",
    ] {
        assert!(problems.iter().any(|p| p == want), "{want} in {problems:?}");
    }
}
