//! Types shared with the UI and the error shape every command returns.
//!
//! TypeScript declarations for these types (and for the domain types the
//! other crates mark with `#[derive(TS)]`) are generated into
//! `ui/src/bindings/` and checked for drift by `tests/bindings.rs`.

mod commands;
mod coordinator;
mod coordinator_commands;

mod station;
mod technician;
mod technician_commands;

pub use commands::{all_commands, typescript_commands, CommandSpec, EVENTS, STATION_COMMANDS};
pub use coordinator::{
    BundleStation, CoordinatorStatus, Printout, RosterOutcome, RosterProblem, SavedFiles, WorkForm,
};
pub use coordinator_commands::COORDINATOR_COMMANDS;
pub use station::WindowMode;
pub use technician::{
    AudioCheck, AudioDevice, AudioSetup, BundleExported, DiskClock, PackageFile, PackageInfo,
    PinRoleName, PinsStatus, SetPin, StationIdentity, StationReport, TrainingCleared,
    TrainingStart,
};
pub use technician_commands::TECHNICIAN_COMMANDS;
pub use vpr_error::{Coded, CommandError, Severity};
pub use vpr_station::{LevelMeter, OrganizerAction, StationAlert, StationStatus, StudentAction};
