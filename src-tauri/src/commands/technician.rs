//! The technician window's commands: PINs (first run sets both), then, after
//! the technician's PIN, the desk (`technician/desk.rs`): identity, sound,
//! disk and clock, packages, training, export, status.

mod desk;
mod error;

use std::{path::PathBuf, sync::mpsc};

use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use vpr_access::PinRole;
use vpr_api::{
    AudioCheck, AudioSetup, BundleExported, CommandError, DiskClock, LevelMeter, PackageFile,
    PackageInfo, PinRoleName, PinsStatus, StationIdentity, StationReport, TrainingCleared,
    TrainingStart, WindowMode,
};
use vpr_audio::AudioEvent;

use self::{
    desk::Desk,
    error::{DeskError, Result},
};
use super::blocking;
use crate::AppState;

/// Level events for the technician's meter.
pub const LEVEL_EVENT: &str = "technician://level";

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
pub async fn technician_set_pin<R: Runtime>(
    app: AppHandle<R>,
    role: PinRoleName,
    pin: String,
    current_technician_pin: Option<String>,
) -> std::result::Result<PinsStatus, CommandError> {
    blocking(move || {
        let state = app.state::<AppState>();
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
        Ok::<_, DeskError>(pins(&state))
    })
    .await
}

/// The desk of this app run (created on first use).
fn desk<R: Runtime>(app: &AppHandle<R>, state: &AppState) -> Desk {
    if let Some(d) = app.try_state::<Desk>() {
        return d.inner().clone();
    }
    let d = Desk::new(state.station.data_dir().root().to_path_buf());
    app.manage(d.clone());
    app.try_state::<Desk>().map_or(d, |s| s.inner().clone())
}

/// The desk, once the technician's PIN opened it.
fn open_desk<R: Runtime>(app: &AppHandle<R>, state: &AppState) -> Result<Desk> {
    let d = desk(app, state);
    d.require_unlocked()?;
    Ok(d)
}

/// Forward the audio engine's levels to the technician window's meter.
fn level_events<R: Runtime>(app: &AppHandle<R>) -> mpsc::Sender<AudioEvent> {
    let (tx, rx) = mpsc::channel();
    let app = app.clone();
    std::thread::spawn(move || {
        while let Ok(event) = rx.recv() {
            if let AudioEvent::Level { rms_dbfs, peak } = event {
                let level = LevelMeter {
                    level: ((rms_dbfs + 60.0) / 60.0).clamp(0.0, 1.0),
                    clipping: peak >= 0.99,
                };
                if let Err(e) = app.emit_to(WindowMode::Technician.label(), LEVEL_EVENT, level) {
                    tracing::debug!("level not delivered: {e}");
                }
            }
        }
    });
    tx
}

fn fixtures<R: Runtime>(app: &AppHandle<R>) -> Option<PathBuf> {
    let resources: Vec<PathBuf> = app
        .path()
        .resource_dir()
        .map(|d| vec![d.join("audio-fixtures")])
        .unwrap_or_default();
    vpr_station::fixtures::fixtures_dir(&resources)
}

/// Every visit after the first run starts with the technician's PIN.
#[tauri::command]
pub async fn technician_login<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    pin: String,
) -> std::result::Result<StationIdentity, CommandError> {
    let d = desk(&app, &state);
    let handle = app.clone();
    blocking(move || {
        handle
            .state::<AppState>()
            .station
            .access()
            .verify(PinRole::Technician, &pin)?;
        d.unlock();
        tracing::info!("technician PIN accepted");
        d.identity()
    })
    .await
}

/// «Выйти»: the desk closes until the technician's PIN is entered again.
#[tauri::command]
pub fn technician_logout<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) {
    desk(&app, &state).lock();
    tracing::info!("technician logged out");
}

#[tauri::command]
pub async fn technician_set_identity<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    school_id: String,
    room: String,
    number: u32,
) -> std::result::Result<StationIdentity, CommandError> {
    let d = open_desk(&app, &state)?;
    blocking(move || d.set_identity(&school_id, &room, number)).await
}

#[tauri::command]
pub async fn technician_audio<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> std::result::Result<AudioSetup, CommandError> {
    let d = open_desk(&app, &state)?;
    blocking(move || d.audio()).await
}

#[tauri::command]
pub async fn technician_save_audio<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    input: Option<String>,
    output: Option<String>,
    volume: f32,
) -> std::result::Result<AudioSetup, CommandError> {
    let d = open_desk(&app, &state)?;
    blocking(move || d.save_audio(input, output, volume)).await
}

#[tauri::command]
pub async fn technician_headset_check<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> std::result::Result<AudioCheck, CommandError> {
    let d = open_desk(&app, &state)?;
    let phrase = fixtures(&app).map(|f| f.join(vpr_station::fixtures::HEADSET_PHRASE));
    let events = level_events(&app);
    blocking(move || d.headset_check(phrase, events)).await
}

#[tauri::command]
pub async fn technician_control_recording<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    seconds: u32,
) -> std::result::Result<AudioCheck, CommandError> {
    let d = open_desk(&app, &state)?;
    let events = level_events(&app);
    blocking(move || d.control_recording(seconds, events)).await
}

#[tauri::command]
pub async fn technician_play_recording<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    file: String,
) -> std::result::Result<(), CommandError> {
    let d = open_desk(&app, &state)?;
    let events = level_events(&app);
    blocking(move || d.play_recording(&file, events)).await
}

#[tauri::command]
pub async fn technician_disk_clock<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    participants: u32,
    minutes: u32,
) -> std::result::Result<DiskClock, CommandError> {
    let d = open_desk(&app, &state)?;
    blocking(move || Ok::<_, DeskError>(d.disk_clock(participants, minutes))).await
}

#[tauri::command]
pub async fn technician_find_packages<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> std::result::Result<Vec<PackageFile>, CommandError> {
    let d = open_desk(&app, &state)?;
    blocking(move || Ok::<_, DeskError>(d.find_packages())).await
}

#[tauri::command]
pub async fn technician_packages<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> std::result::Result<Vec<PackageInfo>, CommandError> {
    let d = open_desk(&app, &state)?;
    blocking(move || d.packages()).await
}

#[tauri::command]
pub async fn technician_load_package<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: String,
) -> std::result::Result<PackageInfo, CommandError> {
    let d = open_desk(&app, &state)?;
    blocking(move || d.load_package(&path)).await
}

#[tauri::command]
pub async fn technician_unlock_package<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    package_id: String,
    password: String,
) -> std::result::Result<PackageInfo, CommandError> {
    let d = open_desk(&app, &state)?;
    blocking(move || d.unlock_package(&package_id, &password)).await
}

/// Close the technician window and open the student's kiosk on the demo
/// package (training database); the organizer's PIN ends it as usual.
#[tauri::command]
pub async fn technician_start_training<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> std::result::Result<TrainingStart, CommandError> {
    let d = open_desk(&app, &state)?;
    let fixtures = fixtures(&app);
    let (dir, title) = blocking(move || d.training_package(fixtures.as_deref())).await?;
    relaunch_as_station(&dir, state.station.data_dir().root())?;
    tracing::warn!(package = %dir.display(), "training: the station window takes over");
    app.exit(0);
    Ok(TrainingStart {
        package_dir: dir.display().to_string(),
        title,
    })
}

/// The app is single-instance: a helper waits until this process is gone,
/// then starts the station mode on `package_dir`.
fn relaunch_as_station(package_dir: &std::path::Path, data: &std::path::Path) -> Result<()> {
    let exe = std::env::current_exe().map_err(DeskError::Spawn)?;
    // Linux names a binary replaced since start (an update) "… (deleted)":
    // start the new one.
    let exe = exe
        .to_str()
        .and_then(|s| s.strip_suffix(" (deleted)"))
        .map_or(exe.clone(), PathBuf::from);
    std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"while kill -0 "$1" 2>/dev/null; do sleep 0.2; done; exec "$2" --mode station"#)
        .arg("vpr-training")
        .arg(std::process::id().to_string())
        .arg(exe)
        .env("VPR_PACKAGE_DIR", package_dir)
        .env("VPR_DATA_DIR", data)
        .env_remove("VPR_MODE")
        .spawn()
        .map_err(DeskError::Spawn)?;
    Ok(())
}

#[tauri::command]
pub async fn technician_clear_training<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> std::result::Result<TrainingCleared, CommandError> {
    let d = open_desk(&app, &state)?;
    blocking(move || d.clear_training()).await
}

#[tauri::command]
pub async fn technician_export<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    folder: String,
) -> std::result::Result<BundleExported, CommandError> {
    let d = open_desk(&app, &state)?;
    blocking(move || d.export(&folder)).await
}

#[tauri::command]
pub async fn technician_status<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> std::result::Result<StationReport, CommandError> {
    let d = open_desk(&app, &state)?;
    blocking(move || d.status()).await
}
