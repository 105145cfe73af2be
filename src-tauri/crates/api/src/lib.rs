//! The schema crate: what the UI and the shell agree on.
//!
//! * **The command table** ([`command_table!`]): every `#[tauri::command]`
//!   with its window mode, its arguments and its result as Rust types. From
//!   it come [`COMMANDS`] (and so the shell's per-mode permission sets, written
//!   by `src-tauri/build.rs`), the shell's `generate_handler!` list and
//!   `HANDLER_NAMES` (the shell expands the same macro), and
//!   `ui/src/bindings/commands.ts` (a typed function per command; TypeScript
//!   names come from `ts_rs::TS`, so renaming a Rust type changes all of them).
//! * **Events** ([`EVENTS`]): name, window and payload type of everything the
//!   shell emits.
//! * **Types the UI sees**: re-exported from the core crates (never copied),
//!   plus the few payloads only a window needs.
//! * **Error codes**: [`typescript_error_codes`] writes `ErrorCode.ts`, the
//!   union of every code a `vpr_error::Coded` error returns (gathered by
//!   `vpr-bindings`), so the UI compares codes typed.
//!
//! # Adding a command
//! 1. Write the `#[tauri::command]` fn in the shell's
//!    `src-tauri/src/commands/<mode>.rs` (or a submodule re-exported there):
//!    it must be reachable as `commands::<mode>::<name>`, named `<mode>_…`.
//! 2. Add one line to this crate's `<mode>_commands.rs`:
//!    `<name>(arg: RustType, …) -> RustResult,` — the arguments the UI
//!    passes (not `State`/`AppHandle`), in the fn's order, with its types;
//!    `()` for no result. Types must implement `ts_rs::TS` and be exported
//!    from this crate's root (re-export core types in `lib.rs`).
//! 3. `UPDATE_BINDINGS=1 cargo test -p vpr-bindings` regenerates
//!    `ui/src/bindings/`; commit them. The handler list, the permissions and
//!    the window's capability follow by themselves; the shell's
//!    `tests/table.rs` fails if anything disagrees.
//!
//! Removing a command is the same in reverse; a table line without its fn
//! (or a fn without its line) fails to compile or fails the shell's tests.

mod author;
mod author_commands;
mod commands;
mod coordinator;
mod coordinator_commands;
mod error_codes;
mod events;
mod station;
mod station_commands;
mod table;
mod technician;
mod technician_commands;

pub use author::{
    AddedMedia, AuthorProblem, AuthorStatus, BuiltPackage, Language, MediaKind, MediaReceived,
    MediaSlot, ProblemSource, RecorderCheck, SchoolKey, TaskKind, TaskPreview, TaskScreen,
    Template, WorkSummary, WorkView,
};
pub use commands::{export_table_types, permission_sets, typescript_commands};
pub use coordinator::{
    BundleStation, CoordinatorStatus, Printout, RosterOutcome, RosterProblem, SavedFiles, WorkForm,
};
pub use error_codes::typescript_error_codes;
pub use events::{
    EVENTS, KIOSK_CLOSE_REFUSED, STATION_ALERT, STATION_HEADSET, STATION_LEVEL, STATION_VIEW,
    TECHNICIAN_LEVEL,
};
pub use station::WindowMode;
pub use table::{all_commands, Arg, CommandSpec, EventSpec, Import, TsType, COMMANDS};
pub use technician::{
    AudioCheck, AudioDevice, AudioSetup, BundleExported, CheckStatus, DiskClock, PackageFile,
    PackageInfo, PinRoleName, PinsStatus, ReadinessCheck, SetPin, StationIdentity, StationReport,
    TrainingCleared, TrainingStart, TrustedKey,
};
pub use technician::{ExportPreview, ExportWork};
pub use vpr_coordinator::custody::{HeldSession, ReceiptRow, Resolution, TrustedIssuer};
pub use vpr_coordinator::official_form::{FormAnswer, FormMapping, OfficialForm};
pub use vpr_coordinator::paper::{
    EnteredBy, PaperGrid, PaperKeyTable, PaperLogEntry, PaperRow, PaperWorkDraft,
};
pub use vpr_coordinator::{
    import::{ImportReport, RoomBoard},
    scoring::{AssignmentReport, CriterionScore, ExpertItem, MediaBytes, TaskMaterial},
    stats::WorkStats,
    Absence, NewStaff, Participant, Room, School, Slot, StaffMember, Station, Work,
};
pub use vpr_coordinator::{
    names_scan::NameHit,
    roster::{RosterChoices, RosterImport, RosterPreview},
    PurgePreview,
};
pub use vpr_coordinator::{CodeOrder, CodesImport, CrossPackage, CrossScore};
pub use vpr_error::{Coded, CommandError, Severity};
pub use vpr_exam::session::SessionView;
pub use vpr_station::passport::PassportWritten;
pub use vpr_station::{
    HeadsetStep, LevelMeter, OrganizerAction, StationAlert, StationStatus, StudentAction,
};

/// Expands the whole command table into `$callback! { … }`:
///
/// ```text
/// author = Author [ author_status() -> AuthorStatus, … ]
/// station = Station [ station_status() -> StationStatus, … ]
/// technician = Technician [ … ]
/// coordinator = Coordinator [ … ]
/// ```
///
/// i.e. `module = WindowMode [ name(arg: Type, …) -> Type, … ]` per mode.
/// This crate builds [`COMMANDS`] from it; the shell builds its
/// `generate_handler!` list and `HANDLER_NAMES` from it.
#[macro_export]
macro_rules! command_table {
    ($callback:ident) => {
        $crate::__author_commands! { $callback; }
    };
}
