//! A whole grade-7 English demo work in the real app, on the real audio
//! stack (PulseAudio null sinks: `vspeaker` plays, `vmic` is the
//! microphone): listening played exactly twice and heard on the sink,
//! reading aloud and monologue recorded from a speech fixture fed into the
//! virtual microphone and stopped at the limit, written answers typed, a kill
//! mid-task and a restart at the same task with the same time left, finish.
//! The package is the en-7 demo with its waiting times shortened (and a
//! 3-second tone as the listening track) so the test takes about two minutes.

#![allow(clippy::unwrap_used, clippy::expect_used)]
// `Voice` kills and waits for its player when dropped.
#![allow(clippy::zombie_processes)]

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::Duration,
};

use serde_json::Value;
use vpr_e2e::{thirtyfour::prelude::*, workspace_root, App, Launch, Result};

fn quick_en7(dir: &Path) -> PathBuf {
    let fixtures = workspace_root().join("audio-fixtures");
    let src = fixtures.join("packages/en-7");
    let dst = dir.join("en-7");
    copy_dir(&src, &dst);
    std::fs::copy(
        fixtures.join("tones/sine-1khz-3s.wav"),
        dst.join("media/tone.wav"),
    )
    .unwrap();
    let mut p: Value =
        serde_json::from_str(&std::fs::read_to_string(dst.join("package.json")).unwrap()).unwrap();
    for t in p["variants"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .flat_map(|v| v["tasks"].as_array_mut().unwrap().iter_mut())
    {
        let c = &mut t["content"];
        match c["kind"].as_str().unwrap() {
            "listening" => {
                c["track"] = "media/tone.wav".into();
                c["duration_s"] = 3.into();
                c["read_first_s"] = 2.into();
                c["pause_between_s"] = 1.into();
            }
            "reading_aloud" | "monologue" => {
                c["prep_s"] = 2.into();
                c["answer_s"] = 6.into();
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

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap().flatten() {
        let to = dst.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), to).unwrap();
        }
    }
}

/// Peak of what the speaker sink plays during ~1.2 s.
fn sink_peak() -> i32 {
    let out = Command::new("timeout")
        .args([
            "1.2",
            "parec",
            "-d",
            "vspeaker.monitor",
            "--raw",
            "--format=s16le",
            "--channels=1",
            "--rate=16000",
        ])
        .stderr(Stdio::null())
        .output()
        .expect("parec");
    out.stdout
        .chunks_exact(2)
        .map(|b| i32::from(i16::from_le_bytes([b[0], b[1]])).abs())
        .max()
        .unwrap_or(0)
}

/// Speak into the virtual microphone (in the background).
fn speak() -> std::process::Child {
    let wav = workspace_root().join("audio-fixtures/speech/answer-en.wav");
    Command::new("paplay")
        .args(["-d", "vmic"])
        .arg(wav)
        .spawn()
        .expect("paplay")
}

async fn launch(name: &str, data: &Path, package: &Path) -> Result<App> {
    let data = data.to_path_buf();
    App::launch(
        name,
        Launch {
            data_dir: Some(data),
            env: vec![("VPR_PACKAGE_DIR".into(), package.display().to_string())],
            prepare: Some(Box::new(|dir| {
                let access = vpr_access::AccessStore::open(dir)?;
                if !access.is_set(vpr_access::PinRole::Organizer) {
                    access.set(vpr_access::PinRole::Organizer, "274915")?;
                }
                Ok(())
            })),
            ..Launch::default()
        },
    )
    .await
}

async fn screen(app: &App) -> Result<String> {
    Ok(app
        .by_testid("station")
        .await?
        .attr("data-screen")
        .await?
        .unwrap_or_default())
}

async fn wait_screen(app: &App, want: &str, secs: u64) -> Result<()> {
    // `data-screen` is the screen kind, with the task kind after a colon.
    app.wait_attr("station", "data-screen", secs, |s| {
        s.split(':').next() == Some(want)
    })
    .await?;
    Ok(())
}

async fn task_number(app: &App) -> Result<String> {
    Ok(app
        .by_testid("screen-task")
        .await?
        .attr("data-task")
        .await?
        .unwrap_or_default())
}

/// Answer every item on the current written task: type into gaps, pick the
/// first option of choice items.
async fn answer_all(app: &App) -> Result<u32> {
    let mut n = 0;
    for input in app
        .driver
        .find_all(By::Css("input[data-testid^='answer-']"))
        .await?
    {
        input.send_keys("went").await?;
        n += 1;
    }
    // Gaps with a dropdown (the 2020–23 listening sentences): the first option of each.
    let chosen = app
        .js(
            "let n = 0; for (const s of document.querySelectorAll(\"select[data-testid^='answer-']\")) { \
               s.value = s.options[1].value; s.dispatchEvent(new Event('change', { bubbles: true })); n++; } \
             return n;",
        )
        .await?;
    n += u32::try_from(chosen.as_u64().unwrap_or(0)).unwrap_or(0);
    // Choice items: the first option of each (`answer-<item>-<label>`).
    let options = app
        .js(
            "return Array.from(document.querySelectorAll(\"[data-testid^='item-']\")).map(i => { \
             const id = i.dataset.testid.slice(5); \
             const o = i.querySelector(\"[data-testid^='answer-\" + id + \"-']\"); \
             return o ? o.dataset.testid : null; }).filter(Boolean)",
        )
        .await?;
    for testid in options.as_array().cloned().unwrap_or_default() {
        let id = testid.as_str().unwrap_or_default();
        let el = app.by_testid(id).await?;
        // Long panels scroll inside themselves; bring the option into view first.
        el.scroll_into_view().await?;
        if el.click().await.is_err() {
            app.js(&format!(
                "document.querySelector(\"[data-testid='{id}']\").click(); return true"
            ))
            .await?;
        }
        n += 1;
    }
    // Let the debounced saves land before moving on.
    tokio::time::sleep(Duration::from_millis(700)).await;
    Ok(n)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_whole_grade7_demo_work_with_a_kill_and_resume() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let package = quick_en7(tmp.path());
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data)?;
    let mut app = launch("exam_en7", &data, &package).await?;

    for d in ["1", "2", "3", "4", "5"] {
        app.click(&format!("pad-{d}")).await?;
    }
    app.click("code-submit").await?;
    wait_screen(&app, "confirm", 10).await?;
    app.shot("confirm").await?;
    app.click("confirm-yes").await?;
    wait_screen(&app, "briefing", 10).await?;
    app.shot("briefing").await?;
    app.click("briefing-done").await?;
    wait_screen(&app, "headset_check", 10).await?;
    // The student speaks during the check (the fixture fed into the
    // virtual microphone while the test phrase plays and the check records).
    let voice = speak();
    app.click("headset-run").await?;
    let status = app
        .wait_attr("headset-status", "data-status", 40, |s| s != "not_checked")
        .await?;
    drop(voice);
    app.shot("headset-check").await?;
    assert_eq!(
        status, "passed",
        "the spoken fixture passes the headset check"
    );
    if status != "passed" {
        // Nobody speaks into the virtual microphone during the check: the
        // organizer overrides it with the PIN (recorded as an event).
        app.click("organizer-open").await?;
        app.by_testid("organizer-pin")
            .await?
            .send_keys("274915")
            .await?;
        app.click("organizer-pin-next").await?;
        app.click("org-override-headset").await?;
    }
    app.click("start-work").await?;

    // Task 1, listening: two plays start by themselves; the sink sounds.
    wait_screen(&app, "task", 10).await?;
    assert_eq!(task_number(&app).await?, "1");
    app.shot("listening-read").await?;
    app.wait_attr("screen-task", "data-phase", 20, |p| p == "playing")
        .await?;
    let peak = sink_peak();
    app.shot("listening-playing").await?;
    assert!(
        peak > 3000,
        "the listening track must reach the speaker sink (peak {peak})"
    );
    app.wait_attr("plays-left", "data-left", 30, |l| l == "0")
        .await?;
    app.wait_attr("screen-task", "data-phase", 20, |p| p == "answering")
        .await?;
    assert_eq!(
        app.by_testid("plays-left")
            .await?
            .attr("data-used")
            .await?
            .as_deref(),
        Some("2")
    );
    assert!(
        app.driver
            .find_all(By::Css("[data-testid='play-button']:not([disabled])"))
            .await?
            .is_empty(),
        "no third play"
    );
    assert_eq!(answer_all(&app).await?, 5);
    app.shot("listening-answered").await?;
    app.click("next-task").await?;

    // Tasks 2 and 3, oral: preparation, then the recording starts by itself;
    // the fixture is spoken into the microphone; it stops at the limit.
    for expected in ["2", "3"] {
        app.wait_attr("screen-task", "data-task", 10, |t| t == expected)
            .await?;
        if expected == "3" {
            app.click("photo-2").await?;
        }
        app.shot(&format!("oral-{expected}-prep")).await?;
        app.by_testid("record-indicator").await?;
        let voice = speak();
        app.shot(&format!("oral-{expected}-recording")).await?;
        app.wait_attr("screen-task", "data-phase", 20, |p| p == "recorded")
            .await?;
        drop(voice);
        app.click("next-task").await?;
    }

    // Task 4, reading: answer, then a power cut.
    app.wait_attr("screen-task", "data-task", 10, |t| t == "4")
        .await?;
    answer_all(&app).await?;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let left_before: i64 = app
        .by_testid("work-left")
        .await?
        .attr("data-seconds")
        .await?
        .unwrap_or_default()
        .parse()?;
    app.shot("reading-before-kill").await?;
    app.kill_app();
    drop(app);
    tokio::time::sleep(Duration::from_secs(3)).await;

    let mut app = launch("exam_en7_resumed", &data, &package).await?;
    wait_screen(&app, "task", 20).await?;
    assert_eq!(task_number(&app).await?, "4", "resumes at the same task");
    let left_after: i64 = app
        .by_testid("work-left")
        .await?
        .attr("data-seconds")
        .await?
        .unwrap_or_default()
        .parse()?;
    assert!(
        (left_before - left_after).abs() <= 2,
        "time left {left_before} s before the kill, {left_after} s after"
    );
    app.shot("reading-resumed").await?;
    app.click("next-task").await?;

    // Tasks 5 and 6: typed answers.
    for expected in ["5", "6"] {
        app.wait_attr("screen-task", "data-task", 10, |t| t == expected)
            .await?;
        answer_all(&app).await?;
        app.shot(&format!("task-{expected}")).await?;
        app.click("next-task").await?;
    }
    wait_screen(&app, "finish", 10).await?;
    app.shot("finish").await?;
    app.click("finish-button").await?;
    app.click("finish-confirm").await?;
    wait_screen(&app, "closed", 10).await?;
    app.shot("closed").await?;
    assert_eq!(screen(&app).await?, "closed");
    // «Работа завершена» once (the title), not again in the message; a
    // training work gets no paper receipt.
    let closed = app.text("screen-closed").await?;
    assert_eq!(closed.matches("Работа завершена").count(), 1, "{closed}");
    assert!(
        app.driver
            .find_all(By::Css("[data-testid='closed-receipt']"))
            .await?
            .is_empty(),
        "no receipt for training"
    );
    app.quit().await?;

    // The store: the chain verifies, two plays, two complete, non-silent
    // recordings stopped at the limit, the typed answers.
    let store = vpr_store::Store::open(&vpr_store::training_path(&data))?;
    store.verify()?;
    let s = store.sessions()?.pop().expect("a session");
    assert_eq!(s.participant_code, "12345");
    assert_eq!(s.plays.values().copied().collect::<Vec<_>>(), vec![2]);
    let recs = store.recordings(s.id)?;
    assert_eq!(recs.len(), 2, "{recs:?}");
    for r in &recs {
        assert_eq!(r.status, vpr_store::RecordingStatus::Complete, "{r:?}");
        assert!(
            !r.level_flags.silent,
            "the spoken fixture was recorded: {r:?}"
        );
        let info = vpr_audio::wav_info(&data.join(&r.file))?;
        assert!(
            (5_700..=6_300).contains(&info.duration_ms),
            "stopped at the limit: {} ms",
            info.duration_ms
        );
    }
    let answers = store.answers(s.id)?;
    assert_eq!(
        answers.len(),
        20,
        "every written item answered and saved: {answers:?}"
    );
    Ok(())
}
