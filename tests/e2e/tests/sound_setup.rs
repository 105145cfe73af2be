//! The technician's sound set-up (`audio.json`) in the real app: a corrupt
//! file is a blocking alert to the organizer on the station window (the
//! exam does not start, the log names the file), never a silent default;
//! once the technician has saved it again the station opens on the code
//! entry screen.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use vpr_e2e::{workspace_root, App, Launch, Result};

const ORGANIZER_PIN: &str = "246813";

async fn launch(name: &str, data: &Path) -> Result<App> {
    let package = workspace_root().join("audio-fixtures/packages/en-7");
    App::launch(
        name,
        Launch {
            data_dir: Some(data.to_path_buf()),
            env: vec![("VPR_PACKAGE_DIR".into(), package.display().to_string())],
            prepare: Some(Box::new(|dir| {
                let access = vpr_access::AccessStore::open(dir)?;
                if !access.is_set(vpr_access::PinRole::Organizer) {
                    access.set(vpr_access::PinRole::Organizer, ORGANIZER_PIN)?;
                }
                Ok(())
            })),
            ..Launch::default()
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_corrupt_sound_set_up_blocks_the_station_until_it_is_saved_again() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data)?;
    let settings = data.join("audio.json");
    // Cut off in the middle of a write by hand or a failing disk.
    std::fs::write(&settings, br#"{"input": "alsa:pulse", "volume": "#)?;

    let mut app = launch("sound_setup_corrupt", &data).await?;
    let alert = app.by_testid("load-error").await?;
    let text = alert.text().await?;
    assert!(text.contains("Настройки звука"), "{text}");
    assert!(text.contains("audio.json"), "{text}");
    assert_eq!(alert.attr("role").await?.as_deref(), Some("alert"));
    app.shot("blocked").await?;
    // Nothing to start: the student has no code entry screen.
    let screen = app
        .by_testid("station")
        .await?
        .attr("data-screen")
        .await?
        .unwrap_or_default();
    assert_ne!(screen, "code_entry", "the exam must not start");
    // The organizer can still leave the kiosk with the PIN.
    assert!(app.by_testid("organizer-open").await.is_ok());
    app.quit().await?;

    // The technician saves the set-up again: the station opens.
    vpr_audio::AudioSettings {
        input: None,
        output: None,
        volume: 0.8,
    }
    .save(&settings)?;
    let mut app = launch("sound_setup_fixed", &data).await?;
    app.wait_attr("station", "data-screen", 30, |s| s == "code_entry")
        .await?;
    app.shot("code-entry").await?;
    app.quit().await?;
    Ok(())
}
