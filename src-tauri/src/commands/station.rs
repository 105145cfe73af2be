//! The station (student) window's commands: each a few lines over
//! `vpr_station::Station`; PIN checks and disk writes go through
//! [`super::blocking`].

use tauri::{AppHandle, Manager, Runtime, State};
use vpr_api::{CommandError, OrganizerAction, StationStatus, StudentAction};
use vpr_station::SessionView;

use super::blocking;
use crate::AppState;

#[tauri::command]
pub fn station_status(state: State<'_, AppState>) -> Result<StationStatus, CommandError> {
    Ok(state.station()?.status())
}

#[tauri::command]
pub async fn station_request_exit<R: Runtime>(
    app: AppHandle<R>,
    pin: String,
) -> Result<(), CommandError> {
    let handle = app.clone();
    blocking(move || -> Result<(), CommandError> {
        Ok(handle.state::<AppState>().station()?.authorize_exit(&pin)?)
    })
    .await?;
    app.state::<AppState>().authorize_exit();
    app.exit(0);
    Ok(())
}

#[tauri::command]
pub async fn station_view(state: State<'_, AppState>) -> Result<SessionView, CommandError> {
    Ok(state.station()?.exam()?.view())
}

#[tauri::command]
pub async fn station_act<R: Runtime>(
    app: AppHandle<R>,
    action: StudentAction,
) -> Result<SessionView, CommandError> {
    blocking(move || -> Result<SessionView, CommandError> {
        Ok(app.state::<AppState>().station()?.exam()?.act(action)?)
    })
    .await
}

#[tauri::command]
pub async fn station_organizer<R: Runtime>(
    app: AppHandle<R>,
    pin: String,
    action: OrganizerAction,
) -> Result<SessionView, CommandError> {
    let exit = action == OrganizerAction::Exit;
    let handle = app.clone();
    let view = blocking(move || -> Result<SessionView, CommandError> {
        Ok(handle
            .state::<AppState>()
            .station()?
            .organizer(&pin, &action)?)
    })
    .await?;
    if exit {
        app.state::<AppState>().authorize_exit();
        app.exit(0);
    }
    Ok(view)
}

#[tauri::command]
pub async fn station_media<R: Runtime>(
    app: AppHandle<R>,
    path: String,
) -> Result<String, CommandError> {
    blocking(move || -> Result<String, CommandError> {
        Ok(app.state::<AppState>().station()?.media_data_url(&path)?)
    })
    .await
}

/// The page painted its first screen: logged with the time since start
/// (`vpr bench startup` waits for this line).
#[tauri::command]
pub fn station_rendered(screen: String) {
    let ms = crate::started().elapsed().as_millis();
    tracing::info!(screen = %screen, since_start_ms = ms as u64, "ui rendered");
}
