//! The chain of custody at the station, end to end through its public API:
//! a package built and signed, loaded and unlocked on the shelf, the station
//! mode started on it, a work run, and what the databases and the bundle hold.

#![allow(clippy::unwrap_used)]

use std::{path::Path, sync::Arc};

use serde_json::Value;
use vpr_error::Coded;
use vpr_package::{
    build, generate_password, time, BuildRequest, Issuer, Limits, MaterialsHeader, PackageMeta,
};

use crate::{
    export, fixtures, identity::set_identity, packages, Notifier, OrganizerAction, PinRole,
    Station, StudentAction,
};

const PIN: &str = "274915";

/// The training package's folder with `edit` applied to its `package.json`.
fn source(dir: &Path, edit: impl FnOnce(&mut Value)) -> std::path::PathBuf {
    let fixtures = fixtures::fixtures_dir(&[]).unwrap();
    let src = fixtures.join(fixtures::TRAINING_PACKAGE);
    let dst = dir.join("src");
    copy_dir(&src, &dst);
    let mut p: Value =
        serde_json::from_slice(&std::fs::read(dst.join("package.json")).unwrap()).unwrap();
    edit(&mut p);
    std::fs::write(
        dst.join("package.json"),
        serde_json::to_vec_pretty(&p).unwrap(),
    )
    .unwrap();
    dst
}

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

fn meta_of(src: &Path) -> PackageMeta {
    let release = time::OffsetDateTime::now_utc() - time::Duration::hours(1);
    MaterialsHeader::read_dir(src)
        .unwrap()
        .meta("Школа № 1", release.date(), release, release)
}

/// Build `src` signed by `issuer` into `out` (the header from the materials).
fn sign(src: &Path, issuer: &Issuer, password: &str, keys: &str, out: &Path) {
    let meta = meta_of(src);
    let req = BuildRequest {
        source: src,
        created: meta.materials_release,
        meta,
        password,
        keys_password: keys,
        issuer,
        limits: Limits::default(),
    };
    std::fs::write(out, build(&req).unwrap().0).unwrap();
}

fn demo_issuer() -> Issuer {
    let key = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../audio-fixtures/issuer/demo-issuer.DEMO-ONLY.pk8");
    Issuer::read(&key).unwrap()
}

/// A station with its identity and the organizer's PIN.
fn station(data: &Path) -> Station {
    let station = Station::open(data).unwrap();
    set_identity(station.layout(), "770001", "12", 3).unwrap();
    station.access().set(PinRole::Organizer, PIN).unwrap();
    station
}

fn start(station: &mut Station) -> crate::Result<()> {
    let fixtures = fixtures::fixtures_dir(&[]).unwrap();
    let notify: Notifier = Arc::new(|_| {});
    station.start_station_mode(Some(&fixtures), notify)
}

/// Code, confirmation, then the organizer ends the work.
fn sit(station: &Station, code: &str) {
    let exam = station.exam().unwrap();
    exam.act(StudentAction::EnterCode { code: code.into() })
        .unwrap();
    exam.act(StudentAction::ConfirmCode { correct: true })
        .unwrap();
    station.organizer(PIN, &OrganizerAction::EndEarly).unwrap();
}

fn sessions(db: &Path) -> Vec<vpr_store::Session> {
    if !db.is_file() {
        return Vec::new();
    }
    vpr_store::Store::open(db).unwrap().sessions().unwrap()
}

/// The attack of issue 11: a package signed with the demo key whose
/// `package.json` claims real work (`"demo": false`; the header still says
/// training, through `"training": true`). It ran as an exam into the exam
/// database; now it is training, and the export refuses to pass it off.
#[test]
fn a_demo_key_package_whose_package_json_claims_real_work_runs_as_training() {
    let tmp = tempfile::tempdir().unwrap();
    let src = source(tmp.path(), |p| {
        p["demo"] = false.into();
        p["training"] = true.into();
    });
    let file = tmp.path().join("forged.vprpkg");
    sign(&src, &demo_issuer(), "a", "b", &file);
    let data = tmp.path().join("data");
    let mut station = station(&data);
    let layout = station.layout().clone();
    let info = packages::load(&layout, &file.display().to_string()).unwrap();
    assert!(info.demo, "the technician sees a training package");
    packages::unlock(&layout, &info.package_id, "a").unwrap();
    // The unsigned folder says real work.
    let json: Value = serde_json::from_slice(
        &std::fs::read(super::shelf_materials(&layout, &info.package_id).join("package.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(json["demo"], Value::Bool(false));

    start(&mut station).unwrap();
    assert!(station.exam().unwrap().is_training());
    assert!(station.status().demo, "the demo banner is shown");
    sit(&station, "12345");
    assert!(
        sessions(&layout.exam_db()).is_empty(),
        "nothing in the exam database"
    );
    let training = sessions(&layout.training_db());
    assert_eq!(training.len(), 1);
    assert_eq!(training[0].status, vpr_store::SessionStatus::Training);
    // The export takes exam work only: refused as empty, or without it.
    let out = tempfile::tempdir().unwrap();
    match export::export(&layout, &out.path().display().to_string()) {
        Err(_) => assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0),
        Ok(b) => {
            let key = vpr_integrity::StationKey::load(layout.key_dir()).unwrap();
            let v = vpr_bundle::verify_bundle(
                Path::new(&b.path),
                &vpr_bundle::TrustedKeys::only(&[key.public_key()]),
            )
            .unwrap();
            assert!(v.manifest.participants.iter().all(|p| p.code != "12345"));
        }
    }
}

/// The unlocked `package.json` edited on disk to disagree with the signed
/// header: the station refuses to start on it, naming the field.
#[test]
fn a_start_whose_package_json_disagrees_with_the_signed_header_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let src = source(tmp.path(), |_| {});
    let file = tmp.path().join("demo.vprpkg");
    sign(&src, &demo_issuer(), "a", "b", &file);
    let data = tmp.path().join("data");
    let mut station = station(&data);
    let layout = station.layout().clone();
    let info = packages::load(&layout, &file.display().to_string()).unwrap();
    packages::unlock(&layout, &info.package_id, "a").unwrap();
    let json = super::shelf_materials(&layout, &info.package_id).join("package.json");
    let mut p: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    p["demo"] = false.into();
    p["training"] = false.into();
    std::fs::write(&json, serde_json::to_vec_pretty(&p).unwrap()).unwrap();

    let e = start(&mut station).err().unwrap();
    assert_eq!(e.code(), "package_materials_mismatch", "{e}");
    assert!(e.to_string().contains("учебный"), "{e}");
    assert!(station.exam().is_err());
    assert!(sessions(&layout.exam_db()).is_empty());
}

/// A station with an exam package of a freshly trusted school issuer
/// loaded, unlocked and started: (station, package file SHA-256, issuer).
fn exam_station(tmp: &Path) -> (Station, String, Issuer) {
    let src = source(tmp, |p| {
        p["demo"] = false.into();
        p["training"] = false.into();
        p["id"] = "en7-2026".into();
    });
    let pk8 = tmp.join("school.pk8");
    std::fs::write(&pk8, Issuer::generate_pkcs8().unwrap()).unwrap();
    let issuer = Issuer::read(&pk8).unwrap();
    let (day, keys) = (
        generate_password().unwrap().text,
        generate_password().unwrap().text,
    );
    let file = tmp.join("en7.vprpkg");
    sign(&src, &issuer, &day, &keys, &file);
    let sha = vpr_integrity::sha256(&std::fs::read(&file).unwrap()).to_string();
    let mut station = station(&tmp.join("data"));
    let layout = station.layout().clone();
    let pubkey = tmp.join("school.pub");
    std::fs::write(&pubkey, issuer.public_key_hex()).unwrap();
    packages::trust::add(&layout, &pubkey, Some("Школа № 1")).unwrap();
    let info = packages::load(&layout, &file.display().to_string()).unwrap();
    assert!(!info.demo);
    packages::unlock(&layout, &info.package_id, &day).unwrap();
    start(&mut station).unwrap();
    (station, sha, issuer)
}

fn export_verified(station: &Station) -> (Vec<u8>, vpr_bundle::VerifiedBundle) {
    let layout = station.layout();
    let out = tempfile::tempdir().unwrap();
    let exported = export::export(layout, &out.path().display().to_string()).unwrap();
    let key = vpr_integrity::StationKey::load(layout.key_dir()).unwrap();
    let path = Path::new(&exported.path);
    let v = vpr_bundle::verify_bundle(path, &vpr_bundle::TrustedKeys::only(&[key.public_key()]))
        .unwrap();
    (std::fs::read(path).unwrap(), v)
}

/// A real work from a trusted issuer runs as an exam, every session and the
/// bundle carry the package file's SHA-256 and the issuer, and the receipt
/// the closed screen shows is the one the bundle's journal gives.
#[test]
fn an_exam_package_of_a_trusted_issuer_runs_as_exam_with_its_hash_in_the_bundle() {
    let tmp = tempfile::tempdir().unwrap();
    let (station, sha, issuer) = exam_station(tmp.path());
    let layout = station.layout().clone();
    let exam = station.exam().unwrap();
    assert!(!exam.is_training());
    assert!(!station.status().demo);
    assert_eq!(exam.custody().package_sha256.as_deref(), Some(sha.as_str()));
    sit(&station, "12345");
    let shown = exam.view().receipt.unwrap();
    let rows = sessions(&layout.exam_db());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].package_sha256.as_deref(), Some(sha.as_str()));
    assert_eq!(
        rows[0].issuer_fingerprint.as_deref(),
        Some(issuer.fingerprint().as_str())
    );

    let (_, v) = export_verified(&station);
    let s = &v.answers[0].sessions[0];
    assert_eq!(s.package_sha256.as_deref(), Some(sha.as_str()));
    assert_eq!(
        s.issuer_fingerprint.as_deref(),
        Some(issuer.fingerprint().as_str())
    );
    let receipts = vpr_bundle::session_receipts(&v.journal);
    assert_eq!(
        shown,
        vpr_integrity::display_receipt(&receipts[&s.session_id])
    );
    assert_eq!(shown.len(), 9, "{shown}");
}

/// An organizer's failure act from an older screen still carrying a free
/// note with a name: only the reason code is kept; the name is in no byte
/// of the bundle, no record of the journal and no log line.
#[test]
fn a_technical_failure_with_a_name_in_its_old_note_leaves_only_its_code() {
    const NAME: &str = "Иванова Мария";
    let tmp = tempfile::tempdir().unwrap();
    let (station, _, _) = exam_station(tmp.path());
    let exam = station.exam().unwrap();
    exam.act(StudentAction::EnterCode {
        code: "12345".into(),
    })
    .unwrap();
    exam.act(StudentAction::ConfirmCode { correct: true })
        .unwrap();
    let action: OrganizerAction = serde_json::from_value(serde_json::json!({
        "action": "technical_failure",
        "reason": "headset",
        "note": format!("{NAME}: не работает гарнитура"),
    }))
    .unwrap();
    let log = Arc::new(std::sync::Mutex::new(Vec::<u8>::new()));
    let sink = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || LogSink(sink.clone()))
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        station.organizer(PIN, &action).unwrap();
    });
    let log = String::from_utf8(log.lock().unwrap().clone()).unwrap();
    assert!(log.contains("technical_failure"), "{log}");
    assert!(log.contains("headset"), "{log}");
    assert!(!log.contains("Иванова"), "{log}");

    let store = vpr_store::Store::open(&station.layout().exam_db()).unwrap();
    let rows = store.sessions().unwrap();
    assert_eq!(rows[0].status, vpr_store::SessionStatus::TechnicalFailure);
    for link in store.journal().unwrap() {
        assert!(!link.body.contains("Иванова"), "{}", link.body);
    }
    let (bytes, v) = export_verified(&station);
    let needle = "Иванова".as_bytes();
    assert!(!bytes.windows(needle.len()).any(|w| w == needle));
    assert!(v.journal.iter().any(|l| l.body.contains("\"headset\"")));
    assert!(
        exam.view().receipt.is_some(),
        "a failure act gets a receipt too"
    );
}

struct LogSink(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A folder outside the shelf vouches for nothing: whatever its
/// `package.json` says, it runs as training, with no package hash.
#[test]
fn an_unsigned_folder_claiming_real_work_runs_as_training() {
    let tmp = tempfile::tempdir().unwrap();
    let src = source(tmp.path(), |p| {
        p["demo"] = false.into();
        p["training"] = false.into();
    });
    let layout = crate::StationLayout::new(tmp.path().join("data"));
    let (package, custody) = super::open(&layout, &src).unwrap();
    assert!(!package.demo && !package.training);
    assert!(custody.training);
    assert_eq!(custody.package_sha256, None);
    assert_eq!(custody.issuer_fingerprint, None);
}
