//! Managed state: the station core and the kiosk's exit latch.

use std::{
    path::PathBuf,
    sync::atomic::{AtomicBool, Ordering},
};

use tauri::{AppHandle, Emitter, Manager, Runtime};
use vpr_api::WindowMode;
use vpr_station::{fixtures, Notice, Notifier, Station};

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
            let fixtures = fixtures_dir(app);
            station.start_station_mode(fixtures.as_deref(), notifier(app))?;
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

/// The training package and the headset phrase: the installed app's
/// resources, else the source tree (see `vpr_station::fixtures`).
pub fn fixtures_dir<R: Runtime>(app: &AppHandle<R>) -> Option<PathBuf> {
    let resources: Vec<PathBuf> = app
        .path()
        .resource_dir()
        .map(|d| vec![d.join("audio-fixtures")])
        .unwrap_or_default();
    fixtures::fixtures_dir(&resources)
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
