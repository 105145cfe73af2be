//! The coordinator's data commands (issues 11 and 13): the roster preview
//! and the import that skips invalid rows, the names scan of notes and the
//! correction of a note, the one-year purge with its dry run. Each is a few
//! lines over `vpr-coordinator`.

use std::path::PathBuf;

use tauri::State;
use vpr_api::CommandError;
use vpr_coordinator::{
    names_scan::NameHit,
    roster::{preview_roster_edited, RosterChoices, RosterImport, RosterPreview},
    PurgePreview,
};

use super::coordinator::with_db;
use crate::AppState;

/// The valid rows and the problems of a roster file with the coordinator's
/// fixes and skipped rows applied, nothing imported.
#[tauri::command]
pub async fn coordinator_roster_preview(
    state: State<'_, AppState>,
    path: String,
    choices: RosterChoices,
) -> Result<RosterPreview, CommandError> {
    let path = PathBuf::from(path.trim());
    with_db(&state, move |_db| {
        Ok(preview_roster_edited(&path, &choices)?)
    })
    .await
}

/// Import a roster as the coordinator fixed it (the file unchanged since the
/// preview: `sha256`); a problem left refuses it, nothing added.
#[tauri::command]
pub async fn coordinator_import_roster_edited(
    state: State<'_, AppState>,
    path: String,
    sha256: String,
    choices: RosterChoices,
) -> Result<RosterImport, CommandError> {
    let path = PathBuf::from(path.trim());
    with_db(&state, move |db| {
        Ok(db.import_roster_edited(&path, Some(&sha256), &choices)?)
    })
    .await
}

/// Import the valid rows of a roster file; the others come back by row.
#[tauri::command]
pub async fn coordinator_import_roster_valid(
    state: State<'_, AppState>,
    path: String,
) -> Result<RosterImport, CommandError> {
    let path = PathBuf::from(path.trim());
    with_db(&state, move |db| {
        Ok(db.import_roster_skipping_invalid(&path)?)
    })
    .await
}

#[tauri::command]
pub async fn coordinator_names_in_notes(
    state: State<'_, AppState>,
    work_id: i64,
) -> Result<Vec<NameHit>, CommandError> {
    with_db(&state, move |db| Ok(db.names_in_notes(work_id)?)).await
}

#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn coordinator_set_score_note(
    state: State<'_, AppState>,
    work_id: i64,
    code: u32,
    task: u32,
    round: u32,
    criterion: String,
    note: String,
) -> Result<(), CommandError> {
    with_db(&state, move |db| {
        Ok(db.set_score_note(work_id, code, task, round, &criterion, &note)?)
    })
    .await
}

/// What the purge would delete on `today` (default: the computer's date).
#[tauri::command]
pub async fn coordinator_purge_preview(
    state: State<'_, AppState>,
    today: Option<String>,
) -> Result<PurgePreview, CommandError> {
    with_db(&state, move |db| {
        Ok(db.purge_preview(&today.unwrap_or_else(vpr_coordinator::today))?)
    })
    .await
}

/// The purge itself, once the year has passed and the coordinator confirmed.
#[tauri::command]
pub async fn coordinator_purge(
    state: State<'_, AppState>,
    today: Option<String>,
    confirmed: bool,
) -> Result<(), CommandError> {
    with_db(&state, move |db| {
        Ok(db.purge_expired(&today.unwrap_or_else(vpr_coordinator::today), confirmed)?)
    })
    .await
}
