//! Managed state: the station core, what only the running mode needs
//! ([`ModeState`]), and the kiosk's exit latch.
//!
//! The station ([`Station`]: the data folder's layout and the PINs) is
//! opened in every mode; only station mode starts the exam in it, only
//! technician mode has the technician's desk. The coordinator's state is
//! still a field of its own (the coordinator's commands reach it as
//! `state.coordinator`); moving it into [`ModeState::Coordinator`] needs
//! those commands to ask [`AppState::mode_state`] instead.

use std::{
    path::PathBuf,
    sync::atomic::{AtomicBool, Ordering},
};

use tauri::{AppHandle, Emitter, Manager, Runtime};
use vpr_api::{CommandError, Severity, WindowMode};
use vpr_station::{fixtures, Notice, Notifier, Station, Technician};

/// What only the running mode holds.
pub enum ModeState {
    /// The exam runs inside [`AppState::station`].
    Station,
    /// The technician's desk (PIN latch, one audio job at a time).
    Technician(Technician),
    Coordinator,
}

pub struct AppState {
    pub mode: WindowMode,
    pub station: Station,
    pub coordinator: crate::commands::coordinator::CoordinatorState,
    mode_state: ModeState,
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
        let mode_state = match mode {
            WindowMode::Station => {
                let fixtures = fixtures_dir(app);
                station.start_station_mode(fixtures.as_deref(), notifier(app))?;
                ModeState::Station
            }
            WindowMode::Technician => {
                ModeState::Technician(Technician::new(station.layout().clone()))
            }
            WindowMode::Coordinator => ModeState::Coordinator,
        };
        Ok(Self {
            mode,
            station,
            coordinator: Default::default(),
            mode_state,
            exit_authorized: AtomicBool::new(false),
        })
    }

    pub fn mode_state(&self) -> &ModeState {
        &self.mode_state
    }

    /// The technician's desk; refused outside technician mode.
    pub fn technician(&self) -> Result<&Technician, CommandError> {
        match &self.mode_state {
            ModeState::Technician(desk) => Ok(desk),
            _ => Err(CommandError::new(
                "wrong_mode",
                "Эта команда доступна только в режиме технического специалиста",
                Severity::NonBlocking,
            )),
        }
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
