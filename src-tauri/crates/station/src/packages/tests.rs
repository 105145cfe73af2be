#![allow(clippy::unwrap_used)]
use super::*;
use vpr_package::{build, default_keys_release, BuildRequest, Issuer, PackageMeta};

/// A demo package signed with the project's demo key, written to `dir`.
fn demo_package(dir: &Path) -> (PathBuf, OffsetDateTime) {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("package.json"), b"{}").unwrap();
    let key = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../audio-fixtures/issuer/demo-issuer.DEMO-ONLY.pk8");
    let issuer = Issuer::read(&key).unwrap();
    let exam_date =
        vpr_package::time::Date::from_calendar_date(2026, vpr_package::time::Month::April, 15)
            .unwrap();
    let release = default_keys_release(exam_date);
    let req = BuildRequest {
        source: &src,
        meta: PackageMeta {
            package_id: "en-7".into(),
            title: "Английский язык, 7 класс".into(),
            school: "Школа".into(),
            subject: "Английский язык".into(),
            grade: 7,
            language: "en".into(),
            exam_date,
            materials_release: release,
            keys_release: release,
            demo: true,
        },
        password: "a",
        keys_password: "b",
        issuer: &issuer,
        limits: Limits::default(),
        created: release,
    };
    let file = dir.join("en-7.vprpkg");
    std::fs::write(&file, build(&req).unwrap().0).unwrap();
    (file, release - vpr_package::time::Duration::days(1))
}

#[test]
fn package_checks_cover_the_file_and_the_shelf() {
    let tmp = tempfile::tempdir().unwrap();
    let (file, now) = demo_package(tmp.path());
    let layout = StationLayout::new(tmp.path().join("data"));
    let trust = trust::trusted(&layout).unwrap();

    // Nothing loaded, no file: a warning, not a failure.
    let c = checks(&layout, &trust, None, now);
    assert!(c.iter().all(|c| c.status != CheckStatus::Failed), "{c:?}");
    assert!(c
        .iter()
        .any(|c| c.id == "shelf" && c.status == CheckStatus::Warning));

    // A good file: its header and (a training package) no date warning.
    let c = checks(&layout, &trust, Some(&file), now);
    assert!(c.iter().all(|c| c.status != CheckStatus::Failed), "{c:?}");
    assert!(
        c.iter().any(|c| c.detail.contains("учебный пакет")),
        "{c:?}"
    );

    // Loaded onto the shelf (the station's trust list: the demo key), then
    // tampered with on disk: a failure.
    let info = load(&layout, file.to_str().unwrap()).unwrap();
    assert!(info.demo && info.demo_issuer && info.trusted);
    assert_eq!(list(&layout).unwrap().len(), 1);
    let c = checks(&layout, &trust, None, now);
    assert!(c
        .iter()
        .any(|c| c.id == "shelf" && c.status == CheckStatus::Ok));
    let stored = layout.packages_dir().join("en-7.vprpkg");
    let mut bytes = std::fs::read(&stored).unwrap();
    bytes[100] ^= 1;
    std::fs::write(&stored, bytes).unwrap();
    let c = checks(&layout, &trust, None, now);
    assert!(c
        .iter()
        .any(|c| c.id == "shelf" && c.status == CheckStatus::Failed));
    let listed = list(&layout).unwrap();
    assert!(listed[0].problem.is_some(), "{listed:?}");

    // A station that trusts nobody fails on the file.
    let c = checks(&layout, &TrustedIssuers::new(), Some(&file), now);
    assert!(c
        .iter()
        .any(|c| c.id == "trust" && c.status == CheckStatus::Failed));
    assert!(c
        .iter()
        .any(|c| c.id == "package" && c.status == CheckStatus::Failed));
}

#[test]
fn a_missing_file_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let layout = StationLayout::new(tmp.path());
    let e = load(&layout, "/nonexistent/x.vprpkg").unwrap_err();
    assert!(e.to_string().contains("x.vprpkg"), "{e}");
}
