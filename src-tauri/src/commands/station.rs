use tauri::{AppHandle, Runtime, State};
use vpr_api::{CodeAccepted, CommandError, StationStatus};

use crate::AppState;

#[tauri::command]
pub fn station_status(state: State<'_, AppState>) -> StationStatus {
    state.station.status()
}

#[tauri::command]
pub fn station_submit_code(
    state: State<'_, AppState>,
    code: String,
) -> Result<CodeAccepted, CommandError> {
    Ok(state.station.submit_code(&code)?)
}

#[tauri::command]
pub fn station_request_exit<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    pin: String,
) -> Result<(), CommandError> {
    state.station.authorize_exit(&pin)?;
    state.authorize_exit();
    app.exit(0);
    Ok(())
}
