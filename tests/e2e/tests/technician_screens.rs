//! Every technician screen at 1280×800 and 1024×768 in the real app (issue
//! 15, item 6): the first-run PIN form, the login, and each tab with an exam
//! work and a training work on the station. Nothing sticks out of the
//! window and no box clips its text; screenshots go to the artifacts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use vpr_e2e::{layout::assert_layout, App, Launch, Result};

const TECH_PIN: &str = "863071";
const TABS: [&str; 7] = [
    "identity", "audio", "disk", "packages", "training", "export", "status",
];

fn seed(dir: &std::path::Path) -> Result<()> {
    let access = vpr_access::AccessStore::open(dir)?;
    access.set(vpr_access::PinRole::Technician, TECH_PIN)?;
    access.set(vpr_access::PinRole::Organizer, "274915")?;
    let exam = vpr_store::Store::open(&vpr_store::exam_path(dir))?;
    let s = exam.start_session(&vpr_store::NewSession::new("48213", "en7-e2e", "1"))?;
    exam.save_answer(s.id, "4", "1", &serde_json::json!("B"))?;
    let training = vpr_store::Store::open(&vpr_store::training_path(dir))?;
    training.start_session(&vpr_store::NewSession::new("00000", "demo-en-7", "1"))?;
    Ok(())
}

async fn look(app: &mut App, what: &str) -> Result<()> {
    tokio::time::sleep(Duration::from_millis(600)).await;
    app.shot(what).await?;
    assert_layout(app, what).await
}

async fn walk(width: u32, height: u32) -> Result<()> {
    // First run: the PIN form alone.
    let mut app = App::launch(
        &format!("technician_first_run_{width}x{height}"),
        Launch {
            args: vec!["--mode".into(), "technician".into()],
            width,
            height,
            ..Launch::default()
        },
    )
    .await?;
    app.by_testid("pins-screen").await?;
    look(&mut app, "first-run-pins").await?;
    app.quit().await?;

    let mut app = App::launch(
        &format!("technician_screens_{width}x{height}"),
        Launch {
            args: vec!["--mode".into(), "technician".into()],
            width,
            height,
            prepare: Some(Box::new(seed)),
            ..Launch::default()
        },
    )
    .await?;
    app.by_testid("login-screen").await?;
    look(&mut app, "login").await?;
    app.by_testid("login-pin")
        .await?
        .send_keys(TECH_PIN)
        .await?;
    app.click("login-submit").await?;
    app.by_testid("tab-identity").await?;
    for tab in TABS {
        app.click(&format!("tab-{tab}")).await?;
        look(&mut app, tab).await?;
    }
    // The export screen says what the bundle will hold before writing.
    app.click("tab-export").await?;
    let contents = app.text("export-contents").await?;
    assert!(contents.contains("en7-e2e"), "{contents}");
    assert!(app
        .text("export-training")
        .await?
        .contains("Тренировочных работ: 1"));
    app.click("open-pins").await?;
    look(&mut app, "change-pins").await?;
    app.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn technician_screens_at_1280x800() -> Result<()> {
    walk(1280, 800).await
}

#[tokio::test(flavor = "multi_thread")]
async fn technician_screens_at_1024x768() -> Result<()> {
    walk(1024, 768).await
}
