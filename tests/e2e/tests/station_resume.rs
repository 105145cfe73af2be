//! After a crash, tell people (issue 15, item 4), in the real app on the
//! real audio stack: the app is killed (SIGKILL) while the student's spoken
//! answer is being recorded; on restart the recording goes on, the student
//! sees a short notice with the time left, and the organizer's alert on the
//! station window names the gap in seconds.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use serde_json::Value;
use vpr_e2e::{workspace_root, App, Launch, Result};

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

/// The en-7 demo, quick: a 3-second tone for the listening, a 1-second
/// preparation and a long (60 s) answer for the oral tasks.
fn quick_en7(dir: &Path) -> PathBuf {
    let fixtures = workspace_root().join("audio-fixtures");
    let dst = dir.join("en-7");
    copy_dir(&fixtures.join("packages/en-7"), &dst);
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
                c["read_first_s"] = 1.into();
                c["pause_between_s"] = 1.into();
            }
            "reading_aloud" | "monologue" => {
                c["prep_s"] = 1.into();
                c["answer_s"] = 60.into();
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

async fn launch(name: &str, data: &Path, package: &Path) -> Result<App> {
    App::launch(
        name,
        Launch {
            data_dir: Some(data.to_path_buf()),
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

#[tokio::test(flavor = "multi_thread")]
async fn a_kill_mid_answer_resumes_the_recording_and_tells_student_and_organizer() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let package = quick_en7(tmp.path());
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data)?;
    let app = launch("station_resume", &data, &package).await?;
    for d in ["1", "2", "3", "4", "5"] {
        app.click(&format!("pad-{d}")).await?;
    }
    app.click("code-submit").await?;
    app.click("confirm-yes").await?;
    app.click("briefing-done").await?;
    app.click("organizer-open").await?;
    app.by_testid("organizer-pin")
        .await?
        .send_keys("274915")
        .await?;
    app.click("organizer-pin-next").await?;
    app.click("org-override-headset").await?;
    app.click("start-work").await?;
    // Listening plays twice by itself; then on to reading aloud.
    app.wait_attr("screen-task", "data-phase", 40, |p| p == "answering")
        .await?;
    app.click("next-task").await?;
    app.wait_attr("screen-task", "data-task", 10, |t| t == "2")
        .await?;
    app.wait_attr("screen-task", "data-phase", 20, |p| p == "recording")
        .await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    app.kill_app();
    drop(app);
    tokio::time::sleep(Duration::from_secs(3)).await;

    let mut app = launch("station_resume_after", &data, &package).await?;
    app.wait_attr("screen-task", "data-phase", 20, |p| p == "recording")
        .await?;
    let notice = app.text("student-notice").await?;
    assert!(notice.contains("Запись ответа продолжается"), "{notice}");
    assert!(notice.contains("Осталось"), "{notice}");
    let alert = app.text("station-alert-recording_resumed").await?;
    app.shot("resumed-notice").await?;
    let gap: u64 = alert
        .split("пропуск в записи — ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{alert}"));
    assert!((3..=30).contains(&gap), "{alert}");
    app.quit().await?;
    Ok(())
}
