//! The Tauri shell: windows, kiosk guards, managed state and thin commands.
//! All domain logic lives in `src-tauri/crates/*`.

mod commands;
mod kiosk;
mod mode;
mod state;

use tauri::{Builder, Runtime};

pub use mode::mode_from_args;
pub use state::AppState;

static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// When this process started (as seen by the shell).
pub fn started() -> std::time::Instant {
    *STARTED.get_or_init(std::time::Instant::now)
}

/// Entry point of the `vpr-app` binary.
pub fn run() {
    started();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let builder =
        tauri::Builder::default().plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            kiosk::focus_existing(app)
        }));
    if let Err(e) = run_app(builder, tauri::generate_context!()) {
        tracing::error!("the application failed to start: {e}");
        eprintln!("Не удалось запустить приложение: {e}");
        std::process::exit(1);
    }
}

/// Build and run the app on any runtime (the real one, or tauri's mock in tests).
pub fn run_app<R: Runtime>(builder: Builder<R>, context: tauri::Context<R>) -> tauri::Result<()> {
    let app = configure(builder).build(context)?;
    app.run(kiosk::on_run_event);
    Ok(())
}

/// Commands and set-up, shared by [`run_app`] and the tests.
pub fn configure<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder
        .invoke_handler(tauri::generate_handler![
            commands::station::station_status,
            commands::station::station_request_exit,
            commands::station::station_view,
            commands::station::station_act,
            commands::station::station_organizer,
            commands::station::station_media,
            commands::station::station_rendered,
            commands::technician::technician_pins_status,
            commands::technician::technician_set_pin,
            commands::technician::technician_login,
            commands::technician::technician_logout,
            commands::technician::technician_set_identity,
            commands::technician::technician_audio,
            commands::technician::technician_save_audio,
            commands::technician::technician_headset_check,
            commands::technician::technician_control_recording,
            commands::technician::technician_play_recording,
            commands::technician::technician_disk_clock,
            commands::technician::technician_find_packages,
            commands::technician::technician_packages,
            commands::technician::technician_load_package,
            commands::technician::technician_unlock_package,
            commands::technician::technician_start_training,
            commands::technician::technician_clear_training,
            commands::technician::technician_export,
            commands::technician::technician_status,
            commands::coordinator::coordinator_status,
            commands::coordinator::coordinator_create,
            commands::coordinator::coordinator_open,
            commands::coordinator::coordinator_close,
            commands::coordinator::coordinator_school,
            commands::coordinator::coordinator_set_school,
            commands::coordinator::coordinator_import_roster,
            commands::coordinator::coordinator_participants,
            commands::coordinator::coordinator_works,
            commands::coordinator::coordinator_add_work,
            commands::coordinator::coordinator_release_keys,
            commands::coordinator::coordinator_rooms,
            commands::coordinator::coordinator_add_room,
            commands::coordinator::coordinator_stations,
            commands::coordinator::coordinator_bundle_station,
            commands::coordinator::coordinator_add_station,
            commands::coordinator::coordinator_staff,
            commands::coordinator::coordinator_add_staff,
            commands::coordinator::coordinator_absences,
            commands::coordinator::coordinator_record_absences,
            commands::coordinator::coordinator_seat_all,
            commands::coordinator::coordinator_print,
            commands::coordinator::coordinator_import_bundle,
            commands::coordinator::coordinator_completeness,
            commands::coordinator::coordinator_auto_score,
            commands::coordinator::coordinator_assign_experts,
            commands::coordinator::coordinator_expert_queue,
            commands::coordinator::coordinator_waveform,
            commands::coordinator::coordinator_play,
            commands::coordinator::coordinator_stop,
            commands::coordinator::coordinator_submit_scores,
            commands::coordinator::coordinator_form_missing,
            commands::coordinator::coordinator_export_form,
            commands::coordinator::coordinator_export_school_forms,
            commands::coordinator::coordinator_statistics,
            commands::coordinator::coordinator_export_archive,
        ])
        .setup(|app| {
            let mode = mode_from_args(std::env::args());
            let state = AppState::open(app.handle(), mode)?;
            tauri::Manager::manage(app, state);
            kiosk::open_window(app.handle(), mode)?;
            Ok(())
        })
}
