//! Payloads of the station (student) window.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which of the three modes a window runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WindowMode {
    Station,
    Technician,
    Coordinator,
}

/// What the station window needs to draw its first screen.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StationStatus {
    /// Title of the loaded package, e.g. «Английский язык, 7 класс (демонстрационный)».
    pub package_title: String,
    /// True when the loaded package is a demo/training package.
    pub demo: bool,
    /// Station number in the room, when the technician has set it.
    pub station_number: Option<u32>,
    /// Whether the organizer's exit PIN has been set.
    pub exit_pin_set: bool,
}

/// Answer to a well-formed participant code.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CodeAccepted {
    pub code: String,
}

/// Organizer's request to leave the kiosk.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ExitRequest {
    pub pin: String,
}
