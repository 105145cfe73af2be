//! The shell's commands through tauri's mock runtime: the same `configure`
//! the real app uses, invoked over IPC as the UI does.

#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};
use tauri::{
    ipc::{CallbackFn, InvokeBody},
    test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY},
    webview::InvokeRequest,
    Manager, WebviewWindow,
};

fn invoke(w: &WebviewWindow<MockRuntime>, cmd: &str, body: Value) -> Result<Value, Value> {
    get_ipc_response(
        w,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().unwrap())
}

/// Both tests point `VPR_DATA_DIR` (process-global) at their own folder.
static ENV: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn station_and_technician_commands_over_ipc() {
    let _env = ENV.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tempfile::tempdir().unwrap();
    std::env::set_var("VPR_DATA_DIR", dir.path());
    let mut app = vpr_app_lib::configure(mock_builder())
        .build(mock_context(noop_assets()))
        .unwrap();
    // One turn of the event loop runs the set-up hook, as `run` would.
    #[allow(deprecated)]
    app.run_iteration(|_, _| {});
    let w = app
        .get_webview_window("station")
        .expect("the station window opens by default");

    let status = invoke(&w, "station_status", json!({})).unwrap();
    assert_eq!(status["demo"], true);
    assert_eq!(status["exit_pin_set"], false);

    let enter = |code: &str| json!({ "action": { "action": "enter_code", "code": code } });
    let err = invoke(&w, "station_act", enter("12a4")).unwrap_err();
    assert_eq!(err["code"], "exam_bad_code");
    assert_eq!(err["severity"], "non_blocking");
    assert!(err["message"].as_str().unwrap().contains("5 цифр"));
    let view = invoke(&w, "station_act", enter("12345")).unwrap();
    assert_eq!(view["code"], "12345");

    // Exit needs a PIN that is set and right; nothing exits otherwise.
    let err = invoke(&w, "station_request_exit", json!({ "pin": "1234" })).unwrap_err();
    assert_eq!(err["code"], "pin_not_set");

    // First run: the technician sets PINs; afterwards changes need the technician PIN.
    let pins = invoke(
        &w,
        "technician_set_pin",
        json!({ "role": "technician", "pin": "863071", "currentTechnicianPin": null }),
    )
    .unwrap();
    assert_eq!(pins["technician_set"], true);
    let err = invoke(
        &w,
        "technician_set_pin",
        json!({ "role": "organizer", "pin": "274915", "currentTechnicianPin": "0000" }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "pin_wrong");
    let pins = invoke(
        &w,
        "technician_set_pin",
        json!({ "role": "organizer", "pin": "274915", "currentTechnicianPin": "863071" }),
    )
    .unwrap();
    assert_eq!(pins["organizer_set"], true);
    let err = invoke(&w, "station_request_exit", json!({ "pin": "1111" })).unwrap_err();
    assert_eq!(err["code"], "pin_wrong");
    assert!(dir.path().join("access.json").exists());
}

#[test]
fn the_station_window_refuses_a_close_request_without_the_pin() {
    let _env = ENV.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tempfile::tempdir().unwrap();
    std::env::set_var("VPR_DATA_DIR", dir.path());
    let mut app = vpr_app_lib::configure(mock_builder())
        .build(mock_context(noop_assets()))
        .unwrap();
    #[allow(deprecated)]
    app.run_iteration(|_, _| {});
    let w = app.get_webview_window("station").unwrap();
    // What the window manager's close button (or Alt+F4 with a WM) sends.
    w.close().unwrap();
    #[allow(deprecated)]
    app.run_iteration(|_, _| {});
    assert!(
        app.get_webview_window("station").is_some(),
        "the kiosk window must stay"
    );
}
