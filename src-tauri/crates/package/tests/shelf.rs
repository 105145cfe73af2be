//! The station's package shelf: load from a drive, list, unlock, remove.

#![allow(clippy::unwrap_used)] // test helpers: a failure is a test failure

mod support;

use std::fs;

use time::macros::{date, datetime};
use vpr_package::{
    build, default_keys_release, BuildRequest, FixedClock, Issuer, Limits, PackageError,
    PackageMeta, PackageShelf, TrustedIssuers,
};

fn meta(id: &str) -> PackageMeta {
    PackageMeta {
        package_id: id.into(),
        title: "Немецкий язык, 11 класс".into(),
        school: "Гимназия № 2".into(),
        subject: "Немецкий язык".into(),
        grade: 11,
        language: "de".into(),
        exam_date: date!(2026 - 04 - 16),
        materials_release: datetime!(2026-04-16 07:30 +3),
        keys_release: default_keys_release(date!(2026 - 04 - 16)),
        demo: true,
    }
}

/// The materials' `package.json` of package `id`, version `note`.
fn json(id: &str, note: &str) -> Vec<u8> {
    support::package_json(&meta(id), note)
}

fn package(id: &str, note: &str) -> Vec<u8> {
    let src = tempfile::tempdir().unwrap();
    fs::create_dir_all(src.path().join("media")).unwrap();
    fs::write(src.path().join("package.json"), json(id, note)).unwrap();
    fs::write(src.path().join("media/a.wav"), b"RIFF....WAVE").unwrap();
    fs::write(src.path().join("keys.json"), b"{}").unwrap();
    let issuer: Issuer = support::demo_issuer();
    let req = BuildRequest {
        source: src.path(),
        meta: meta(id),
        password: "day",
        keys_password: "keys",
        issuer: &issuer,
        limits: Limits::default(),
        created: datetime!(2026-04-01 00:00 UTC),
    };
    build(&req).unwrap().0
}

#[test]
fn load_list_unlock_remove() {
    let usb = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let file = usb.path().join("de-11.vprpkg");
    fs::write(&file, package("de-11", "v1")).unwrap();
    let shelf = PackageShelf::new(
        data.path().join("packages"),
        TrustedIssuers::demo(),
        Limits::default(),
    );
    let evening_before = FixedClock(datetime!(2026-04-15 18:00 +3));
    let morning = FixedClock(datetime!(2026-04-16 08:00 +3));
    let afternoon = FixedClock(datetime!(2026-04-16 14:05 +3));

    assert!(shelf.list(&morning).unwrap().is_empty());
    let view = shelf.load(&file, &evening_before).unwrap();
    assert_eq!(view.header.meta.package_id, "de-11");
    assert!(!view.materials_released);
    // Loading the same file again changes nothing.
    shelf.load(&file, &evening_before).unwrap();
    let names: Vec<_> = fs::read_dir(shelf.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["de-11.vprpkg"]);

    // The day before: loaded, verified, locked.
    let err = shelf.unlock("de-11", "day", &evening_before).unwrap_err();
    assert!(
        matches!(err, PackageError::NotYetReleased { .. }),
        "{err:?}"
    );
    let list = shelf.list(&evening_before).unwrap();
    assert_eq!(list.len(), 1);
    assert!(list[0].view.is_some() && list[0].problem.is_none() && !list[0].unlocked);

    // On the day.
    assert!(matches!(
        shelf.unlock("de-11", "night", &morning),
        Err(PackageError::WrongPassword)
    ));
    let report = shelf.unlock("de-11", "day", &morning).unwrap();
    assert_eq!(report.files, 2);
    assert_eq!(
        fs::read(shelf.materials_dir("de-11").join("package.json")).unwrap(),
        json("de-11", "v1")
    );
    assert!(!shelf.materials_dir("de-11").join("keys.json").exists());
    assert!(matches!(
        shelf.unlock_keys("de-11", "keys", &morning),
        Err(PackageError::KeysNotYetReleased { .. })
    ));
    shelf.unlock_keys("de-11", "keys", &afternoon).unwrap();
    let list = shelf.list(&afternoon).unwrap();
    assert!(list[0].unlocked && list[0].keys_unlocked);
    assert!(list[0].view.as_ref().unwrap().keys_released);

    // A different file with the same id cannot replace an unlocked package.
    let other = usb.path().join("other.vprpkg");
    fs::write(&other, package("de-11", "v2")).unwrap();
    assert!(matches!(
        shelf.load(&other, &afternoon),
        Err(PackageError::TargetExists(_))
    ));

    // Ids from outside never name a path outside the shelf.
    for bad in ["../de-11", "", ".hidden", "a/b"] {
        assert!(
            matches!(shelf.open(bad), Err(PackageError::NotLoaded(_))),
            "{bad}"
        );
    }
    assert!(matches!(
        shelf.open("absent"),
        Err(PackageError::NotLoaded(_))
    ));

    shelf.remove("de-11").unwrap();
    assert_eq!(fs::read_dir(shelf.dir()).unwrap().count(), 0);
    // A locked package with the same id may be replaced by a newer file.
    shelf.load(&file, &morning).unwrap();
    shelf.load(&other, &morning).unwrap();
    shelf.unlock("de-11", "day", &morning).unwrap();
    assert_eq!(
        fs::read(shelf.materials_dir("de-11").join("package.json")).unwrap(),
        json("de-11", "v2")
    );
}

#[test]
fn bad_files_never_reach_the_shelf_and_tampering_on_disk_is_reported() {
    let usb = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let shelf = PackageShelf::new(
        data.path().join("packages"),
        TrustedIssuers::demo(),
        Limits::default(),
    );
    let clock = FixedClock(datetime!(2026-04-16 08:00 +3));
    let good = package("en-7", "v1");

    let mut bad = good.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x10;
    let file = usb.path().join("bad.vprpkg");
    fs::write(&file, &bad).unwrap();
    assert!(matches!(
        shelf.load(&file, &clock),
        Err(PackageError::BadSignature)
    ));
    assert!(
        !shelf.dir().exists(),
        "a refused package leaves nothing on the station"
    );
    let untrusted = PackageShelf::new(shelf.dir(), TrustedIssuers::new(), Limits::default());
    fs::write(&file, &good).unwrap();
    assert!(matches!(
        untrusted.load(&file, &clock),
        Err(PackageError::UntrustedIssuer { .. })
    ));
    assert!(!shelf.dir().exists());

    shelf.load(&file, &clock).unwrap();
    // Someone edits the stored copy: listed with the reason, refused on use.
    fs::write(shelf.dir().join("en-7.vprpkg"), &bad).unwrap();
    let list = shelf.list(&clock).unwrap();
    assert!(list[0].view.is_none());
    assert!(
        list[0].problem.as_deref().unwrap().contains("Подпись"),
        "{:?}",
        list[0].problem
    );
    assert!(matches!(
        shelf.unlock("en-7", "day", &clock),
        Err(PackageError::BadSignature)
    ));
    assert!(!shelf.materials_dir("en-7").exists());
}
