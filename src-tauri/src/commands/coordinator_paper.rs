//! Paper works (issue 13 item 4): the entry grid by code, one value typed
//! from a sheet at a time (checked against the keys or its criterion's
//! range), and the log of every change. A few lines over `vpr-coordinator`.

use tauri::State;
use vpr_api::CommandError;
use vpr_coordinator::paper::{EnteredBy, PaperGrid, PaperLogEntry, PaperRow};

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
