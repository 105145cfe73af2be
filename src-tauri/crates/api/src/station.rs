//! Payloads of the station (student) window.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which of the four modes a window runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WindowMode {
    Station,
    Technician,
    Coordinator,
    /// The author's workspace: works built from templates, signed and encrypted.
    Author,
}
