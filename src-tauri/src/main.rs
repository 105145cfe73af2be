// A release build loads the UI from inside the binary only. Without tauri's
// `custom-protocol` feature (our `custom-protocol` feature or the Tauri CLI's
// `tauri build` turn it on) tauri-build sets `cfg(dev)` and the window would
// point at the dev server (`build.devUrl`): whoever answers on that port
// would own the kiosk.
#[cfg(all(not(debug_assertions), dev))]
compile_error!(
    "release build of vpr-app without the `custom-protocol` feature: the window would load the dev \
     server URL. Build with `--features custom-protocol` or the Tauri CLI (`tauri build`)."
);

fn main() {
    close_gtk_inspector();
    vpr_app_lib::run()
}

/// GTK's own inspector (a full view of the page and the app) stays off
/// whatever the environment: `GTK_DEBUG=interactive` would open it at start,
/// and the `org.gtk.Settings.Debug enable-inspector-keybinding` key would
/// bind it to Ctrl+Shift+I / Ctrl+Shift+D. Both are read when GTK starts, so
/// this runs first: the variable goes, and settings come from an in-memory
/// backend holding the defaults (the key is off there).
fn close_gtk_inspector() {
    std::env::remove_var("GTK_DEBUG");
    std::env::set_var("GSETTINGS_BACKEND", "memory");
}
