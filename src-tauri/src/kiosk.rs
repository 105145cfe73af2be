//! The kiosk: how windows are opened and what the student window refuses.
//!
//! The station window is full screen (sized to its monitor in code, because
//! without a window manager the `fullscreen` flag alone is ignored), has no
//! decorations, stays on top, cannot be resized, closed or navigated away,
//! opens no new windows, has no devtools, and runs `kiosk_guard.js` before
//! any page script to refuse the browser's own shortcuts, menus, selection,
//! drag-and-drop and clipboard. If WebKit's web process dies (a crash, the
//! out-of-memory killer, a student's `kill`), the window loads the app
//! again; the session lives in the core, so the page comes back on the
//! same task with the same time left.

use tauri::{
    webview::NewWindowResponse, AppHandle, Emitter, Manager, RunEvent, Runtime, WebviewUrl,
    WebviewWindow, WebviewWindowBuilder, WindowEvent,
};
use vpr_api::WindowMode;

use crate::AppState;

const GUARD: &str = include_str!("kiosk_guard.js");

/// Event sent to the station window when someone tries to close it.
pub const CLOSE_REFUSED_EVENT: &str = "kiosk://close-refused";

pub fn open_window<R: Runtime>(app: &AppHandle<R>, mode: WindowMode) -> tauri::Result<()> {
    let url = WebviewUrl::App("index.html".into());
    let builder = WebviewWindowBuilder::new(app, mode.label(), url)
        .on_navigation(|url| {
            let ok = is_app_url(url);
            if !ok {
                tracing::warn!(%url, "navigation refused");
            }
            ok
        })
        .on_new_window(|url, _features| {
            tracing::warn!(%url, "new window refused");
            NewWindowResponse::Deny
        })
        .zoom_hotkeys_enabled(false)
        .disable_drag_drop_handler();
    let window = match mode {
        WindowMode::Station => builder
            .title("ВПР — станция участника")
            .decorations(false)
            .always_on_top(true)
            .resizable(false)
            .maximizable(false)
            .minimizable(false)
            .closable(false)
            .skip_taskbar(true)
            .fullscreen(true)
            .focused(true)
            .devtools(false)
            .initialization_script(GUARD)
            .build()?,
        WindowMode::Technician | WindowMode::Coordinator | WindowMode::Author => builder
            .title(match mode {
                WindowMode::Technician => "ВПР — технический специалист",
                WindowMode::Author => "ВПР — автор работ",
                _ => "ВПР — координатор",
            })
            .inner_size(DESK_SIZE.0, DESK_SIZE.1)
            .min_inner_size(1024.0, 768.0)
            .maximized(true)
            .devtools(cfg!(debug_assertions))
            .build()?,
    };
    if mode == WindowMode::Station {
        cover_monitor(&window)?;
        reload_when_the_web_process_dies(&window);
    } else {
        fit_monitor(&window)?;
    }
    let handle = window.clone();
    window.on_window_event(move |event| {
        if let WindowEvent::CloseRequested { api, .. } = event {
            if refuse_close(&handle) {
                api.prevent_close();
            }
        }
    });
    Ok(())
}

/// The technician's and coordinator's window, logical pixels.
const DESK_SIZE: (f64, f64) = (1280.0, 860.0);

/// Size and place the window over its whole monitor.
fn cover_monitor<R: Runtime>(window: &WebviewWindow<R>) -> tauri::Result<()> {
    let monitor = match window.current_monitor()? {
        Some(m) => Some(m),
        None => window.primary_monitor()?,
    };
    if let Some(m) = monitor {
        window.set_position(*m.position())?;
        window.set_size(*m.size())?;
        tracing::info!(
            width = m.size().width,
            height = m.size().height,
            "kiosk covers monitor"
        );
    } else {
        tracing::warn!("no monitor reported: the kiosk window keeps its default size");
    }
    window.set_focus()?;
    Ok(())
}

/// Keep a technician's or coordinator's window on its monitor: without a
/// window manager `maximized` is ignored and the 1280×860 default would run
/// off a 1024×768 screen (its right side unreachable).
fn fit_monitor<R: Runtime>(window: &WebviewWindow<R>) -> tauri::Result<()> {
    let monitor = match window.current_monitor()? {
        Some(m) => Some(m),
        None => window.primary_monitor()?,
    };
    let Some(m) = monitor else {
        return Ok(());
    };
    // The window is not mapped yet (its size reads 0): compare the size asked for.
    let scale = m.scale_factor();
    let size = tauri::PhysicalSize::new(
        (DESK_SIZE.0 * scale).round() as u32,
        (DESK_SIZE.1 * scale).round() as u32,
    );
    let screen = *m.size();
    if size.width > screen.width || size.height > screen.height {
        window.set_position(*m.position())?;
        window.set_size(tauri::PhysicalSize::new(
            size.width.min(screen.width),
            size.height.min(screen.height),
        ))?;
        tracing::info!(
            width = screen.width,
            height = screen.height,
            "window fitted to its monitor"
        );
    }
    Ok(())
}

/// WebKit's `web-process-terminated`: reload the app in the same window.
#[cfg(target_os = "linux")]
fn reload_when_the_web_process_dies<R: Runtime>(window: &WebviewWindow<R>) {
    let result = window.with_webview(|webview| {
        use webkit2gtk::WebViewExt as _;
        webview
            .inner()
            .connect_web_process_terminated(|view, reason| {
                tracing::error!(?reason, "the web process died: reloading the app");
                view.reload();
            });
    });
    if let Err(e) = result {
        tracing::warn!("cannot watch the web process: {e}");
    }
}

#[cfg(not(target_os = "linux"))]
fn reload_when_the_web_process_dies<R: Runtime>(_window: &WebviewWindow<R>) {}

/// Only the app's own pages may be shown.
fn is_app_url(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => {
            url.host_str() == Some("tauri.localhost")
                || (cfg!(dev) && url.host_str() == Some("localhost") && url.port() == Some(1420))
        }
        _ => false,
    }
}

/// Station windows close only after the organizer's PIN was accepted.
fn refuse_close<R: Runtime>(window: &WebviewWindow<R>) -> bool {
    if window.label() != WindowMode::Station.label() {
        return false;
    }
    let authorized = window
        .try_state::<AppState>()
        .is_some_and(|s| s.exit_authorized());
    if !authorized {
        tracing::warn!("close request refused: organizer PIN required");
        let _ = window.emit(CLOSE_REFUSED_EVENT, ());
    }
    !authorized
}

/// App-level exit requests (e.g. the last window closing) follow the same rule.
pub fn on_run_event<R: Runtime>(app: &AppHandle<R>, event: RunEvent) {
    if let RunEvent::ExitRequested { api, .. } = event {
        let station = app
            .try_state::<AppState>()
            .is_some_and(|s| s.mode == WindowMode::Station);
        let authorized = app
            .try_state::<AppState>()
            .is_some_and(|s| s.exit_authorized());
        if station && !authorized {
            tracing::warn!("exit request refused: organizer PIN required");
            api.prevent_exit();
        }
    }
}

/// A second launch focuses the running instance instead of starting another.
pub fn focus_existing<R: Runtime>(app: &AppHandle<R>) {
    for window in app.webview_windows().values() {
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_app_urls_are_allowed() {
        let ok = ["tauri://localhost/index.html", "http://tauri.localhost/"];
        let bad = [
            "https://example.com/",
            "file:///etc/passwd",
            "about:blank",
            "tauri://evil.example/",
            "http://localhost:8080/",
            "javascript:alert(1)",
        ];
        for u in ok {
            assert!(is_app_url(&u.parse().unwrap()), "{u}");
        }
        for u in bad {
            assert!(!is_app_url(&u.parse().unwrap()), "{u}");
        }
    }
}
