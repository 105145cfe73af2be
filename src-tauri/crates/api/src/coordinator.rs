//! Payloads of the coordinator window that are not the core's own types
//! (those — `School`, `Participant`, `Work`, `ImportReport`, … — come from
//! `vpr-coordinator` and are exported beside these).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Whether the coordinator's database exists and is open in this window.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CoordinatorStatus {
    pub exists: bool,
    pub open: bool,
    /// Where the database file lives.
    pub db_path: String,
}

/// One problem in an imported roster, by row and column (1-based, as a
/// spreadsheet shows them).
#[derive(Debug, Clone, Serialize, TS)]
pub struct RosterProblem {
    pub row: u32,
    pub column: String,
    pub message: String,
}

/// What a roster import did: participants added, or every problem found
/// (then nothing was added).
#[derive(Debug, Clone, Serialize, TS)]
pub struct RosterOutcome {
    pub added: u32,
    pub classes: Vec<String>,
    pub problems: Vec<RosterProblem>,
}

/// A work from the schedule, taken with its signed exam package (the same
/// `.vprpkg` the stations ran; subject and grade come from its signed header).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct WorkForm {
    /// ГГГГ-ММ-ДД
    pub date: String,
    pub reserve_dates: Vec<String>,
    pub upload_deadline: String,
    /// The `.vprpkg` file.
    pub package_file: String,
    /// The day password that opens its materials.
    pub password: String,
    pub stations_per_room: u32,
}

/// A station as a bundle names it, with its key and fingerprint (no command
/// returns it any more: stations are enrolled from their passports, never
/// from a bundle being imported).
#[derive(Debug, Clone, Serialize, TS)]
pub struct BundleStation {
    pub number: u32,
    pub room: String,
    pub public_key: String,
    pub fingerprint: String,
}

/// A printout the coordinator can save as PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Printout {
    /// The code sheet, cut apart and handed out.
    Codes,
    /// The paper protocol of one room (code ↔ name).
    Protocol,
    OrganizerInstructions,
    ExpertInstructions,
    /// Per-student result sheets for parents.
    ResultSheets,
}

/// Files written by an export.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SavedFiles {
    pub files: Vec<String>,
    pub rows: u32,
    pub warnings: Vec<String>,
}
