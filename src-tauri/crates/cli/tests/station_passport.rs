//! `vpr station passport --out DIR`: refused (exit 1, a Russian message)
//! before the station has an identity; then the passport file and its
//! printable page are written, and the file holds the station's real key.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn passport(data: &std::path::Path, out: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vpr"))
        .args(["station", "passport", "--out"])
        .arg(out)
        .arg("--data-dir")
        .arg(data)
        .output()
        .unwrap()
}

#[test]
fn the_passport_is_written_for_a_station_with_an_identity() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("station");
    let usb = tmp.path().join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    let layout = vpr_station::StationLayout::new(&data);

    let refused = passport(&data, &usb);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("код ОО"));
    assert_eq!(std::fs::read_dir(&usb).unwrap().count(), 0);

    vpr_station::identity::set_identity(&layout, "770001", "21", 4).unwrap();
    let done = passport(&data, &usb);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let file = usb.join("station-passport-770001-21-4.json");
    let p = vpr_bundle::StationPassport::read(&file).unwrap();
    let key = vpr_integrity::StationKey::load(layout.key_dir()).unwrap();
    assert_eq!(p.key().unwrap(), key.public_key());
    assert!(String::from_utf8_lossy(&done.stdout).contains(&p.fingerprint));
    assert!(file.with_extension("html").is_file());
}

/// `vpr station trust show FILE` prints a `.pub` key's fingerprint in
/// groups and adds nothing.
#[test]
fn trust_show_prints_the_fingerprint_and_adds_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("station");
    let pk8 = tmp.path().join("school.pk8");
    std::fs::write(&pk8, vpr_package::Issuer::generate_pkcs8().unwrap()).unwrap();
    let issuer = vpr_package::Issuer::read(&pk8).unwrap();
    let file = tmp.path().join("school.pub");
    std::fs::write(&file, issuer.public_key_hex()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vpr"))
        .args(["station", "trust", "show"])
        .arg(&file)
        .arg("--data-dir")
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let fp = issuer.fingerprint();
    assert!(
        text.contains(&format!("{} {}", &fp[..4], &fp[4..8])),
        "{text}"
    );
    let layout = vpr_station::StationLayout::new(&data);
    assert!(!layout.trust_list().exists(), "nothing saved");
}
