//! A written answer survives a SIGKILL of the real app with every character
//! (issue 12, "done means"): the student types a letter with key presses
//! (WebDriver, through WebKit's input), the word count follows, the station
//! process is killed with SIGKILL a second after the last key, and after the
//! restart the same task shows the same text, character for character, and
//! the same word count. The autosave never holds more than a second of typing
//! back (ui/src/lib/answerSaver.ts, `maxWaitMs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::zombie_processes)]

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use serde_json::{json, Value};
use vpr_e2e::{
    quick::quick_package,
    station::{look, speak, wait_screen, ORGANIZER_PIN},
    App, Result,
};

/// The en-7 demo cut to one written task (a letter of 60–120 words).
fn package(dir: &Path) -> Result<PathBuf> {
    let dst = quick_package(dir, "en-7")?;
    let mut p: Value = serde_json::from_slice(&std::fs::read(dst.join("package.json"))?)?;
    p["variants"][0]["tasks"] = json!([{
        "number": 1, "title": "Задание 1. Письмо", "max_score": 6,
        "instruction": "Write a letter to your pen friend Sam about your last holiday. Write 60–120 words.",
        "content": {"kind": "written", "id": "1", "words_min": 60, "words_max": 120,
            "stimulus": "… Where did you go last summer? What did you like most? Write soon, Sam"}
    }]);
    p["conversion"] = json!([
        {"min": 0, "max": 2, "mark": 2}, {"min": 3, "max": 4, "mark": 3},
        {"min": 5, "max": 5, "mark": 4}, {"min": 6, "max": 6, "mark": 5}
    ]);
    p["adaptations"] = json!([]);
    p["timing"]["total_s"] = 1200.into();
    std::fs::write(dst.join("package.json"), serde_json::to_vec_pretty(&p)?)?;
    let mut k: Value = serde_json::from_slice(&std::fs::read(dst.join("keys.json"))?)?;
    k["variants"][0]["tasks"] = json!([{"number": 1, "criteria": [
        {"id": "1.K1", "name": "Решение коммуникативной задачи", "max_points": 2, "description": "Ответ на вопросы друга.", "critical": true},
        {"id": "1.K2", "name": "Организация текста", "max_points": 2, "description": "Логичность, оформление письма."},
        {"id": "1.K3", "name": "Языковое оформление", "max_points": 2, "description": "Лексика, грамматика, орфография."}
    ]}]);
    std::fs::write(dst.join("keys.json"), serde_json::to_vec_pretty(&k)?)?;
    Ok(dst)
}

/// The letter typed: punctuation, an apostrophe, letters beyond ASCII (one line:
/// WebDriver's keys carry no newline).
const LETTER: &str = "Dear Sam, \
Thanks for your letter! Last summer my family and I went to the seaside near Sochi. \
We stayed there for two weeks in a small hotel. Every morning I swam in the sea, and in the \
afternoon we walked in the old park or visited a café with the best ice cream in town. \
What I liked most was a boat trip: we saw dolphins! My sister's favourite day was our trip \
to the mountains, where we met a guide called Jürgen. \
Where are you going next summer? Write soon, \
Anna";

async fn value_of(app: &App, testid: &str) -> Result<String> {
    let v = app
        .js(&format!(
            "const a = document.querySelector(\"[data-testid='{testid}']\"); return a ? a.value : null;"
        ))
        .await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

async fn open_task_1(app: &mut App) -> Result<()> {
    wait_screen(app, "code_entry", 20).await?;
    for d in ["1", "2", "3", "4", "5"] {
        app.click(&format!("pad-{d}")).await?;
    }
    app.click("code-submit").await?;
    wait_screen(app, "confirm", 10).await?;
    app.click("confirm-yes").await?;
    wait_screen(app, "briefing", 10).await?;
    app.click("briefing-done").await?;
    wait_screen(app, "headset_check", 10).await?;
    let voice = speak().expect("paplay");
    app.click("headset-run").await?;
    app.wait_attr("headset-status", "data-status", 40, |s| s != "not_checked")
        .await?;
    drop(voice);
    app.click("start-work").await?;
    app.wait_attr("screen-task", "data-task", 20, |t| t == "1")
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_written_answer_survives_a_sigkill_with_every_character() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let package = package(tmp.path())?;
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data)?;
    let mut app = launch_on("written_kill", &data, &package).await?;
    open_task_1(&mut app).await?;
    look(&mut app, "written-empty").await?;

    let box_ = app.by_testid("answer-1").await?;
    box_.click().await?;
    box_.send_keys(LETTER).await?;
    assert_eq!(value_of(&app, "answer-1").await?, LETTER, "typed as sent");
    let words = app
        .wait_attr("word-count", "data-words", 5, |w| w != "0")
        .await?;
    look(&mut app, "written-typed").await?;
    // A second after the last key (the quiet period is 0.4 s): kill the process.
    tokio::time::sleep(Duration::from_secs(1)).await;
    app.kill_app();
    drop(app);
    tokio::time::sleep(Duration::from_secs(2)).await;

    let mut app = launch_on("written_kill_after", &data, &package).await?;
    app.wait_attr("screen-task", "data-task", 30, |t| t == "1")
        .await?;
    let back = value_of(&app, "answer-1").await?;
    assert_eq!(back.chars().count(), LETTER.chars().count(), "{back}");
    assert_eq!(back, LETTER);
    let after = app
        .wait_attr("word-count", "data-words", 5, |w| w != "0")
        .await?;
    assert_eq!(after, words);
    look(&mut app, "written-after-kill").await?;
    app.quit().await
}

/// The station on `package` with its data kept in `data` across the kill.
async fn launch_on(name: &str, data: &Path, package: &Path) -> Result<App> {
    let mut launch = launch_options(package);
    launch.data_dir = Some(data.to_path_buf());
    App::launch(name, launch).await
}

fn launch_options(package: &Path) -> vpr_e2e::Launch {
    vpr_e2e::Launch {
        width: 1280,
        height: 800,
        env: vec![("VPR_PACKAGE_DIR".into(), package.display().to_string())],
        prepare: Some(Box::new(|dir| {
            let access = vpr_access::AccessStore::open(dir)?;
            if !access.is_set(vpr_access::PinRole::Organizer) {
                access.set(vpr_access::PinRole::Organizer, ORGANIZER_PIN)?;
            }
            Ok(())
        })),
        ..vpr_e2e::Launch::default()
    }
}
