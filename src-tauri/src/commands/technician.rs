use tauri::State;
use vpr_access::PinRole;
use vpr_api::{CommandError, PinRoleName, PinsStatus};

use crate::AppState;

fn pins(state: &AppState) -> PinsStatus {
    let access = state.station.access();
    PinsStatus {
        organizer_set: access.is_set(PinRole::Organizer),
        technician_set: access.is_set(PinRole::Technician),
    }
}

#[tauri::command]
pub fn technician_pins_status(state: State<'_, AppState>) -> PinsStatus {
    pins(&state)
}

/// First run: the technician sets both PINs. Later changes need the
/// technician PIN.
#[tauri::command]
pub fn technician_set_pin(
    state: State<'_, AppState>,
    role: PinRoleName,
    pin: String,
    current_technician_pin: Option<String>,
) -> Result<PinsStatus, CommandError> {
    let access = state.station.access();
    if access.is_set(PinRole::Technician) {
        access.verify(
            PinRole::Technician,
            current_technician_pin.as_deref().unwrap_or_default(),
        )?;
    }
    let role = match role {
        PinRoleName::Organizer => PinRole::Organizer,
        PinRoleName::Technician => PinRole::Technician,
    };
    access.set(role, &pin)?;
    Ok(pins(&state))
}
