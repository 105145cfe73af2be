//! The station window in the real app: opens on the code-entry screen of the
//! demo package, explains a malformed code, and refuses every kiosk escape.

use std::time::Duration;

use vpr_e2e::{
    thirtyfour::{prelude::*, TypingData},
    App, Launch, Result,
};

const MARKER: &str = "window.__e2eMarker = 'still-here'; return true;";
const CHECK_MARKER: &str = "return window.__e2eMarker === 'still-here' && location.protocol === 'tauri:' && !!document.querySelector(\"[data-testid='code-field']\");";

async fn still_same_page(app: &App, what: &str) -> Result<()> {
    tokio::time::sleep(Duration::from_millis(400)).await;
    let ok = app
        .js(CHECK_MARKER)
        .await
        .map_err(|e| format!("after {what}: the app stopped answering: {e}"))?;
    assert_eq!(
        ok,
        serde_json::Value::Bool(true),
        "after {what}: the page was reloaded or left"
    );
    let handles = app.driver.windows().await?;
    assert_eq!(
        handles.len(),
        1,
        "after {what}: a window appeared or vanished"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn opens_in_station_mode_on_the_demo_package() -> Result<()> {
    let mut app = App::launch("opens_in_station_mode", Launch::default()).await?;
    let title = app.text("code-title").await?;
    assert_eq!(title, "Введите код участника");
    let lang = app.js("return document.documentElement.lang").await?;
    assert_eq!(lang, "ru");
    // Full screen: the window covers the whole 1280×800 monitor even without a window manager.
    let size = app
        .js("return [window.innerWidth, window.innerHeight, screen.width, screen.height]")
        .await?;
    assert_eq!(
        size,
        serde_json::json!([1280, 800, 1280, 800]),
        "window must cover the monitor"
    );
    let header = app
        .js("return document.querySelector('header').innerText")
        .await?;
    assert!(
        header.as_str().unwrap_or_default().contains("Тренировка"),
        "demo package shown: {header}"
    );
    app.shot("code-entry").await?;
    app.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_code_gets_a_clear_message_and_a_good_one_is_accepted() -> Result<()> {
    let mut app = App::launch("malformed_code", Launch::default()).await?;
    for d in ["1", "2", "3"] {
        app.click(&format!("pad-{d}")).await?;
    }
    assert_eq!(
        app.by_testid("code-field")
            .await?
            .attr("data-code")
            .await?
            .as_deref(),
        Some("123")
    );
    app.shot("three-digits").await?;
    app.click("code-submit").await?;
    let msg = app.text("code-error").await?;
    assert!(msg.contains("5 цифр"), "unexpected message: {msg}");
    app.shot("malformed-code").await?;

    // The keyboard works too: erase and type a whole code.
    let field = app.by_testid("code-field").await?;
    field
        .send_keys(Key::Backspace + Key::Backspace + Key::Backspace)
        .await?;
    field.send_keys("54321").await?;
    field.send_keys(Key::Enter).await?;
    let accepted = app.text("code-accepted").await?;
    assert!(accepted.contains("54321"), "{accepted}");
    app.shot("code-accepted").await?;
    app.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn kiosk_escapes_fail_and_the_app_stays_on_screen() -> Result<()> {
    let mut app = App::launch("kiosk_escapes", Launch::default()).await?;
    let field = app.by_testid("code-field").await?;
    field.send_keys("12").await?;
    app.js(MARKER).await?;

    // Shortcuts of the browser and the desktop.
    let keys: Vec<(&str, TypingData)> = vec![
        ("F5", Key::F5.into()),
        ("Ctrl+R", Key::Control + "r"),
        ("Ctrl+W", Key::Control + "w"),
        ("Ctrl+P", Key::Control + "p"),
        ("Ctrl+O", Key::Control + "o"),
        ("Ctrl+L", Key::Control + "l"),
        ("Ctrl+S", Key::Control + "s"),
        ("Ctrl+plus", Key::Control + "+"),
        ("Ctrl+minus", Key::Control + "-"),
        ("Ctrl+0", Key::Control + "0"),
        ("Alt+Left", Key::Alt + Key::Left),
        ("F12", Key::F12.into()),
        ("Ctrl+Shift+I", Key::Control + Key::Shift + "i"),
        ("Ctrl+A", Key::Control + "a"),
        ("Ctrl+C", Key::Control + "c"),
        ("Ctrl+V", Key::Control + "v"),
        ("Alt+F4", Key::Alt + Key::F4),
    ];
    let zoom_before = app.js("return window.devicePixelRatio").await?;
    for (name, k) in keys {
        field.send_keys(k).await?;
        still_same_page(&app, name).await?;
    }
    assert_eq!(
        app.js("return window.devicePixelRatio").await?,
        zoom_before,
        "zoom changed"
    );
    assert_eq!(
        field.attr("data-code").await?.as_deref(),
        Some("12"),
        "typed digits survive"
    );
    // Nothing is selected and the context menu is refused.
    let selected = app.js("document.execCommand && document.execCommand('selectAll'); return String(window.getSelection())").await?;
    assert_eq!(selected, "", "text must not be selectable");
    let ctx = app.js("const e = new MouseEvent('contextmenu', {bubbles: true, cancelable: true}); return document.body.dispatchEvent(e)").await?;
    assert_eq!(ctx, false, "context menu must be cancelled");
    app.shot("after-shortcuts").await?;

    // External navigation: by WebDriver and by the page itself.
    let _ = app.driver.goto("https://example.com/").await;
    still_same_page(&app, "WebDriver navigation").await?;
    app.js("location.href = 'https://example.com/'; return true")
        .await?;
    still_same_page(&app, "location.href").await?;
    app.js("const a = document.createElement('a'); a.href = 'file:///etc/passwd'; document.body.appendChild(a); a.click(); return true").await?;
    still_same_page(&app, "link to a file").await?;

    // New windows.
    let opened = app
        .js("return window.open('https://example.com/') === null")
        .await?;
    assert_eq!(opened, true);
    app.js("const a = document.createElement('a'); a.href = 'https://example.com/'; a.target = '_blank'; document.body.appendChild(a); a.click(); return true").await?;
    still_same_page(&app, "target=_blank link").await?;

    // Close requests: the page's own, Tauri's window API, and WebDriver's.
    app.js("window.close(); return true").await?;
    still_same_page(&app, "window.close()").await?;
    let denied = app
        .js("return window.__TAURI_INTERNALS__.invoke('plugin:window|close', {label: 'station'}).then(() => 'closed', e => 'denied: ' + e)")
        .await?;
    assert!(
        denied.as_str().unwrap_or_default().starts_with("denied"),
        "{denied}"
    );
    still_same_page(&app, "Tauri window close").await?;
    // The student window cannot call technician or coordinator commands.
    let gated = app
        .js("return window.__TAURI_INTERNALS__.invoke('technician_set_pin', {role: 'organizer', pin: '1111', currentTechnicianPin: null}).then(() => 'allowed', e => 'denied: ' + e)")
        .await?;
    assert!(
        gated.as_str().unwrap_or_default().starts_with("denied"),
        "{gated}"
    );
    assert!(
        !app.data_dir.join("access.json").exists(),
        "no PIN may have been written"
    );
    app.shot("after-escapes").await?;

    app.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn only_the_organizer_pin_exits() -> Result<()> {
    let launch = Launch {
        prepare: Some(Box::new(|dir| {
            vpr_access::AccessStore::open(dir)?.set(vpr_access::PinRole::Organizer, "274915")?;
            Ok(())
        })),
        ..Launch::default()
    };
    let mut app = App::launch("organizer_exit", launch).await?;
    app.click("organizer-open").await?;
    let pin = app.by_testid("organizer-pin").await?;
    pin.send_keys("1111").await?;
    app.click("organizer-exit").await?;
    let err = app.text("organizer-error").await?;
    assert_eq!(err, "Неверный PIN");
    app.shot("wrong-pin").await?;
    let pin = app.by_testid("organizer-pin").await?;
    pin.send_keys("274915").await?;
    // The app may already be gone when the click's answer would come back.
    let _ = app.click("organizer-exit").await;
    // The app process exits.
    let mut gone = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        if !app.app_alive() {
            gone = true;
            break;
        }
    }
    assert!(gone, "the app must exit after the organizer's PIN");
    app.quit().await
}

const ORGANIZER_PIN: &str = "274915";
const TECHNICIAN_PIN: &str = "863071";

async fn organizer_try(app: &App, pin: &str) -> Result<String> {
    app.click("organizer-open").await?;
    app.by_testid("organizer-pin").await?.send_keys(pin).await?;
    app.click("organizer-exit").await?;
    let msg = app.text("organizer-error").await?;
    app.click("organizer-cancel").await?;
    Ok(msg)
}

async fn wait_gone(app: &App, id: &str, secs: u64) -> Result<()> {
    let start = std::time::Instant::now();
    loop {
        let n = app
            .js(&format!(
                "return document.querySelectorAll(\"[data-testid='{id}']\").length"
            ))
            .await?;
        if n == 0 {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(secs) {
            return Err(format!("{id} still shown after {secs} s").into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Guessing the organizer's PIN at the seat: five wrong tries lock it, the
/// lock survives a restart, a warning stays on screen, and only the
/// organizer's PIN takes it away.
#[tokio::test(flavor = "multi_thread")]
async fn pin_guessing_locks_and_warns_the_organizer() -> Result<()> {
    let data = tempfile::tempdir()?;
    let launch = |dir: &std::path::Path| Launch {
        data_dir: Some(dir.to_path_buf()),
        prepare: Some(Box::new(|dir| {
            let access = vpr_access::AccessStore::open(dir)?;
            if !access.is_set(vpr_access::PinRole::Organizer) {
                access.set(vpr_access::PinRole::Organizer, ORGANIZER_PIN)?;
                access.set(vpr_access::PinRole::Technician, TECHNICIAN_PIN)?;
            }
            Ok(())
        })),
        ..Launch::default()
    };
    let mut app = App::launch("pin_guessing", launch(data.path())).await?;
    app.by_testid("code-field").await?;
    assert_eq!(
        app.js("return document.querySelectorAll(\"[data-testid='pin-alert']\").length")
            .await?,
        0,
        "no warning before any lockout"
    );
    for i in 1..vpr_access::MAX_FAILURES {
        let msg = organizer_try(&app, &format!("{:06}", 100_000 + i)).await?;
        assert_eq!(msg, "Неверный PIN", "try {i}");
    }
    let msg = organizer_try(&app, "100009").await?;
    assert!(msg.contains("Слишком много"), "{msg}");
    let warning = app.text("pin-alert-message").await?;
    assert!(warning.contains("организатора"), "{warning}");
    app.shot("pin-locked-warning").await?;
    // Even the right PIN is refused during the lockout.
    let msg = organizer_try(&app, ORGANIZER_PIN).await?;
    assert!(msg.contains("Повторите через"), "{msg}");
    assert!(app.app_alive());
    app.quit().await?;

    // A restart changes nothing: still locked, still warned.
    let mut app = App::launch("pin_guessing_restart", launch(data.path())).await?;
    app.by_testid("pin-alert").await?;
    let msg = organizer_try(&app, ORGANIZER_PIN).await?;
    assert!(msg.contains("Повторите через"), "{msg}");
    // The lockout ends (30 s after the first one); the organizer clears the warning.
    tokio::time::sleep(Duration::from_secs(31)).await;
    app.click("organizer-open").await?;
    app.by_testid("organizer-pin")
        .await?
        .send_keys(ORGANIZER_PIN)
        .await?;
    app.click("organizer-pin-next").await?;
    let shown = app.text("org-pin-alert").await?;
    assert!(shown.contains("блокировок: 1"), "{shown}");
    app.shot("organizer-menu-with-warning").await?;
    app.click("org-clear-pin-alert").await?;
    wait_gone(&app, "pin-alert", 5).await?;
    app.shot("warning-cleared").await?;
    app.quit().await?;

    let app = App::launch("pin_guessing_cleared", launch(data.path())).await?;
    app.by_testid("code-field").await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        app.js("return document.querySelectorAll(\"[data-testid='pin-alert']\").length")
            .await?,
        0,
        "the cleared warning stays cleared"
    );
    app.quit().await
}
