//! The station's chain of custody in the real app: an exam package of a
//! trusted school issuer, loaded and unlocked on the station's shelf, runs
//! as real work (no demo banner, the exam database); the organizer closes
//! it with a technical-failure act choosing a reason from the list (no free
//! text); the closed screen shows the paper receipt, which is the one the
//! station's journal (and so the exported bundle) gives, and the message
//! does not repeat the title «Работа завершена».

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use vpr_e2e::{workspace_root, App, Launch, Result};
use vpr_package::{
    build, generate_password, time, BuildRequest, Issuer, IssuerKey, Limits, MaterialsHeader,
    PackageShelf, SystemClock, TrustedIssuers,
};

const PIN: &str = "274915";

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dst.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), dst.join(e.file_name())).unwrap();
        }
    }
}

/// The training package made an exam work of a fresh school issuer, the
/// issuer put on the station's trust list (its file, as the technician's
/// screen writes it), the package loaded and unlocked on the shelf.
/// Returns the unlocked materials folder.
fn exam_on_shelf(tmp: &Path, data: &Path) -> PathBuf {
    let src = tmp.join("src");
    copy_dir(
        &workspace_root().join("audio-fixtures/packages/training"),
        &src,
    );
    let json = src.join("package.json");
    let mut p: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    p["demo"] = false.into();
    p["training"] = false.into();
    p["id"] = "en7-exam".into();
    std::fs::write(&json, serde_json::to_vec_pretty(&p).unwrap()).unwrap();

    let pk8 = tmp.join("school.pk8");
    std::fs::write(&pk8, Issuer::generate_pkcs8().unwrap()).unwrap();
    let issuer = Issuer::read(&pk8).unwrap();
    let release = time::OffsetDateTime::now_utc() - time::Duration::hours(1);
    let meta = MaterialsHeader::read_dir(&src).unwrap().meta(
        "Школа № 1",
        release.date(),
        release,
        release,
    );
    let (day, keys) = (
        generate_password().unwrap().text,
        generate_password().unwrap().text,
    );
    let bytes = build(&BuildRequest {
        source: &src,
        meta,
        password: &day,
        keys_password: &keys,
        issuer: &issuer,
        limits: Limits::default(),
        created: release,
    })
    .unwrap()
    .0;
    let file = tmp.join("en7-exam.vprpkg");
    std::fs::write(&file, bytes).unwrap();

    std::fs::create_dir_all(data).unwrap();
    std::fs::write(
        data.join("trusted-issuers.json"),
        serde_json::to_vec_pretty(&serde_json::json!({
            "keys": [{"public_key": issuer.public_key_hex(), "label": "Школа № 1"}]
        }))
        .unwrap(),
    )
    .unwrap();
    let mut trust = TrustedIssuers::demo();
    trust.add(IssuerKey::new(issuer.public_key(), "Школа № 1"));
    let shelf = PackageShelf::new(data.join("packages"), trust, Limits::default());
    shelf.load(&file, &SystemClock).unwrap();
    shelf.unlock("en7-exam", &day, &SystemClock).unwrap();
    shelf.materials_dir("en7-exam")
}

#[tokio::test(flavor = "multi_thread")]
async fn an_exam_work_closed_by_a_failure_act_shows_the_receipt_of_its_journal() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("data");
    let materials = exam_on_shelf(tmp.path(), &data);
    let mut app = App::launch(
        "station_custody_receipt",
        Launch {
            data_dir: Some(data.clone()),
            env: vec![("VPR_PACKAGE_DIR".into(), materials.display().to_string())],
            prepare: Some(Box::new(|dir| {
                let access = vpr_access::AccessStore::open(dir)?;
                if !access.is_set(vpr_access::PinRole::Organizer) {
                    access.set(vpr_access::PinRole::Organizer, PIN)?;
                }
                Ok(())
            })),
            ..Launch::default()
        },
    )
    .await?;

    for d in ["1", "2", "3", "4", "5"] {
        app.click(&format!("pad-{d}")).await?;
    }
    app.click("code-submit").await?;
    app.wait_attr("station", "data-screen", 10, |s| s == "confirm")
        .await?;
    app.click("confirm-yes").await?;
    app.wait_attr("station", "data-screen", 10, |s| s == "briefing")
        .await?;

    // The organizer's failure act: a reason from the list, no text field.
    app.click("organizer-open").await?;
    app.by_testid("organizer-pin").await?.send_keys(PIN).await?;
    app.click("organizer-pin-next").await?;
    app.click("org-failure").await?;
    app.by_testid("org-failure-reasons").await?;
    assert!(
        app.js("return document.querySelectorAll('[data-testid=organizer-overlay] textarea, [data-testid=organizer-overlay] input[type=text]').length")
            .await?
            .as_u64()
            == Some(0),
        "no free-text field in the organizer's act"
    );
    app.shot("failure-reasons").await?;
    app.click("org-failure-reason-headset").await?;
    app.click("org-failure-confirm").await?;
    app.wait_attr("station", "data-screen", 10, |s| s == "closed")
        .await?;
    app.shot("closed-receipt").await?;
    let receipt = app.text("closed-receipt").await?;
    let screen = app.text("screen-closed").await?;
    assert_eq!(
        screen.matches("Работа завершена").count(),
        1,
        "the title only: {screen}"
    );
    assert!(screen.contains("протокол"), "{screen}");
    app.quit().await?;

    // Real work: the exam database, and the receipt is its journal's.
    assert!(!vpr_store::training_path(&data).exists());
    let store = vpr_store::Store::open(&vpr_store::exam_path(&data))?;
    store.verify()?;
    let s = store.sessions()?.pop().expect("a session");
    assert_eq!(s.status, vpr_store::SessionStatus::TechnicalFailure);
    assert!(s.package_sha256.is_some() && s.issuer_fingerprint.is_some());
    let journal = store.journal()?;
    let receipts = vpr_bundle::session_receipts(&journal);
    assert_eq!(receipt, vpr_integrity::display_receipt(&receipts[&s.id]));
    Ok(())
}
