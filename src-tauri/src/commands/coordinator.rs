use tauri::State;

use crate::AppState;

/// Where the coordinator's data live (shown on the home screen).
#[tauri::command]
pub fn coordinator_about(state: State<'_, AppState>) -> String {
    state.station.data_dir().root().display().to_string()
}
