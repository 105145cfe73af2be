//! Thin `#[tauri::command]` wrappers, one module per window mode. Each one
//! calls the core and converts its error into `vpr_api::CommandError`.

pub mod coordinator;
pub mod station;
pub mod technician;
