//! The ЕГЭ oral part and the new task kinds in the real app at 1280×800 and
//! 1024×768 (issue 12): reading aloud, «ask questions» about an advert (one
//! recorded window per prompt), the interview (the instruction read aloud,
//! each question heard once, then a signal and its own window), the
//! two-photo project monologue; and, appended to the same work, a written
//! answer with its live word count and gaps filled from dropdowns. Layout
//! checked on every screen (nothing outside the window, no clipped text, the
//! clock visible), screenshots saved. Timings shortened (`vpr_e2e::quick`),
//! the questions keep their own recorded voices; the audio is the real
//! stack (PulseAudio null sinks).

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::zombie_processes)]

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use serde_json::{json, Value};
use vpr_e2e::{
    quick::quick_package,
    station::{launch, look, speak, wait_screen},
    App, Result,
};

/// The quick ЕГЭ oral demo with a written answer and a gap fill with choices appended.
fn package(dir: &Path) -> Result<PathBuf> {
    let dst = quick_package(dir, "ege-en-oral")?;
    let mut p: Value = serde_json::from_slice(&std::fs::read(dst.join("package.json"))?)?;
    let tasks = p
        .pointer_mut("/variants/0/tasks")
        .and_then(Value::as_array_mut)
        .ok_or("no tasks")?;
    tasks.push(json!({
        "number": 5, "title": "Задание 5. Электронное письмо", "max_score": 6,
        "instruction": "You have received an email from your English-speaking pen friend Alex. Write an email to Alex. Answer his questions and ask three questions about his trip. Write 100–140 words.",
        "content": {"kind": "written", "id": "5", "words_min": 100, "words_max": 140,
            "stimulus": "From: Alex\nSubject: Summer\n\n… This summer my family went to the mountains for two weeks. What do you usually do in summer? Do you prefer holidays in the city or in the country? Why?\n\nBy the way, I've just come back from a school trip to London…"}
    }));
    tasks.push(json!({
        "number": 6, "title": "Задание 6. Грамматика", "max_score": 3,
        "instruction": "Choose the right form of the word to fill each gap.",
        "content": {"kind": "grammar", "items": [
            {"id": "6.1", "prompt": "Last year we ___ to the seaside for the first time.",
             "options": [{"label": "1", "text": "go"}, {"label": "2", "text": "went"}, {"label": "3", "text": "have gone"}]},
            {"id": "6.2", "prompt": "The weather was ___ than we had expected, and it rained almost every day.",
             "options": [{"label": "1", "text": "bad"}, {"label": "2", "text": "worse"}, {"label": "3", "text": "the worst"}]},
            {"id": "6.3", "prompt": "If I ___ more time next summer, I will learn to surf.",
             "options": [{"label": "1", "text": "have"}, {"label": "2", "text": "will have"}, {"label": "3", "text": "had"}]}
        ]}
    }));
    p["conversion"] = json!([
        {"min": 0, "max": 9, "mark": 2}, {"min": 10, "max": 17, "mark": 3},
        {"min": 18, "max": 23, "mark": 4}, {"min": 24, "max": 29, "mark": 5}
    ]);
    p["timing"]["total_s"] = 1800.into();
    std::fs::write(dst.join("package.json"), serde_json::to_vec_pretty(&p)?)?;
    let mut k: Value = serde_json::from_slice(&std::fs::read(dst.join("keys.json"))?)?;
    let kt = k
        .pointer_mut("/variants/0/tasks")
        .and_then(Value::as_array_mut)
        .ok_or("no key tasks")?;
    kt.push(json!({"number": 5, "criteria": [
        {"id": "5.K1", "name": "Решение коммуникативной задачи", "max_points": 2, "description": "Ответы на вопросы, три вопроса другу.", "critical": true},
        {"id": "5.K2", "name": "Организация текста", "max_points": 2, "description": "Логичность, оформление письма."},
        {"id": "5.K3", "name": "Языковое оформление", "max_points": 2, "description": "Лексика, грамматика, орфография."}
    ]}));
    kt.push(json!({"number": 6, "items": [
        {"id": "6.1", "accepted": ["2"]}, {"id": "6.2", "accepted": ["2"]}, {"id": "6.3", "accepted": ["1"]}
    ]}));
    std::fs::write(dst.join("keys.json"), serde_json::to_vec_pretty(&k)?)?;
    Ok(dst)
}

async fn task_attr(app: &App, attr: &str) -> Result<String> {
    let v = app
        .js(&format!(
            "const t = document.querySelector(\"[data-testid='screen-task']\"); return t ? (t.dataset.{attr} || '') : '';"
        ))
        .await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

async fn wait_task(app: &App, number: u32, secs: u64) -> Result<()> {
    let t = Instant::now();
    while task_attr(app, "task").await? != number.to_string() {
        if t.elapsed() > Duration::from_secs(secs) {
            return Err(format!("task {number} did not open").into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(())
}

async fn wait_phase(app: &App, want: &str, secs: u64) -> Result<()> {
    app.wait_attr("screen-task", "data-phase", secs, |p| p == want)
        .await
        .map(|_| ())
}

async fn walk(width: u32, height: u32) -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let dir = package(tmp.path())?;
    let mut app = launch(
        &format!("oral_formats_{width}x{height}"),
        &dir,
        width,
        height,
    )
    .await?;
    wait_screen(&app, "code_entry", 20).await?;
    for d in ["1", "2", "3", "4", "5"] {
        app.click(&format!("pad-{d}")).await?;
    }
    app.click("code-submit").await?;
    wait_screen(&app, "confirm", 10).await?;
    app.click("confirm-yes").await?;
    wait_screen(&app, "briefing", 10).await?;
    look(&mut app, "briefing").await?;
    app.click("briefing-done").await?;
    wait_screen(&app, "headset_check", 10).await?;
    let voice = speak().expect("paplay");
    app.click("headset-run").await?;
    app.wait_attr("headset-status", "data-status", 40, |s| s != "not_checked")
        .await?;
    drop(voice);
    app.click("start-work").await?;

    // 1. Reading aloud (fixed time: moves on by itself).
    wait_task(&app, 1, 20).await?;
    look(&mut app, "task-1-reading_aloud-prep").await?;
    wait_phase(&app, "recording", 20).await?;
    let voice = speak().expect("paplay");
    look(&mut app, "task-1-reading_aloud-recording").await?;
    drop(voice);

    // 2. Ask questions: preparation, then four windows, the open prompt marked.
    wait_task(&app, 2, 30).await?;
    look(&mut app, "task-2-ask_questions-prep").await?;
    for n in 1..=4 {
        app.wait_attr("parts-task", "data-part", 30, |p| p == n.to_string())
            .await?;
        wait_phase(&app, "recording", 10).await?;
        if n == 1 || n == 4 {
            let voice = speak().expect("paplay");
            look(&mut app, &format!("task-2-ask_questions-prompt-{n}")).await?;
            drop(voice);
        }
    }

    // 3. Interview: the instruction, then each question and its window.
    wait_task(&app, 3, 40).await?;
    wait_phase(&app, "instruction", 10).await?;
    app.by_testid("instruction-playing").await?;
    look(&mut app, "task-3-interview-instruction").await?;
    for n in 1..=5 {
        wait_phase(&app, "question", 30).await?;
        app.wait_attr("parts-task", "data-part", 5, |p| p == n.to_string())
            .await?;
        let q = app.text("question-playing").await?;
        assert!(q.contains(&format!("{n} из 5")), "{q}");
        if n == 1 {
            look(&mut app, "task-3-interview-question").await?;
        }
        wait_phase(&app, "recording", 30).await?;
        let answer = app.text("answer-to").await?;
        assert!(answer.contains(&format!("{n} из 5")), "{answer}");
        if n == 1 {
            let voice = speak().expect("paplay");
            look(&mut app, "task-3-interview-answer").await?;
            drop(voice);
        }
    }
    wait_phase(&app, "recorded", 30).await?;
    look(&mut app, "task-3-interview-recorded").await?;
    app.click("next-task").await?;

    // 4. Project monologue: both photos shown, nothing to choose.
    wait_task(&app, 4, 20).await?;
    look(&mut app, "task-4-monologue-two-photos").await?;
    let chosen = app.text("photo-chosen").await?;
    assert!(chosen.contains("обеих"), "{chosen}");
    wait_phase(&app, "recording", 20).await?;
    let voice = speak().expect("paplay");
    look(&mut app, "task-4-monologue-recording").await?;
    drop(voice);

    // 5. Written answer: the word count follows the typing.
    wait_task(&app, 5, 30).await?;
    look(&mut app, "task-5-written-empty").await?;
    let text = "Dear Alex, thanks for your email. ".repeat(18);
    app.js(&format!(
        "const a = document.querySelector(\"[data-testid='answer-5']\"); a.focus(); a.value = {}; \
         a.dispatchEvent(new Event('input', {{ bubbles: true }})); return true;",
        serde_json::to_string(&text)?
    ))
    .await?;
    app.wait_attr("word-count", "data-words", 5, |w| w == "108")
        .await?;
    look(&mut app, "task-5-written-typed").await?;
    app.click("next-task").await?;

    // 6. Gaps with choices.
    wait_task(&app, 6, 10).await?;
    look(&mut app, "task-6-grammar-choices").await?;
    app.js(
        "for (const s of document.querySelectorAll(\"select[data-testid^='answer-']\")) { \
           s.value = '2'; s.dispatchEvent(new Event('change', { bubbles: true })); } return true;",
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(700)).await;
    look(&mut app, "task-6-grammar-chosen").await?;
    app.click("next-task").await?;
    wait_screen(&app, "finish", 20).await?;
    app.click("finish-button").await?;
    app.click("finish-confirm").await?;
    wait_screen(&app, "closed", 10).await?;
    app.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn ege_oral_and_written_kinds_at_1280x800() -> Result<()> {
    walk(1280, 800).await
}

#[tokio::test(flavor = "multi_thread")]
async fn ege_oral_and_written_kinds_at_1024x768() -> Result<()> {
    walk(1024, 768).await
}
