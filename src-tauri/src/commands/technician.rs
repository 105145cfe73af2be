//! The technician window's commands: PINs (first run sets both), then,
//! after the technician's PIN, a few lines each over the technician's core
//! in `vpr-station` (identity, sound, readiness, packages, training,
//! export, status). Disk, audio and PIN work runs in [`blocking`].

use std::{path::PathBuf, sync::mpsc};

use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use vpr_api::{
    AudioCheck, AudioSetup, BundleExported, CommandError, DiskClock, ExportPreview, LevelMeter,
    PackageFile, PackageInfo, PinRoleName, PinsStatus, StationIdentity, StationReport,
    TrainingCleared, TrainingStart, WindowMode,
};
use vpr_station::{
    export, fixtures, identity, packages, readiness, sound, status, training, AudioEvent, PinRole,
    StationLayout, Technician, TechnicianError,
};

use super::blocking;
pub use super::technician_custody::*;
use crate::{state::fixtures_dir, AppState};

/// Level events for the technician's meter.
pub const LEVEL_EVENT: &str = "technician://level";

type Result<T> = std::result::Result<T, CommandError>;

fn pins(state: &AppState) -> Result<PinsStatus> {
    let access = state.station()?.access();
    Ok(PinsStatus {
        organizer_set: access.is_set(PinRole::Organizer),
        technician_set: access.is_set(PinRole::Technician),
    })
}

/// The desk of this app run (technician mode only).
fn desk<R: Runtime>(app: &AppHandle<R>) -> Result<Technician> {
    Ok(app.state::<AppState>().technician()?.clone())
}

/// The data folder, once the technician's PIN opened the desk.
fn open<R: Runtime>(app: &AppHandle<R>) -> Result<StationLayout> {
    Ok(desk(app)?.open()?.clone())
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

#[tauri::command]
pub fn technician_pins_status(state: State<'_, AppState>) -> Result<PinsStatus> {
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
) -> Result<PinsStatus> {
    blocking(move || -> Result<PinsStatus> {
        let state = app.state::<AppState>();
        let access = state.station()?.access();
        if access.is_set(PinRole::Technician) {
            let current = current_technician_pin.as_deref().unwrap_or_default();
            access.verify(PinRole::Technician, current)?;
        }
        let role = match role {
            PinRoleName::Organizer => PinRole::Organizer,
            PinRoleName::Technician => PinRole::Technician,
        };
        access.set(role, &pin)?;
        pins(&state)
    })
    .await
}

/// Every visit after the first run starts with the technician's PIN.
#[tauri::command]
pub async fn technician_login<R: Runtime>(
    app: AppHandle<R>,
    pin: String,
) -> Result<StationIdentity> {
    let d = desk(&app)?;
    blocking(move || -> Result<StationIdentity> {
        let state = app.state::<AppState>();
        state
            .station()?
            .access()
            .verify(PinRole::Technician, &pin)?;
        d.unlock();
        tracing::info!("technician PIN accepted");
        Ok(identity::identity(d.layout())?)
    })
    .await
}

/// «Выйти»: the desk closes until the technician's PIN is entered again.
#[tauri::command]
pub fn technician_logout<R: Runtime>(app: AppHandle<R>) {
    if let Ok(d) = desk(&app) {
        d.lock();
        tracing::info!("technician logged out");
    }
}

#[tauri::command]
pub async fn technician_set_identity<R: Runtime>(
    app: AppHandle<R>,
    school_id: String,
    room: String,
    number: u32,
) -> Result<StationIdentity> {
    let l = open(&app)?;
    blocking(move || identity::set_identity(&l, &school_id, &room, number)).await
}

#[tauri::command]
pub async fn technician_audio<R: Runtime>(app: AppHandle<R>) -> Result<AudioSetup> {
    let l = open(&app)?;
    blocking(move || sound::setup(&l)).await
}

#[tauri::command]
pub async fn technician_save_audio<R: Runtime>(
    app: AppHandle<R>,
    input: Option<String>,
    output: Option<String>,
    volume: f32,
) -> Result<AudioSetup> {
    let l = open(&app)?;
    blocking(move || sound::save(&l, input, output, volume)).await
}

#[tauri::command]
pub async fn technician_headset_check<R: Runtime>(app: AppHandle<R>) -> Result<AudioCheck> {
    let l = open(&app)?;
    let job = desk(&app)?.audio_job()?;
    let phrase = fixtures_dir(&app).map(|f| f.join(fixtures::HEADSET_PHRASE));
    let events = level_events(&app);
    blocking(move || {
        let _job = job;
        let devices = sound::settings(&l)?;
        sound::headset_check(&l, phrase, &devices, sound::HEADSET_SECONDS, Some(events))
    })
    .await
}

#[tauri::command]
pub async fn technician_control_recording<R: Runtime>(
    app: AppHandle<R>,
    seconds: u32,
) -> Result<AudioCheck> {
    let l = open(&app)?;
    let job = desk(&app)?.audio_job()?;
    let events = level_events(&app);
    blocking(move || {
        let _job = job;
        sound::control_recording(&l, seconds, events)
    })
    .await
}

#[tauri::command]
pub async fn technician_play_recording<R: Runtime>(app: AppHandle<R>, file: String) -> Result<()> {
    let l = open(&app)?;
    let job = desk(&app)?.audio_job()?;
    let events = level_events(&app);
    blocking(move || {
        let _job = job;
        sound::play_recording(&l, &file, events)
    })
    .await
}

#[tauri::command]
pub async fn technician_disk_clock<R: Runtime>(
    app: AppHandle<R>,
    participants: u32,
    minutes: u32,
) -> Result<DiskClock> {
    let l = open(&app)?;
    blocking(move || Ok::<_, TechnicianError>(readiness::disk_clock(&l, participants, minutes)))
        .await
}

#[tauri::command]
pub async fn technician_find_packages<R: Runtime>(app: AppHandle<R>) -> Result<Vec<PackageFile>> {
    open(&app)?;
    blocking(|| Ok::<_, TechnicianError>(packages::find_packages())).await
}

#[tauri::command]
pub async fn technician_packages<R: Runtime>(app: AppHandle<R>) -> Result<Vec<PackageInfo>> {
    let l = open(&app)?;
    blocking(move || packages::list(&l)).await
}

#[tauri::command]
pub async fn technician_load_package<R: Runtime>(
    app: AppHandle<R>,
    path: String,
) -> Result<PackageInfo> {
    let l = open(&app)?;
    blocking(move || packages::load(&l, &path)).await
}

#[tauri::command]
pub async fn technician_unlock_package<R: Runtime>(
    app: AppHandle<R>,
    package_id: String,
    password: String,
) -> Result<PackageInfo> {
    let l = open(&app)?;
    blocking(move || packages::unlock(&l, &package_id, &password)).await
}

/// Close the technician window and open the student's kiosk on the demo
/// package (training database); the organizer's PIN ends it as usual.
#[tauri::command]
pub async fn technician_start_training<R: Runtime>(app: AppHandle<R>) -> Result<TrainingStart> {
    let l = open(&app)?;
    let fixtures = fixtures_dir(&app);
    let root = l.root().to_path_buf();
    let (dir, title) = blocking(move || training::package(&l, fixtures.as_deref())).await?;
    relaunch_as_station(&dir, &root)?;
    tracing::warn!(package = %dir.display(), "training: the station window takes over");
    app.exit(0);
    Ok(TrainingStart {
        package_dir: dir.display().to_string(),
        title,
    })
}

/// The app is single-instance: a helper waits until this process is gone,
/// then starts the station mode on `package_dir`.
fn relaunch_as_station(
    package_dir: &std::path::Path,
    data: &std::path::Path,
) -> std::result::Result<(), TechnicianError> {
    let exe = std::env::current_exe().map_err(TechnicianError::Spawn)?;
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
        .map_err(TechnicianError::Spawn)?;
    Ok(())
}

#[tauri::command]
pub async fn technician_clear_training<R: Runtime>(app: AppHandle<R>) -> Result<TrainingCleared> {
    let l = open(&app)?;
    blocking(move || training::clear(&l)).await
}

/// What an export would hold, shown before it writes.
#[tauri::command]
pub async fn technician_export_preview<R: Runtime>(app: AppHandle<R>) -> Result<ExportPreview> {
    let l = open(&app)?;
    blocking(move || export::preview(&l)).await
}

#[tauri::command]
pub async fn technician_export<R: Runtime>(
    app: AppHandle<R>,
    folder: String,
) -> Result<BundleExported> {
    let l = open(&app)?;
    blocking(move || export::export(&l, &folder)).await
}

#[tauri::command]
pub async fn technician_status<R: Runtime>(app: AppHandle<R>) -> Result<StationReport> {
    let l = open(&app)?;
    blocking(move || status::report(&l)).await
}
