//! Payloads of the technician window.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A role whose PIN the technician sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PinRoleName {
    Organizer,
    Technician,
}

/// Which PINs are set on this station.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PinsStatus {
    pub organizer_set: bool,
    pub technician_set: bool,
}

/// Set one PIN; once the technician PIN exists, changing any PIN needs it.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct SetPin {
    pub role: PinRoleName,
    pub pin: String,
    pub current_technician_pin: Option<String>,
}
