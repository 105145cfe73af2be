//! The technician's side of the chain of custody in the real app: the
//! station passport written to a «USB drive» from the identity screen (the
//! file parses and holds the station's real key; the printable page shows
//! the fingerprint), and the issuer trust list on the packages screen: the
//! demo key marked «только для тренировки», a `.pub` file's fingerprint
//! shown in groups before it is added, the key kept after a restart, then
//! removed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use vpr_e2e::{App, Launch, Result};

const TECH_PIN: &str = "863071";
const ORGANIZER_PIN: &str = "274915";

fn technician(data: PathBuf) -> Launch {
    Launch {
        args: vec!["--mode".into(), "technician".into()],
        data_dir: Some(data),
        prepare: Some(Box::new(|dir| {
            let access = vpr_access::AccessStore::open(dir)?;
            if !access.is_set(vpr_access::PinRole::Technician) {
                access.set(vpr_access::PinRole::Technician, TECH_PIN)?;
                access.set(vpr_access::PinRole::Organizer, ORGANIZER_PIN)?;
            }
            Ok(())
        })),
        ..Launch::default()
    }
}

async fn type_into(app: &App, id: &str, text: &str) -> Result<()> {
    let el = app.by_testid(id).await?;
    el.scroll_into_view().await?;
    el.clear().await?;
    el.send_keys(text).await?;
    Ok(())
}

async fn tap(app: &App, id: &str) -> Result<()> {
    let el = app.by_testid(id).await?;
    el.scroll_into_view().await?;
    el.click().await?;
    Ok(())
}

async fn login(app: &App) -> Result<()> {
    type_into(app, "login-pin", TECH_PIN).await?;
    tap(app, "login-submit").await?;
    app.by_testid("tab-identity").await?;
    Ok(())
}

/// The text of `id` once it is there and non-empty.
async fn text_of(app: &App, id: &str) -> Result<String> {
    for _ in 0..50 {
        if let Ok(el) = app.by_testid(id).await {
            let t = el.text().await?;
            if !t.trim().is_empty() {
                return Ok(t);
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    Err(format!("no text in {id}").into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_technician_exports_the_passport_and_keeps_the_issuer_trust_list() -> Result<()> {
    let work = tempfile::tempdir()?;
    let usb = work.path().join("usb");
    std::fs::create_dir_all(&usb)?;
    let data = work.path().join("station");
    let mut app = App::launch("technician_custody", technician(data.clone())).await?;
    login(&app).await?;

    // The passport: identity first, then the file and the printable page.
    type_into(&app, "identity-school", "770001").await?;
    type_into(&app, "identity-room", "21").await?;
    type_into(&app, "identity-number", "4").await?;
    tap(&app, "identity-save").await?;
    text_of(&app, "identity-message").await?;
    type_into(&app, "passport-folder", &usb.display().to_string()).await?;
    tap(&app, "passport-export").await?;
    let said = text_of(&app, "passport-message").await?;
    assert!(said.contains("Паспорт записан"), "{said}");
    app.shot("passport").await?;
    let file = usb.join("station-passport-770001-21-4.json");
    let passport = vpr_bundle::StationPassport::read(&file)?;
    let key = vpr_integrity::PublicKey::read_file(&data.join(vpr_integrity::PUBLIC_KEY_FILE))?;
    assert_eq!(passport.key()?, key);
    assert_eq!(passport.number, 4);
    let page = std::fs::read_to_string(file.with_extension("html"))?;
    for group in passport.fingerprint.split('-') {
        assert!(page.contains(group), "{group}");
    }
    assert_eq!(
        app.text("identity-fingerprint").await?,
        passport.fingerprint
    );

    // The trust list: the demo key, for training only.
    tap(&app, "tab-packages").await?;
    app.by_testid("trust-list").await?;
    let demo = text_of(&app, "trust-demo-badge").await?;
    assert_eq!(demo, "только для тренировки");

    // A school issuer's .pub: its fingerprint is shown to compare, then added.
    let pk8 = work.path().join("school.pk8");
    std::fs::write(&pk8, vpr_package::Issuer::generate_pkcs8()?)?;
    let issuer = vpr_package::Issuer::read(&pk8)?;
    let pubfile = usb.join("school-issuer.pub");
    std::fs::write(&pubfile, issuer.public_key_hex())?;
    let fp = issuer.fingerprint();
    type_into(&app, "trust-path", &pubfile.display().to_string()).await?;
    type_into(&app, "trust-label", "Школа № 1").await?;
    tap(&app, "trust-inspect").await?;
    let shown = text_of(&app, "trust-pending-fingerprint").await?;
    assert_eq!(
        shown.replace(' ', ""),
        fp,
        "the whole fingerprint, in groups"
    );
    assert!(shown.contains(' '), "{shown}");
    app.shot("trust-compare").await?;
    assert!(
        !std::fs::read_to_string(data.join("trusted-issuers.json"))
            .unwrap_or_default()
            .contains(&issuer.public_key_hex()),
        "nothing saved before the technician confirms"
    );
    tap(&app, "trust-add").await?;
    let added = text_of(&app, "trust-message").await?;
    assert!(added.contains("Школа № 1"), "{added}");
    let row = format!("trust-key-{}", &fp[..16]);
    app.by_testid(&row).await?;
    app.shot("trust-added").await?;
    app.quit().await?;

    // Kept after a restart; then removed.
    let app = App::launch("technician_custody_again", technician(data.clone())).await?;
    login(&app).await?;
    tap(&app, "tab-packages").await?;
    app.by_testid(&row).await?;
    app.js("window.confirm = () => true; return true").await?;
    let remove = app
        .by_testid(&row)
        .await?
        .find(vpr_e2e::thirtyfour::By::Css("[data-testid='trust-remove']"))
        .await?;
    remove.click().await?;
    let removed = text_of(&app, "trust-message").await?;
    assert!(removed.contains("удалён"), "{removed}");
    app.quit().await?;
    assert!(!std::fs::read_to_string(data.join("trusted-issuers.json"))?
        .contains(&issuer.public_key_hex()));
    Ok(())
}
