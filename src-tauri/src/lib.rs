//! The Tauri shell: windows, kiosk guards, managed state and thin commands.
//! All domain logic lives in `src-tauri/crates/*`.

mod commands;
mod kiosk;
mod mode;
mod state;

use tauri::{Builder, Runtime};

pub use mode::mode_from_args;
pub use state::AppState;

/// The command table's `module = Mode [ name(args) -> ret, … ]` lists as
/// `generate_handler![commands::module::name, …]`: the handler list is the
/// table, a fn missing from `commands::<mode>` fails to compile.
macro_rules! handlers {
    ($($module:ident = $mode:ident [
        $( $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $ret:ty ),* $(,)?
    ])*) => {
        tauri::generate_handler![$($(commands::$module::$name,)*)*]
    };
}

/// The same list as names, in the same order.
macro_rules! handler_names {
    ($($module:ident = $mode:ident [
        $( $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $ret:ty ),* $(,)?
    ])*) => {
        &[$($(stringify!($name),)*)*]
    };
}

/// Every command the invoke handler serves (`commands::<mode>::<name>`).
pub const HANDLER_NAMES: &[&str] = vpr_api::command_table!(handler_names);

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
    // Native open/save dialogs and "show in folder" for the staff windows
    // (their capabilities grant them; the student's window has neither).
    // Links are never opened by the opener's click handler.
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            kiosk::focus_existing(app)
        }))
        .plugin(tauri_plugin_dialog::init())
        .plugin(
            tauri_plugin_opener::Builder::new()
                .open_js_links_on_click(false)
                .build(),
        );
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
        .invoke_handler(vpr_api::command_table!(handlers))
        .setup(|app| {
            let mode = mode_from_args(std::env::args());
            let state = AppState::open(app.handle(), mode)?;
            tauri::Manager::manage(app, state);
            kiosk::open_window(app.handle(), mode)?;
            Ok(())
        })
}
