//! The technician's side of the chain of custody: the issuer trust list of
//! the packages screen (inspect a `.pub` file's fingerprint, add, remove)
//! and the station passport. A few lines each over `vpr-station`.

use tauri::{AppHandle, Manager, Runtime};
use vpr_api::{CommandError, PassportWritten, TrustedKey};
use vpr_station::{packages::trust, passport, StationLayout};

use super::blocking;
use crate::AppState;

type Result<T> = std::result::Result<T, CommandError>;

/// The data folder, once the technician's PIN opened the desk.
fn open<R: Runtime>(app: &AppHandle<R>) -> Result<StationLayout> {
    Ok(app.state::<AppState>().technician()?.open()?.clone())
}

/// The trust list, the demo key first (training packages only).
#[tauri::command]
pub async fn technician_trust_list<R: Runtime>(app: AppHandle<R>) -> Result<Vec<TrustedKey>> {
    let l = open(&app)?;
    blocking(move || trust::list(&l)).await
}

/// A `.pub` file's key and fingerprint, to compare with the printed one
/// before adding it.
#[tauri::command]
pub async fn technician_trust_inspect<R: Runtime>(
    app: AppHandle<R>,
    path: String,
) -> Result<TrustedKey> {
    open(&app)?;
    blocking(move || trust::inspect(std::path::Path::new(path.trim()))).await
}

#[tauri::command]
pub async fn technician_trust_add<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    label: Option<String>,
) -> Result<TrustedKey> {
    let l = open(&app)?;
    blocking(move || trust::add(&l, std::path::Path::new(path.trim()), label.as_deref())).await
}

#[tauri::command]
pub async fn technician_trust_remove<R: Runtime>(
    app: AppHandle<R>,
    fingerprint: String,
) -> Result<TrustedKey> {
    let l = open(&app)?;
    blocking(move || trust::remove(&l, &fingerprint)).await
}

/// Write the station passport and its printable page into `folder`.
#[tauri::command]
pub async fn technician_export_passport<R: Runtime>(
    app: AppHandle<R>,
    folder: String,
) -> Result<PassportWritten> {
    let l = open(&app)?;
    blocking(move || passport::export(&l, &folder)).await
}
