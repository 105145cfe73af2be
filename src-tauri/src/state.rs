//! Managed state: the station core and the kiosk's exit latch.

use std::{
    path::PathBuf,
    sync::atomic::{AtomicBool, Ordering},
};

use tauri::{AppHandle, Manager, Runtime};
use vpr_api::WindowMode;
use vpr_station::Station;

pub struct AppState {
    pub mode: WindowMode,
    pub station: Station,
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
        let station = Station::open(&dir)?;
        tracing::info!(dir = %dir.display(), ?mode, "station data directory");
        Ok(Self {
            mode,
            station,
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
