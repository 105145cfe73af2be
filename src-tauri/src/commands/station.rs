use tauri::{AppHandle, Runtime, State};
use vpr_api::{CodeAccepted, CommandError, OrganizerAction, StationStatus, StudentAction};
use vpr_exam::session::SessionView;

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

#[tauri::command]
pub async fn station_view(state: State<'_, AppState>) -> Result<SessionView, CommandError> {
    Ok(state.station.exam()?.view())
}

#[tauri::command]
pub async fn station_act(
    state: State<'_, AppState>,
    action: StudentAction,
) -> Result<SessionView, CommandError> {
    Ok(state.station.exam()?.act(action)?)
}

#[tauri::command]
pub async fn station_organizer<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    pin: String,
    action: OrganizerAction,
) -> Result<SessionView, CommandError> {
    let view = state.station.organizer(&pin, &action)?;
    if action == OrganizerAction::Exit {
        state.authorize_exit();
        app.exit(0);
    }
    Ok(view)
}

#[tauri::command]
pub async fn station_media(
    state: State<'_, AppState>,
    path: String,
) -> Result<String, CommandError> {
    Ok(state.station.media_data_url(&path)?)
}

/// The page painted its first screen: logged with the time since start
/// (`vpr bench startup` waits for this line).
#[tauri::command]
pub fn station_rendered(screen: String) {
    let ms = crate::started().elapsed().as_millis();
    tracing::info!(screen = %screen, since_start_ms = ms as u64, "ui rendered");
}
