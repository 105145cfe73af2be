//! Managed state: only what the running mode needs ([`ModeState`]) and the
//! kiosk's exit latch.
//!
//! Station mode opens the station ([`Station`]: the data folder's layout,
//! the PINs) and starts the exam in it; technician mode opens the same
//! station and the technician's desk; coordinator mode opens neither — only
//! the coordinator's own folder ([`CoordinatorState`]), never inside the
//! station's; author mode only the author's workspace ([`AuthorState`]). A command of another mode gets `wrong_mode`.

use std::{
    path::PathBuf,
    sync::atomic::{AtomicBool, Ordering},
};

use tauri::{AppHandle, Emitter, Manager, Runtime};
use vpr_api::{CommandError, Severity, WindowMode};
use vpr_coordinator::CoordinatorLayout;
use vpr_station::{fixtures, Notice, Notifier, Station, Technician};

use crate::commands::{author::AuthorState, coordinator::CoordinatorState};

/// What only the running mode holds.
pub enum ModeState {
    Station(Station),
    Technician { station: Station, desk: Technician },
    Coordinator(CoordinatorState),
    Author(AuthorState),
}

pub struct AppState {
    pub mode: WindowMode,
    mode_state: ModeState,
    exit_authorized: AtomicBool,
}

fn wrong_mode(which: &str) -> CommandError {
    CommandError::new(
        "wrong_mode",
        format!("Эта команда доступна только в режиме {which}"),
        Severity::NonBlocking,
    )
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
        tracing::info!(dir = %dir.display(), ?mode, "data directory");
        let mode_state = match mode {
            WindowMode::Station => {
                let mut station = Station::open(&dir)?;
                let fixtures = fixtures_dir(app);
                station.start_station_mode(fixtures.as_deref(), notifier(app))?;
                ModeState::Station(station)
            }
            WindowMode::Technician => {
                let station = Station::open(&dir)?;
                let desk = Technician::new(station.layout().clone());
                ModeState::Technician { station, desk }
            }
            WindowMode::Coordinator => {
                ModeState::Coordinator(CoordinatorState::new(CoordinatorLayout::for_app(&dir)))
            }
            WindowMode::Author => ModeState::Author(AuthorState::new(&dir)),
        };
        Ok(Self {
            mode,
            mode_state,
            exit_authorized: AtomicBool::new(false),
        })
    }

    /// The station of station and technician mode.
    pub fn station(&self) -> Result<&Station, CommandError> {
        match &self.mode_state {
            ModeState::Station(station) | ModeState::Technician { station, .. } => Ok(station),
            _ => Err(wrong_mode("станции или технического специалиста")),
        }
    }

    pub fn technician(&self) -> Result<&Technician, CommandError> {
        match &self.mode_state {
            ModeState::Technician { desk, .. } => Ok(desk),
            _ => Err(wrong_mode("технического специалиста")),
        }
    }

    pub fn coordinator(&self) -> Result<&CoordinatorState, CommandError> {
        match &self.mode_state {
            ModeState::Coordinator(c) => Ok(c),
            _ => Err(wrong_mode("координатора")),
        }
    }

    pub fn author(&self) -> Result<&AuthorState, CommandError> {
        match &self.mode_state {
            ModeState::Author(a) => Ok(a),
            _ => Err(wrong_mode("автора работ")),
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
            Notice::Headset(step) => app.emit_to(label, "station://headset", step),
        };
        if let Err(e) = sent {
            tracing::debug!("event not delivered: {e}");
        }
    })
}
