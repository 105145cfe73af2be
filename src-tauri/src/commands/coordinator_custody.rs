//! The coordinator's chain-of-custody commands (issue 11): the issuer trust
//! list, station enrolment from a passport, held sessions and receipts.
//! Each is a few lines over `vpr-coordinator`.

use std::path::PathBuf;

use tauri::State;
use vpr_api::CommandError;
use vpr_coordinator::{
    custody::{HeldSession, ReceiptRow, Resolution, TrustedIssuer},
    Station,
};

use super::coordinator::with_db;
use crate::AppState;

#[tauri::command]
pub async fn coordinator_issuers(
    state: State<'_, AppState>,
) -> Result<Vec<TrustedIssuer>, CommandError> {
    with_db(&state, move |db| Ok(db.issuers()?)).await
}

#[tauri::command]
pub async fn coordinator_import_issuer(
    state: State<'_, AppState>,
    path: String,
    label: String,
) -> Result<TrustedIssuer, CommandError> {
    let path = PathBuf::from(path.trim());
    with_db(&state, move |db| Ok(db.import_issuer_file(&path, &label)?)).await
}

#[tauri::command]
pub async fn coordinator_remove_issuer(
    state: State<'_, AppState>,
    fingerprint: String,
) -> Result<(), CommandError> {
    with_db(&state, move |db| Ok(db.remove_issuer(fingerprint.trim())?)).await
}

#[tauri::command]
pub async fn coordinator_enrol_station(
    state: State<'_, AppState>,
    room_id: i64,
    path: String,
) -> Result<Station, CommandError> {
    let path = PathBuf::from(path.trim());
    with_db(&state, move |db| Ok(db.enrol_station_file(room_id, &path)?)).await
}

#[tauri::command]
pub async fn coordinator_held(
    state: State<'_, AppState>,
    work_id: i64,
) -> Result<Vec<HeldSession>, CommandError> {
    with_db(&state, move |db| Ok(db.held_sessions(work_id)?)).await
}

#[tauri::command]
pub async fn coordinator_resolve_held(
    state: State<'_, AppState>,
    id: i64,
    resolution: Resolution,
) -> Result<(), CommandError> {
    with_db(&state, move |db| Ok(db.resolve_held(id, &resolution)?)).await
}

#[tauri::command]
pub async fn coordinator_receipts(
    state: State<'_, AppState>,
    work_id: i64,
) -> Result<Vec<ReceiptRow>, CommandError> {
    with_db(&state, move |db| Ok(db.receipts(work_id)?)).await
}

#[tauri::command]
pub async fn coordinator_enter_receipt(
    state: State<'_, AppState>,
    work_id: i64,
    code: u32,
    receipt: String,
) -> Result<ReceiptRow, CommandError> {
    with_db(&state, move |db| {
        Ok(db.enter_receipt(work_id, code, &receipt)?)
    })
    .await
}
