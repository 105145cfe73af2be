//! The coordinator's chain of custody in the real app: the issuer's public
//! key imported (fingerprint shown), a work taken from the signed `.vprpkg`
//! with the day password, two stations enrolled from their passport files
//! (fingerprints shown for the printed page), a forged bundle — signed by an
//! enrolled station's key but naming another station — refused with its
//! Russian reason, and a second, different work of a participant shown as a
//! conflict with both sides until the coordinator decides; a receipt typed
//! from the paper protocol that is not the bundle's shown as a mismatch.
//!
//! Packages and bundles are built here with the real `vpr-package` builder
//! and `vpr-store` journal and `vpr-bundle` writer.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod custody;

use std::time::Duration;

use custody::{bundle, passport, signed_package, station_key};

use vpr_e2e::page::{count, fill, tab, wait_js};
use vpr_e2e::{workspace_root, App, Launch, Result};

const PASSWORD: &str = "пароль-координатора-e2e";

async fn scroll_to(app: &App, id: &str) -> Result<()> {
    app.by_testid(id).await?;
    app.js(&format!(
        "document.querySelector(\"[data-testid='{id}']\").scrollIntoView({{ block: 'start' }}); return true;"
    ))
    .await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn enrolment_a_forged_bundle_refused_and_a_conflict_shown() -> Result<()> {
    let work_dir = tempfile::tempdir()?;
    let w = work_dir.path();
    let (package, sha, day_password, _, issuer_pub) = signed_package(w);
    let (k1, k2) = (station_key(21), station_key(22));
    let (p1, p2) = (passport(w, 1, &k1), passport(w, 2, &k2));
    let coordinator_dir = tempfile::tempdir()?;
    let mut app = App::launch(
        "coordinator_custody",
        Launch {
            args: vec!["--mode".into(), "coordinator".into()],
            env: vec![(
                "VPR_COORDINATOR_DIR".into(),
                coordinator_dir.path().display().to_string(),
            )],
            ..Default::default()
        },
    )
    .await?;

    app.by_testid("login-screen").await?;
    fill(&app, "login-password", PASSWORD).await?;
    fill(&app, "login-password-again", PASSWORD).await?;
    app.click("login-submit").await?;
    app.by_testid("tab-roster").await?;
    fill(&app, "school-name", "МБОУ «Школа № 1»").await?;
    fill(&app, "school-login", "sch770001").await?;
    app.click("school-save").await?;
    fill(
        &app,
        "roster-path",
        workspace_root()
            .join("audio-fixtures/rosters/roster.csv")
            .to_str()
            .unwrap(),
    )
    .await?;
    app.click("roster-import").await?;
    wait_js(
        &app,
        "roster import",
        &format!("return {} === 20", count("participant-row")),
        15,
    )
    .await?;
    let code = app
        .js("return document.querySelector(\"[data-testid='participant-code']\").innerText")
        .await?;
    let code = code.as_str().unwrap().to_string();

    // ---- the issuer's key, then the work from the signed package.
    tab(&app, "works").await?;
    fill(&app, "issuer-path", issuer_pub.to_str().unwrap()).await?;
    fill(&app, "issuer-label", "Региональный центр").await?;
    app.click("issuer-add").await?;
    app.by_testid("issuer-row").await?;
    let shown = app.text("issuer-added").await?;
    let issuer_key = std::fs::read_to_string(&issuer_pub)?;
    let fp = vpr_package::IssuerKey::parse(issuer_key.as_bytes(), "")?.fingerprint;
    assert!(shown.contains(&fp), "{shown}");
    let today = vpr_package::time::OffsetDateTime::now_utc().date();
    let today = format!(
        "{:04}-{:02}-{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    );
    fill(&app, "work-date", &today).await?;
    fill(&app, "work-deadline", "2099-01-10").await?;
    fill(&app, "work-package-file", package.to_str().unwrap()).await?;
    fill(&app, "work-password", "не тот пароль дня").await?;
    app.click("work-add").await?;
    let wrong = app.text("works-error").await?;
    assert!(!wrong.is_empty());
    fill(&app, "work-password", &day_password).await?;
    app.click("work-add").await?;
    app.by_testid("work-row").await?;
    let work_id = app
        .by_testid("work-row")
        .await?
        .attr("data-work")
        .await?
        .unwrap();
    let pkg = app.text(&format!("work-package-{work_id}")).await?;
    assert!(pkg.contains(&sha[..16]), "{pkg}");
    app.shot("custody-works").await?;
    scroll_to(&app, "issuers-panel").await?;
    app.shot("custody-issuers").await?;

    // ---- stations enrolled from their passports.
    tab(&app, "rooms").await?;
    fill(&app, "room-name", "101").await?;
    app.click("room-add").await?;
    app.by_testid("room-item").await?;
    for (n, (p, k)) in [(1, (&p1, &k1)), (2, (&p2, &k2))] {
        fill(&app, "station-passport-path", p.to_str().unwrap()).await?;
        app.click("station-enrol").await?;
        wait_js(
            &app,
            "station enrolled",
            &format!("return {} === {n}", count("station-row")),
            15,
        )
        .await?;
        let shown = app.text("station-fingerprint").await?;
        assert!(
            shown.contains(&k.public_key().fingerprint().to_string()),
            "{shown}"
        );
    }
    scroll_to(&app, "station-fingerprint").await?;
    app.shot("custody-stations-enrolled").await?;

    // ---- import: a forged bundle refused, then a conflict.
    let one = |answers: &[(&str, &str)]| {
        vec![(
            code.clone(),
            answers
                .iter()
                .map(|(i, v)| (i.to_string(), v.to_string()))
                .collect::<Vec<_>>(),
        )]
    };
    let forged = bundle(w, "forged", 7, &k1, &sha, &one(&[("5.1", "went")]), false);
    let first = bundle(
        w,
        "first",
        1,
        &k1,
        &sha,
        &one(&[("5.1", "went"), ("5.2", "sheep")]),
        false,
    );
    let second = bundle(w, "second", 2, &k2, &sha, &one(&[("5.1", "goed")]), false);
    tab(&app, "import").await?;
    let paths = [&forged, &first, &second]
        .map(|p| p.display().to_string())
        .join("\n");
    fill(&app, "import-paths", &paths).await?;
    app.click("import-go").await?;
    wait_js(
        &app,
        "three verdicts",
        &format!("return {} === 3", count("import-verdict")),
        30,
    )
    .await?;
    let reason = app.text("verdict-reason").await?;
    assert!(
        reason.contains("станция № 7") && reason.contains("станции № 1"),
        "{reason}"
    );
    let conflicts = app.text("verdict-conflicts").await?;
    assert!(conflicts.contains(&code), "{conflicts}");
    wait_js(
        &app,
        "the conflict",
        &format!("return {} === 1", count("held-item")),
        15,
    )
    .await?;
    assert_eq!(app.text("held-existing-answers").await?, "2");
    assert_eq!(app.text("held-new-answers").await?, "1");
    let existing = app.text("held-existing").await?;
    assert!(existing.contains("станция 1"), "{existing}");
    let new = app.text("held-new").await?;
    assert!(new.contains("станция 2"), "{new}");
    app.js("window.scrollTo(0, 0); document.querySelector('main').scrollTo(0, 0); return true;")
        .await?;
    app.shot("custody-import-refusal").await?;
    scroll_to(&app, "held-panel").await?;
    app.shot("custody-conflict-both-sides").await?;
    app.click("held-keep").await?;
    app.by_testid("held-none").await?;
    app.shot("custody-conflict-decided").await?;

    // ---- the receipt from the paper protocol: a wrong one is a problem.
    fill(&app, "receipt-input", "aaaa aaaa").await?;
    app.click("receipt-enter").await?;
    wait_js(
        &app,
        "receipt mismatch",
        "return document.querySelector(\"[data-testid='receipt-row']\").dataset.state === 'mismatch'",
        15,
    )
    .await?;
    scroll_to(&app, "receipts-panel").await?;
    app.shot("custody-receipt-mismatch").await?;
    app.quit().await?;
    Ok(())
}
