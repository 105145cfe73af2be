//! A crashed web view comes back: when WebKit's web process dies mid-task,
//! the window loads the app again, on the same task with the same time left.

use std::{
    process::Command,
    time::{Duration, Instant},
};

use vpr_e2e::{App, Launch, Result};

const ORGANIZER_PIN: &str = "274915";

async fn screen(app: &App) -> Result<String> {
    Ok(app
        .js("const s = document.querySelector(\"[data-testid='station']\"); return s ? s.getAttribute('data-screen') : ''")
        .await?
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

async fn wait_screen(app: &App, want: &str, secs: u64) -> Result<String> {
    let start = Instant::now();
    loop {
        if let Ok(s) = screen(app).await {
            if s.starts_with(want) {
                return Ok(s);
            }
        }
        if start.elapsed() > Duration::from_secs(secs) {
            return Err(format!("screen {want} not reached in {secs} s").into());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Seconds left on the work clock as shown (`MM:SS` or `H:MM:SS`).
async fn work_left(app: &App) -> Result<i64> {
    let text = app.text("work-left").await?;
    let digits: Vec<i64> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    Ok(digits.iter().fold(0, |acc, d| acc * 60 + d))
}

/// The web processes of this app (in the harness' process group).
fn web_processes(app: &App) -> Vec<String> {
    let out = Command::new("pgrep")
        .args([
            "-g",
            &app.process_group().to_string(),
            "-f",
            "WebKitWebProcess",
        ])
        .output();
    out.map(|o| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

/// The screen below the top bar (which holds the clock).
const BELOW_TOP_BAR: &str = "1280x730+0+70";
/// The work clock in the top bar.
const CLOCK: &str = "160x56+720+4";
/// A few pixels for the animated play indicator and antialiasing.
const SAME_SCREEN: u64 = 1500;

fn x_shot(app: &App, path: &std::path::Path) -> Result<()> {
    let status = Command::new("import")
        .args(["-display", &app.display, "-window", "root"])
        .arg(path)
        .status()?;
    if !status.success() {
        return Err(format!("import failed: {status}").into());
    }
    Ok(())
}

/// Pixels that differ in the `region` (WxH+X+Y) of two screenshots.
fn differing_pixels(a: &std::path::Path, b: &std::path::Path, region: &str) -> Result<u64> {
    let crop = |p: &std::path::Path| -> Result<std::path::PathBuf> {
        let out = p.with_extension(format!("{}.png", region.replace(['+', 'x'], "_")));
        let status = Command::new("convert")
            .arg(p)
            .args(["-crop", region, "+repage"])
            .arg(&out)
            .status()?;
        if !status.success() {
            return Err(format!("convert failed: {status}").into());
        }
        Ok(out)
    };
    let (ca, cb) = (crop(a)?, crop(b)?);
    let out = Command::new("compare")
        .args(["-metric", "AE", "-fuzz", "8%"])
        .arg(&ca)
        .arg(&cb)
        .arg("null:")
        .output()?;
    let text = String::from_utf8_lossy(&out.stderr);
    let n = text
        .split_whitespace()
        .next()
        .and_then(|t| t.parse::<f64>().ok())
        .ok_or_else(|| format!("compare said {text:?}"))?;
    Ok(n as u64)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_web_process_comes_back_on_the_same_task_and_time() -> Result<()> {
    let launch = Launch {
        prepare: Some(Box::new(|dir| {
            vpr_access::AccessStore::open(dir)?
                .set(vpr_access::PinRole::Organizer, ORGANIZER_PIN)?;
            Ok(())
        })),
        ..Launch::default()
    };
    let mut app = App::launch("kiosk_webview_crash", launch).await?;
    for d in ["1", "2", "3", "4", "5"] {
        app.click(&format!("pad-{d}")).await?;
    }
    app.click("code-submit").await?;
    wait_screen(&app, "confirm", 10).await?;
    app.click("confirm-yes").await?;
    wait_screen(&app, "briefing", 10).await?;
    app.click("briefing-done").await?;
    wait_screen(&app, "headset_check", 10).await?;
    // No one speaks here: the organizer lets the work start.
    app.click("organizer-open").await?;
    app.by_testid("organizer-pin")
        .await?
        .send_keys(ORGANIZER_PIN)
        .await?;
    app.click("organizer-pin-next").await?;
    app.click("org-override-headset").await?;
    app.click("start-work").await?;
    wait_screen(&app, "task", 15).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(work_left(&app).await? > 0, "the work clock runs");
    app.shot("task-before-crash").await?;

    // WebKitWebDriver's session ends with the web process it drove, so from
    // here on the X server's pixels tell what the screen shows.
    let work = tempfile::tempdir()?;
    let before = work.path().join("before.png");
    x_shot(&app, &before)?;
    let victims = web_processes(&app);
    assert!(!victims.is_empty(), "no WebKitWebProcess found");
    for pid in &victims {
        let _ = Command::new("kill").args(["-KILL", pid]).status();
    }
    let killed_at = Instant::now();
    // Within a couple of seconds the task is drawn again: everything below
    // the top bar (task, answers, play state) as before the crash.
    let mut diff = u64::MAX;
    let mut n = 0;
    while killed_at.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(300)).await;
        n += 1;
        let now = work.path().join(format!("after-{n}.png"));
        x_shot(&app, &now)?;
        diff = differing_pixels(&before, &now, BELOW_TOP_BAR)?;
        if diff <= SAME_SCREEN {
            break;
        }
    }
    let back_s = killed_at.elapsed().as_secs_f64();
    app.shot("task-after-crash").await?;
    assert!(
        diff <= SAME_SCREEN,
        "the task did not come back within 10 s of the web process dying ({diff} pixels differ)"
    );
    eprintln!("e2e: task drawn again {back_s:.1} s after the web process was killed");
    assert!(app.app_alive(), "the app itself must survive");
    let fresh = web_processes(&app);
    assert!(
        !fresh.is_empty() && fresh.iter().all(|p| !victims.contains(p)),
        "a new web process draws the page"
    );
    // The work clock is the core's: it goes on from where it was (shown
    // again and ticking, not restarted from the full time).
    let a = work.path().join("clock-a.png");
    let b = work.path().join("clock-b.png");
    x_shot(&app, &a)?;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    x_shot(&app, &b)?;
    assert!(
        differing_pixels(&a, &b, CLOCK)? > 0,
        "the work clock is not ticking after the reload"
    );
    assert!(
        differing_pixels(&before, &b, BELOW_TOP_BAR)? <= SAME_SCREEN,
        "the task screen changed after the reload"
    );
    app.quit().await
}
