//! The author's workspace in the real app (`--mode author`, issue 12): from the ОГЭ oral
//! template, texts pasted into the forms, timings set, an MP3 for each of the six interview
//! questions and two JPEGs for the monologue added through the file inputs, a task previewed
//! through the station's own components with the real player (heard on `vspeaker`) and a
//! recorder check, the school key made, the package signed and built with generated
//! passwords. Then (at 1280×800) a station whose trust list holds that key loads the package
//! and a student completes the oral part: each interview question heard on `vspeaker`, each
//! answer recorded non-silent and cut at its window. Screenshots of every author screen at
//! 1280×800 and 1024×768.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::zombie_processes)]

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use vpr_e2e::{
    station::{look, speak, wait_screen},
    thirtyfour::prelude::*,
    workspace_root, App, Launch, Result,
};
use vpr_package::{IssuerKey, Limits, PackageShelf, SystemClock, TrustedIssuers};

const WORK: &str = "oge-e2e";
/// The interview's answer window after the author's edit, seconds.
const ANSWER_S: u64 = 5;

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

fn css(path: &str) -> String {
    format!("[data-field='{path}']")
}

async fn saves(app: &App) -> Result<u64> {
    let v = app
        .wait_attr("author-editor", "data-saves", 10, |_| true)
        .await?;
    Ok(v.parse().unwrap_or(0))
}

/// Wait for the editor to have saved more than `before` times.
async fn saved(app: &App, before: u64) -> Result<()> {
    app.wait_attr("author-editor", "data-saves", 15, |v| {
        v.parse::<u64>().unwrap_or(0) > before
    })
    .await
    .map(|_| ())
    .map_err(|e| format!("not saved: {e}").into())
}

/// Paste `text` into the field at `path` (typed into the textarea or input, then left).
async fn paste(app: &App, path: &str, text: &str) -> Result<()> {
    let before = saves(app).await?;
    let el = app
        .driver
        .query(By::Css(css(path)))
        .wait(Duration::from_secs(10), Duration::from_millis(100))
        .first()
        .await?;
    el.scroll_into_view().await?;
    // Emptied without an event (WebDriver's clear would save the empty field first).
    app.js(&format!(
        "document.querySelector({}).value = ''; return true;",
        serde_json::to_string(&css(path))?
    ))
    .await?;
    el.send_keys(text)
        .await
        .map_err(|e| format!("type into {path}: {e}"))?;
    // Leaving the field saves it, as for the author.
    app.js(&format!(
        "document.querySelector({}).blur(); return true;",
        serde_json::to_string(&css(path))?
    ))
    .await?;
    saved(app, before).await
}

/// Set a number field as the author types it.
async fn number(app: &App, path: &str, value: u32) -> Result<()> {
    let before = saves(app).await?;
    app.js(&format!(
        "const e = document.querySelector({}); e.value = '{value}'; \
         e.dispatchEvent(new Event('change', {{ bubbles: true }})); return true;",
        serde_json::to_string(&css(path))?
    ))
    .await?;
    saved(app, before).await
}

/// Send a file to the media slot whose field is `path` through its file input.
async fn attach(app: &App, path: &str, file: &Path) -> Result<()> {
    let before = saves(app).await?;
    let input = app.by_testid(&format!("slot-{path}-input")).await?;
    input.send_keys(file.display().to_string()).await?;
    saved(app, before).await
}

async fn tap(app: &App, id: &str) -> Result<()> {
    let el = app.by_testid(id).await?;
    el.scroll_into_view().await?;
    el.click().await.map_err(|e| format!("tap {id}: {e}"))?;
    Ok(())
}

async fn shot(app: &mut App, name: &str) -> Result<()> {
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.shot(name).await?;
    Ok(())
}

struct Built {
    package: PathBuf,
    public_key: PathBuf,
    password: String,
}

/// The author's walk; returns the built package, the school's public key and the password.
async fn author(width: u32, height: u32, tmp: &Path) -> Result<Built> {
    let mut app = App::launch(
        &format!("author_{width}x{height}"),
        Launch {
            args: vec!["--mode".into(), "author".into()],
            width,
            height,
            data_dir: Some(tmp.join("author-data")),
            ..Launch::default()
        },
    )
    .await?;
    let media = workspace_root().join("audio-fixtures/media");
    let mp3 = media.join("phrase.mp3");
    let jpeg1 = media.join("photo.jpg");
    let jpeg2 = tmp.join("second-photo.jpg");
    let made = Command::new("convert")
        .arg(&jpeg1)
        .args(["-flop", "-modulate", "100,60"])
        .arg(&jpeg2)
        .status()?;
    assert!(made.success(), "ImageMagick made the second JPEG");

    // Works (empty), then «Новая работа» from the ОГЭ oral template.
    app.by_testid("author-works").await?;
    // The window maps a moment after the page is there.
    tokio::time::sleep(Duration::from_secs(1)).await;
    shot(&mut app, "works-empty").await?;
    app.by_testid("new-id").await?.send_keys(WORK).await?;
    app.js("const s = document.querySelector(\"[data-testid='new-template']\"); s.value = 'oge_oral'; s.dispatchEvent(new Event('change', { bubbles: true })); return true;").await?;
    tap(&app, "new-create").await?;
    app.by_testid("author-editor").await?;
    let problems: u32 = app
        .wait_attr("problems", "data-count", 10, |_| true)
        .await?
        .parse()?;
    assert_eq!(
        problems, 6,
        "the template's six question tracks are missing"
    );
    shot(&mut app, "editor-general").await?;

    // A problem goes to its field: the first question's track.
    tap(&app, "problem").await?;
    app.wait_attr("editor-task", "data-task", 5, |t| t == "2")
        .await?;
    shot(&mut app, "problem-goes-to-field").await?;

    // Task 1: reading aloud — the text pasted, the timings shortened.
    tap(&app, "section-task-1").await?;
    paste(&app, "variants[0].tasks[0].content.text",
        "Many people like to spend their free time in parks. Parks are places where you can walk, play games and meet friends. In our town there is a big park near the river.").await?;
    number(&app, "variants[0].tasks[0].content.prep_s", 2).await?;
    number(&app, "variants[0].tasks[0].content.answer_s", 5).await?;
    number(&app, "variants[0].tasks[0].fixed_s", 10).await?;
    shot(&mut app, "task-1-reading-aloud").await?;

    // Task 2: the interview — the situation pasted, a track for each question.
    tap(&app, "section-task-2").await?;
    paste(
        &app,
        "variants[0].tasks[1].content.situation",
        "You are taking part in a telephone survey about free time. Answer the six questions.",
    )
    .await?;
    number(&app, "variants[0].tasks[1].content.read_first_s", 2).await?;
    number(
        &app,
        "variants[0].tasks[1].content.answer_s",
        u32::try_from(ANSWER_S)?,
    )
    .await?;
    for q in 0..6 {
        attach(
            &app,
            &format!("variants[0].tasks[1].content.questions[{q}].track"),
            &mp3,
        )
        .await?;
    }
    let problems = app
        .wait_attr("problems", "data-count", 10, |c| c == "0")
        .await;
    shot(&mut app, "task-2-interview").await?;
    problems?;

    // Task 3: the monologue — the plan pasted, two photos added.
    tap(&app, "section-task-3").await?;
    for (i, point) in [
        "where you like to spend your free time",
        "what you usually do there",
        "why you like this place",
    ]
    .iter()
    .enumerate()
    {
        paste(
            &app,
            &format!("variants[0].tasks[2].content.plan[{i}]"),
            point,
        )
        .await?;
    }
    for _ in 0..2 {
        let before = saves(&app).await?;
        tap(&app, "add-variants[0].tasks[2].content.photos").await?;
        saved(&app, before).await?;
    }
    attach(&app, "variants[0].tasks[2].content.photos[0].file", &jpeg1).await?;
    attach(&app, "variants[0].tasks[2].content.photos[1].file", &jpeg2).await?;
    let before = saves(&app).await?;
    app.js(&format!(
        "const e = document.querySelector({}); e.click(); return true;",
        serde_json::to_string(&css("variants[0].tasks[2].content.all_photos"))?
    ))
    .await?;
    saved(&app, before).await?;
    number(&app, "variants[0].tasks[2].content.prep_s", 2).await?;
    number(&app, "variants[0].tasks[2].content.answer_s", 5).await?;
    number(&app, "variants[0].tasks[2].fixed_s", 10).await?;
    app.wait_attr("problems", "data-count", 10, |c| c == "0")
        .await?;
    shot(&mut app, "task-3-monologue").await?;

    // The files: every slot filled.
    tap(&app, "section-media").await?;
    shot(&mut app, "media").await?;

    // Preview of the monologue (both photos, the station's component), then the interview
    // with the real player and the recorder check.
    tap(&app, "section-task-3").await?;
    tap(&app, "task-preview").await?;
    app.by_testid("author-preview").await?;
    app.wait_attr("screen-task", "data-kind", 10, |k| k == "monologue")
        .await?;
    let photos = app
        .js("return document.querySelectorAll(\"[data-testid='author-preview'] img\").length")
        .await?;
    shot(&mut app, "preview-monologue").await?;
    assert_eq!(photos.as_u64(), Some(2), "both photos drawn");
    tap(&app, "preview-close").await?;
    tap(&app, "section-task-2").await?;
    tap(&app, "task-preview").await?;
    app.wait_attr("screen-task", "data-kind", 10, |k| k == "interview")
        .await?;
    tap(&app, "preview-play").await?;
    let heard = sink_peak();
    assert!(
        heard > 1000,
        "the preview's track heard on vspeaker: peak {heard}"
    );
    tap(&app, "preview-stop").await?;
    tap(&app, "preview-phase-recording").await?;
    let voice = speak()?;
    tap(&app, "preview-record").await?;
    let silent = app
        .wait_attr("preview-check", "data-silent", 20, |_| true)
        .await?;
    drop(voice);
    shot(&mut app, "preview-interview-recorder-check").await?;
    assert_eq!(silent, "false", "the recorder check heard the voice");
    tap(&app, "preview-close").await?;

    // Build refused without the school key; the key made, the package built.
    tap(&app, "open-build").await?;
    app.by_testid("build-blocked").await?;
    shot(&mut app, "build-no-key").await?;
    tap(&app, "build-close").await?;
    tap(&app, "editor-back").await?;
    app.by_testid("works-list").await?;
    shot(&mut app, "works-one").await?;
    tap(&app, "tab-key").await?;
    shot(&mut app, "key-none").await?;
    tap(&app, "key-create").await?;
    let fingerprint = app.text("key-fingerprint").await?;
    assert!(fingerprint.len() >= 16, "{fingerprint}");
    let public_key = PathBuf::from(app.text("key-public-file").await?);
    shot(&mut app, "key-made").await?;
    tap(&app, "tab-works").await?;
    tap(&app, &format!("open-{WORK}")).await?;
    tap(&app, "open-build").await?;
    app.by_testid("build-school")
        .await?
        .send_keys("МБОУ СОШ № 1")
        .await?;
    // Typed as a Russian teacher writes it (ДД.ММ.ГГГГ).
    let d = vpr_package::time::OffsetDateTime::now_utc().date();
    let today = format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year());
    app.js(&format!(
        "const e = document.querySelector(\"[data-testid='build-date']\"); e.value = '{today}'; \
         e.dispatchEvent(new Event('input', {{ bubbles: true }})); return true;"
    ))
    .await?;
    shot(&mut app, "build-form").await?;
    tap(&app, "build-go").await?;
    app.by_testid("build-done").await?;
    let password = app.text("build-password").await?;
    let package = PathBuf::from(app.text("build-file").await?);
    shot(&mut app, "build-done").await?;
    assert!(package.is_file(), "{}", package.display());
    app.quit().await?;
    Ok(Built {
        package,
        public_key,
        password,
    })
}

async fn wait_phase(app: &App, want: &str, secs: u64) -> Result<()> {
    app.wait_attr("screen-task", "data-phase", secs, |p| p == want)
        .await
        .map(|_| ())
}

async fn wait_task(app: &App, number: u32, secs: u64) -> Result<()> {
    app.wait_attr("screen-task", "data-task", secs, |t| {
        t == number.to_string()
    })
    .await
    .map(|_| ())
}

/// The station trusting the school's key loads the package; a student sits the oral part.
async fn station(built: &Built, tmp: &Path) -> Result<()> {
    let data = tmp.join("station-data");
    std::fs::create_dir_all(&data)?;
    let hex = std::fs::read_to_string(&built.public_key)?;
    std::fs::write(
        data.join("trusted-issuers.json"),
        serde_json::to_vec_pretty(&serde_json::json!({
            "keys": [{"public_key": hex.trim(), "label": "МБОУ СОШ № 1"}]
        }))?,
    )?;
    let mut trust = TrustedIssuers::new();
    trust.add(IssuerKey::read(&built.public_key)?);
    let shelf = PackageShelf::new(data.join("packages"), trust, Limits::default());
    shelf.load(&built.package, &SystemClock)?;
    shelf.unlock(WORK, &built.password, &SystemClock)?;
    let materials = shelf.materials_dir(WORK);

    let mut app = launch_on(&data, &materials).await?;
    wait_screen(&app, "code_entry", 20).await?;
    for d in ["1", "2", "3", "4", "5"] {
        app.click(&format!("pad-{d}")).await?;
    }
    app.click("code-submit").await?;
    wait_screen(&app, "confirm", 10).await?;
    app.click("confirm-yes").await?;
    wait_screen(&app, "briefing", 10).await?;
    app.click("briefing-done").await?;
    wait_screen(&app, "headset_check", 10).await?;
    let voice = speak()?;
    app.click("headset-run").await?;
    app.wait_attr("headset-status", "data-status", 40, |s| s != "not_checked")
        .await?;
    drop(voice);
    app.click("start-work").await?;

    // 1. Reading aloud: the pasted text on screen.
    wait_task(&app, 1, 20).await?;
    let body = app.text("screen-task").await?;
    assert!(body.contains("Parks are places"), "{body}");
    wait_phase(&app, "recording", 20).await?;
    let voice = speak()?;
    look(&mut app, "station-task-1").await?;
    drop(voice);

    // 2. The interview: six questions heard, six windows.
    wait_task(&app, 2, 30).await?;
    for n in 1..=6 {
        wait_phase(&app, "question", 30).await?;
        app.wait_attr("parts-task", "data-part", 5, |p| p == n.to_string())
            .await?;
        let heard = sink_peak();
        assert!(heard > 1000, "question {n} heard on vspeaker: peak {heard}");
        wait_phase(&app, "recording", 30).await?;
        let voice = speak()?;
        if n == 1 {
            look(&mut app, "station-task-2-answer").await?;
        }
        tokio::time::sleep(Duration::from_secs(ANSWER_S)).await;
        drop(voice);
    }
    wait_phase(&app, "recorded", 30).await?;
    app.click("next-task").await?;

    // 3. The monologue on the two photos.
    wait_task(&app, 3, 20).await?;
    look(&mut app, "station-task-3").await?;
    wait_phase(&app, "recording", 20).await?;
    let voice = speak()?;
    let t = Instant::now();
    wait_screen(&app, "finish", 30).await?;
    drop(voice);
    assert!(t.elapsed() < Duration::from_secs(30));
    app.click("finish-button").await?;
    app.click("finish-confirm").await?;
    wait_screen(&app, "closed", 10).await?;
    app.quit().await?;

    // Every interview answer recorded, non-silent, cut at its window.
    let path = if vpr_store::exam_path(&data).exists() {
        vpr_store::exam_path(&data)
    } else {
        vpr_store::training_path(&data)
    };
    let store = vpr_store::Store::open(&path)?;
    store.verify()?;
    let s = store.sessions()?.pop().expect("a session");
    let recs = store.recordings(s.id)?;
    let interview: Vec<_> = recs.iter().filter(|r| r.task == "2").collect();
    assert_eq!(interview.len(), 6, "{recs:?}");
    for r in interview {
        assert_eq!(r.status, vpr_store::RecordingStatus::Complete, "{r:?}");
        assert!(!r.level_flags.silent, "answer recorded non-silent: {r:?}");
        let info = vpr_audio::wav_info(&data.join(&r.file))?;
        let window = ANSWER_S * 1000;
        assert!(
            (window - 300..=window + 300).contains(&info.duration_ms),
            "cut at its {window} ms window: {} ms",
            info.duration_ms
        );
    }
    Ok(())
}

async fn launch_on(data: &Path, materials: &Path) -> Result<App> {
    let data = data.to_path_buf();
    App::launch(
        "author_station",
        Launch {
            data_dir: Some(data),
            env: vec![("VPR_PACKAGE_DIR".into(), materials.display().to_string())],
            prepare: Some(Box::new(|dir| {
                let access = vpr_access::AccessStore::open(dir)?;
                if !access.is_set(vpr_access::PinRole::Organizer) {
                    access.set(
                        vpr_access::PinRole::Organizer,
                        vpr_e2e::station::ORGANIZER_PIN,
                    )?;
                }
                Ok(())
            })),
            ..Launch::default()
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn an_oge_oral_work_built_in_the_author_window_runs_on_a_station_at_1280x800() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let built = author(1280, 800, tmp.path()).await?;
    station(&built, tmp.path()).await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_author_screens_at_1024x768() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    author(1024, 768, tmp.path()).await.map(|_| ())
}
