//! Managed state: the station core and the kiosk's exit latch.

use std::{
    path::PathBuf,
    sync::atomic::{AtomicBool, Ordering},
};

use tauri::{AppHandle, Emitter, Manager, Runtime};
use vpr_api::WindowMode;
use vpr_station::{fixtures, ExamConfig, Notice, Notifier, Station};

pub struct AppState {
    pub mode: WindowMode,
    pub station: Station,
    pub coordinator: crate::commands::coordinator::CoordinatorState,
    exit_authorized: AtomicBool,
}

impl AppState {
    /// Data live in `VPR_DATA_DIR` when set (tests, portable installs),
    /// otherwise in the platform's app data directory.
    pub fn open<R: Runtime>(
        app: &AppHandle<R>,
        mode: WindowMode,
    ) -> Result<Self, Box<dyn std::error::Error>> {
        let dir = match std::env::var_os("VPR_DATA_DIR") {
            Some(d) => PathBuf::from(d),
            None => app.path().app_data_dir()?,
        };
        let mut station = Station::open(&dir)?;
        tracing::info!(dir = %dir.display(), ?mode, "station data directory");
        if mode == WindowMode::Station {
            let resources: Vec<PathBuf> = app
                .path()
                .resource_dir()
                .map(|d| vec![d.join("audio-fixtures")])
                .unwrap_or_default();
            let fixtures = fixtures::fixtures_dir(&resources);
            let package_dir = fixtures::package_dir(station.layout(), fixtures.as_deref())
                .ok_or("no exam package: set VPR_PACKAGE_DIR or install the training package")?;
            let audio = vpr_audio::AudioSettings::load(&station.layout().audio_settings())
                .unwrap_or_default();
            let config = ExamConfig {
                package_dir,
                data_dir: dir.clone(),
                headset_phrase: fixtures.map(|f| f.join(fixtures::HEADSET_PHRASE)),
                input: audio.input,
                output: audio.output,
                volume: audio.volume,
                headset_seconds: 3,
            };
            station.start_exam(config, notifier(app))?;
        }
        Ok(Self {
            mode,
            station,
            coordinator: Default::default(),
            exit_authorized: AtomicBool::new(false),
        })
    }

    pub fn authorize_exit(&self) {
        self.exit_authorized.store(true, Ordering::SeqCst);
    }

    pub fn exit_authorized(&self) -> bool {
        self.exit_authorized.load(Ordering::SeqCst)
    }
}

/// Pushes the station's notices to the station window as events.
fn notifier<R: Runtime>(app: &AppHandle<R>) -> Notifier {
    let app = app.clone();
    std::sync::Arc::new(move |notice| {
        let label = WindowMode::Station.label();
        let sent = match notice {
            Notice::View(view) => app.emit_to(label, "station://view", view),
            Notice::Level(level) => app.emit_to(label, "station://level", level),
            Notice::Alert(alert) => app.emit_to(label, "station://alert", alert),
        };
        if let Err(e) = sent {
            tracing::debug!("event not delivered: {e}");
        }
    })
}
