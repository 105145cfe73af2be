//! The station window's walk helpers shared by the screen tests: launching
//! it on a package folder with the organizer's PIN set, waiting for a screen,
//! a look (layout check and screenshot), speaking into the microphone.

use std::{
    path::Path,
    process::{Child, Command},
    time::Duration,
};

use crate::{layout::assert_layout, workspace_root, App, Launch, Result};

/// The organizer's PIN the walks set before the app starts.
pub const ORGANIZER_PIN: &str = "274915";

/// The English answer fixture played into the virtual microphone `vmic`.
pub fn speak() -> std::io::Result<Child> {
    let wav = workspace_root().join("audio-fixtures/speech/answer-en.wav");
    Command::new("paplay").args(["-d", "vmic"]).arg(wav).spawn()
}

/// The station on the package folder `package`, in a `width`×`height` window.
pub async fn launch(name: &str, package: &Path, width: u32, height: u32) -> Result<App> {
    App::launch(
        name,
        Launch {
            width,
            height,
            env: vec![("VPR_PACKAGE_DIR".into(), package.display().to_string())],
            prepare: Some(Box::new(|dir| {
                let access = vpr_access::AccessStore::open(dir)?;
                access.set(vpr_access::PinRole::Organizer, ORGANIZER_PIN)?;
                Ok(())
            })),
            ..Launch::default()
        },
    )
    .await
}

/// Wait until the station shows screen `want` (the part of `data-screen` before «:»).
pub async fn wait_screen(app: &App, want: &str, secs: u64) -> Result<String> {
    app.wait_attr("station", "data-screen", secs, |s| {
        s.split(':').next() == Some(want)
    })
    .await
}

/// Check the layout, then save a screenshot named after the screen.
pub async fn look(app: &mut App, what: &str) -> Result<()> {
    // Let a transition or a font settle.
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.shot(what).await?;
    assert_layout(app, what).await
}
