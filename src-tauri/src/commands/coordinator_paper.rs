//! Paper works (issue 13 item 4): the entry grid by code, one value typed
//! from a sheet at a time (checked against the keys or its criterion's
//! range), and the log of every change. A few lines over `vpr-coordinator`.

use tauri::State;
use vpr_api::CommandError;
use vpr_coordinator::{
    paper::{EnteredBy, PaperGrid, PaperKeyTable, PaperLogEntry, PaperRow, PaperWorkDraft},
    Work,
};

use super::coordinator::with_db;
use crate::AppState;

/// The entry grid of a work: rows by participant code, a column per item and criterion.
#[tauri::command]
pub async fn coordinator_paper_grid(
    state: State<'_, AppState>,
    work_id: i64,
) -> Result<PaperGrid, CommandError> {
    with_db(&state, move |db| Ok(db.paper_grid(work_id)?)).await
}

/// Enter one value from a participant's sheet; the participant's row as checked.
#[tauri::command]
pub async fn coordinator_paper_enter(
    state: State<'_, AppState>,
    work_id: i64,
    code: u32,
    item: String,
    value: String,
    by: EnteredBy,
) -> Result<PaperRow, CommandError> {
    with_db(&state, move |db| {
        Ok(db.paper_enter(work_id, code, &item, &value, &by)?)
    })
    .await
}

/// Every change of the work's paper entries: who, when (UTC), old and new value.
#[tauri::command]
pub async fn coordinator_paper_log(
    state: State<'_, AppState>,
    work_id: i64,
) -> Result<Vec<PaperLogEntry>, CommandError> {
    with_db(&state, move |db| Ok(db.paper_log(work_id)?)).await
}

/// Add a paper work described in the window (tasks, marks, variants; no package).
#[tauri::command]
pub async fn coordinator_add_paper_work(
    state: State<'_, AppState>,
    draft: PaperWorkDraft,
) -> Result<Work, CommandError> {
    with_db(&state, move |db| Ok(db.add_paper_work(&draft)?)).await
}

/// Change a paper work described in the window while no result is in.
#[tauri::command]
pub async fn coordinator_update_paper_work(
    state: State<'_, AppState>,
    work_id: i64,
    draft: PaperWorkDraft,
) -> Result<Work, CommandError> {
    with_db(&state, move |db| Ok(db.update_paper_work(work_id, &draft)?)).await
}

/// Remove a work added by mistake (refused while anything belongs to it).
#[tauri::command]
pub async fn coordinator_remove_work(
    state: State<'_, AppState>,
    work_id: i64,
) -> Result<(), CommandError> {
    with_db(&state, move |db| Ok(db.remove_work(work_id)?)).await
}

/// The keys of a work described without a package, as the window edits them.
#[tauri::command]
pub async fn coordinator_paper_key_table(
    state: State<'_, AppState>,
    work_id: i64,
) -> Result<PaperKeyTable, CommandError> {
    with_db(&state, move |db| Ok(db.paper_key_table(work_id)?)).await
}

/// Store the keys typed for a work described without a package.
#[tauri::command]
pub async fn coordinator_set_paper_keys(
    state: State<'_, AppState>,
    work_id: i64,
    table: PaperKeyTable,
) -> Result<Work, CommandError> {
    with_db(&state, move |db| Ok(db.set_paper_keys(work_id, &table)?)).await
}

/// The variant and adapted version written on a participant's sheet.
#[tauri::command]
pub async fn coordinator_paper_sheet(
    state: State<'_, AppState>,
    work_id: i64,
    code: u32,
    variant: u32,
    version: Option<String>,
    by: EnteredBy,
) -> Result<PaperRow, CommandError> {
    with_db(&state, move |db| {
        Ok(db.paper_set_sheet(work_id, code, variant, version.as_deref(), &by)?)
    })
    .await
}
