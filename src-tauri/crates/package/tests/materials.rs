//! The signed header and the materials say the same thing: the header is
//! derived from `package.json` when building, and a package whose header
//! disagrees with its materials is refused at unlock with nothing written
//! (issue 11 item 1, issue 15 item 2).

#![allow(clippy::unwrap_used)] // test helpers: a failure is a test failure

mod support;

use std::{fs, path::Path};

use time::macros::{date, datetime};
use vpr_package::{
    build, default_keys_release, BuildRequest, FixedClock, HeaderClaims, Issuer, IssuerKey, Limits,
    MaterialsHeader, PackageError, PackageMeta, SealedPackage, TrustedIssuers, MAX_PACKAGE_JSON,
};

const DAY: &str = "k7m3-9xwp-c4hr-2tnv";
const KEYS: &str = "Пр9#vR2q-Xm7$Lw4";
const MORNING: FixedClock = FixedClock(datetime!(2026-04-15 09:00 +3));

fn meta(demo: bool) -> PackageMeta {
    PackageMeta {
        package_id: "2026-eng-7-000123".into(),
        title: "ВПР. Английский язык. 7 класс".into(),
        school: "МБОУ СОШ № 1".into(),
        subject: "Английский язык".into(),
        grade: 7,
        language: "en".into(),
        exam_date: date!(2026 - 04 - 15),
        materials_release: datetime!(2026-04-15 07:30 +3),
        keys_release: default_keys_release(date!(2026 - 04 - 15)),
        demo,
    }
}

/// A source folder with `package_json` as its materials.
fn source(package_json: Option<&[u8]>) -> tempfile::TempDir {
    let src = tempfile::tempdir().unwrap();
    fs::create_dir_all(src.path().join("media")).unwrap();
    fs::write(src.path().join("media/track1.wav"), b"RIFF....WAVE").unwrap();
    fs::write(src.path().join("keys.json"), b"{}").unwrap();
    if let Some(bytes) = package_json {
        fs::write(src.path().join("package.json"), bytes).unwrap();
    }
    src
}

/// Built by hand with the library: the header `meta` signed over whatever
/// the materials say.
fn built(header: PackageMeta, package_json: Option<&[u8]>, issuer: &Issuer) -> Vec<u8> {
    let src = source(package_json);
    let req = BuildRequest {
        source: src.path(),
        meta: header,
        password: DAY,
        keys_password: KEYS,
        issuer,
        limits: Limits::default(),
        created: datetime!(2026-04-01 10:00 UTC),
    };
    build(&req).unwrap().0
}

fn real_issuer() -> (Issuer, TrustedIssuers) {
    let issuer = Issuer::from_pkcs8(&Issuer::generate_pkcs8().unwrap()).unwrap();
    let mut trust = TrustedIssuers::demo();
    trust.add(IssuerKey::new(issuer.public_key(), "Региональный центр"));
    (issuer, trust)
}

/// Unlock into a fresh station folder; on refusal the folder is unchanged.
fn unlock(bytes: &[u8], trust: &TrustedIssuers) -> Result<SealedPackage, PackageError> {
    let station = tempfile::tempdir().unwrap();
    let target = station.path().join("materials");
    let package = SealedPackage::open(bytes, trust, &Limits::default())?;
    let result = package.unlock_materials(DAY, &MORNING, &target);
    if result.is_err() {
        assert!(!target.exists(), "a refused unlock wrote the materials");
        assert_eq!(fs::read_dir(station.path()).unwrap().count(), 0);
    }
    result.map(|_| package)
}

fn mismatch(e: &PackageError) -> (&'static str, String, String) {
    match e {
        PackageError::MaterialsMismatch {
            field,
            header,
            materials,
        } => (field, header.clone(), materials.clone()),
        other => panic!("expected a mismatch, got {other:?}"),
    }
}

#[test]
fn demo_key_header_saying_training_over_exam_materials_is_refused_at_unlock() {
    // The attack: the demo key (its private half is public) signs a header
    // that says "training", over materials that claim a real work.
    let demo = support::demo_issuer();
    let exam_json = support::package_json(&meta(false), "настоящая работа");
    let bytes = built(meta(true), Some(&exam_json), &demo);
    let e = unlock(&bytes, &TrustedIssuers::demo()).unwrap_err();
    let (field, header, materials) = mismatch(&e);
    assert!(field.contains("учебный"), "{field}");
    assert_eq!((header.as_str(), materials.as_str()), ("да", "нет"));
    let text = e.to_string();
    assert!(
        text.contains("заголов") && text.contains("не распакован"),
        "{text}"
    );
    assert_eq!(vpr_error::Coded::code(&e), "package_materials_mismatch");
    // Nor does the decrypted archive come out by another door.
    let package = SealedPackage::open(&bytes, &TrustedIssuers::demo(), &Limits::default()).unwrap();
    assert!(matches!(
        package.materials(DAY, &MORNING),
        Err(PackageError::MaterialsMismatch { .. })
    ));
}

#[test]
fn real_header_saying_exam_over_training_materials_is_refused_at_unlock() {
    let (issuer, trust) = real_issuer();
    for flag in ["demo", "training"] {
        let mut p: serde_json::Value =
            serde_json::from_slice(&support::package_json(&meta(false), flag)).unwrap();
        p[flag] = true.into();
        let bytes = built(meta(false), Some(&serde_json::to_vec(&p).unwrap()), &issuer);
        let e = unlock(&bytes, &trust).unwrap_err();
        assert_eq!(mismatch(&e).1, "нет", "{flag}: {e}");
        assert_eq!(mismatch(&e).2, "да", "{flag}: {e}");
    }
}

#[test]
fn each_header_field_is_compared_with_the_materials() {
    let (issuer, trust) = real_issuer();
    let good = meta(false);
    let json = support::package_json(&good, "поля");
    type Case = (
        &'static str,
        fn(&mut PackageMeta),
        &'static str,
        &'static str,
    );
    let cases: [Case; 5] = [
        (
            "идентификатор",
            |m| m.package_id = "2026-eng-7-000999".into(),
            "2026-eng-7-000999",
            "2026-eng-7-000123",
        ),
        ("класс", |m| m.grade = 11, "11", "7"),
        ("язык", |m| m.language = "de".into(), "de", "en"),
        (
            "название",
            |m| m.title = "ВПР. Английский язык. 11 класс".into(),
            "ВПР. Английский язык. 11 класс",
            "ВПР. Английский язык. 7 класс",
        ),
        (
            "предмет",
            |m| m.subject = "Немецкий язык".into(),
            "Немецкий язык",
            "Английский язык",
        ),
    ];
    for (name, change, in_header, in_materials) in cases {
        let mut header = good.clone();
        change(&mut header);
        let e = unlock(&built(header, Some(&json), &issuer), &trust).unwrap_err();
        let (field, h, m) = mismatch(&e);
        assert!(field.contains(name), "{name}: {field}");
        assert_eq!((h.as_str(), m.as_str()), (in_header, in_materials));
        let text = e.to_string();
        assert!(
            text.contains(in_header) && text.contains(in_materials),
            "{text}"
        );
    }
    // The agreeing package unlocks, and the station reads training versus
    // exam and the id from the signed header.
    let package = unlock(&built(good, Some(&json), &issuer), &trust).unwrap();
    assert!(!package.is_training());
    assert_eq!(package.package_id(), "2026-eng-7-000123");
    let loaded = vpr_exam::Package::from_json(&json).unwrap();
    package.check_materials(&loaded).unwrap();
    // A package.json edited on disk after the unlock is caught by the station's check.
    let edited = vpr_exam::Package {
        demo: true,
        ..loaded
    };
    assert!(matches!(
        package.check_materials(&edited),
        Err(PackageError::MaterialsMismatch { .. })
    ));
}

#[test]
fn materials_without_a_readable_package_json_are_refused() {
    let (issuer, trust) = real_issuer();
    let too_big = vec![b' '; usize::try_from(MAX_PACKAGE_JSON).unwrap() + 1];
    for (json, what) in [
        (None, "нет файла package.json"),
        (Some(&b"{}"[..]), "package.json"),
        (Some(&b"not json"[..]), "package.json"),
        (Some(&too_big[..]), "байт при допустимых"),
    ] {
        let e = unlock(&built(meta(false), json, &issuer), &trust).unwrap_err();
        assert!(
            matches!(&e, PackageError::BadMaterials(m) if m.contains(what)),
            "{what}: {e:?}"
        );
    }
}

#[test]
fn the_header_is_derived_from_the_fixtures_and_flags_only_confirm() {
    let packages = support::fixtures().join("packages");
    let read = |name: &str| MaterialsHeader::read_dir(&packages.join(name)).unwrap();
    let en11 = read("fixture-11-timing");
    assert_eq!(
        en11,
        MaterialsHeader {
            package_id: "test-11-timing".into(),
            title: "Тестовый пакет: порядок компьютерной формы 11 класса 2020–23 (не модель ВПР: баллы и шкала условные)".into(),
            subject: "Английский язык".into(),
            grade: 11,
            language: "en".into(),
            demo: true,
        }
    );
    assert_eq!(read("de-7").subject, "Немецкий язык");
    assert_eq!(read("fr-7").subject, "Французский язык");
    let training = read("training");
    assert!(training.demo && training.package_id == "training");

    let meta = en11.meta(
        "Школа № 5",
        date!(2026 - 04 - 15),
        datetime!(2026-04-15 07:30 +3),
        datetime!(2026-04-15 14:00 +3),
    );
    assert_eq!((meta.grade, meta.school.as_str()), (11, "Школа № 5"));
    en11.check_header(&meta).unwrap();

    let confirming = HeaderClaims {
        package_id: Some("test-11-timing".into()),
        grade: Some(11),
        language: Some("en".into()),
        demo: Some(true),
        ..HeaderClaims::default()
    };
    confirming.confirm(&en11).unwrap();
    HeaderClaims::default().confirm(&en11).unwrap();
    let e = HeaderClaims {
        grade: Some(7),
        ..confirming.clone()
    }
    .confirm(&en11)
    .unwrap_err();
    assert!(
        matches!(&e, PackageError::ClaimMismatch { flag: "--grade", given, materials } if given == "7" && materials == "11"),
        "{e:?}"
    );
    assert!(e.to_string().contains("--grade «7»"), "{e}");
    let e = HeaderClaims {
        demo: Some(false),
        ..HeaderClaims::default()
    }
    .confirm(&en11)
    .unwrap_err();
    assert!(
        matches!(&e, PackageError::ClaimMismatch { flag: "--demo", .. }),
        "{e:?}"
    );

    // A package.json beyond the cap is refused before it is parsed.
    let src = source(Some(&vec![b' '; 5 * 1024 * 1024]));
    assert!(matches!(
        MaterialsHeader::read_dir(src.path()),
        Err(PackageError::BadMaterials(_))
    ));
    assert!(matches!(
        MaterialsHeader::read_dir(Path::new("/nonexistent-vpr-source")),
        Err(PackageError::Io { .. })
    ));
}

#[test]
fn demo_key_packages_are_training_by_the_signed_header() {
    let demo = support::demo_issuer();
    let training = meta(true);
    let json = support::package_json(&training, "учебный");
    let package = unlock(
        &built(training, Some(&json), &demo),
        &TrustedIssuers::demo(),
    )
    .unwrap();
    assert!(package.is_training());
    assert!(package.view(&MORNING).demo_issuer);
}

#[test]
fn the_shelf_hands_the_station_materials_checked_against_the_header() {
    // A whole fixture (media included), header derived as `vpr package build` does.
    let src = support::fixtures().join("packages/en-7");
    let header = MaterialsHeader::read_dir(&src).unwrap();
    let meta = header.meta(
        "Школа",
        date!(2026 - 04 - 15),
        datetime!(2026-04-15 07:30 +3),
        datetime!(2026-04-15 14:00 +3),
    );
    let demo = support::demo_issuer();
    let req = BuildRequest {
        source: &src,
        meta,
        password: "demo",
        keys_password: "demo-keys",
        issuer: &demo,
        limits: Limits::default(),
        created: datetime!(2026-04-01 10:00 UTC),
    };
    let usb = tempfile::tempdir().unwrap();
    let file = usb.path().join("en-7.vprpkg");
    fs::write(&file, build(&req).unwrap().0).unwrap();
    let data = tempfile::tempdir().unwrap();
    let shelf = vpr_package::PackageShelf::new(
        data.path().join("packages"),
        TrustedIssuers::demo(),
        Limits::default(),
    );
    shelf.load(&file, &MORNING).unwrap();
    assert!(matches!(
        shelf.unlocked("demo-en-7"),
        Err(PackageError::BadMaterials(m)) if m.contains("не расшифрованы")
    ));
    shelf.unlock("demo-en-7", "demo", &MORNING).unwrap();
    let (sealed, package) = shelf.unlocked("demo-en-7").unwrap();
    assert!(sealed.is_training());
    assert_eq!(
        (sealed.package_id(), package.id.as_str()),
        ("demo-en-7", "demo-en-7")
    );

    // Someone edits the unlocked package.json on the station: refused.
    let json = shelf.materials_dir("demo-en-7").join("package.json");
    let text = fs::read_to_string(&json).unwrap();
    fs::write(&json, text.replacen("\"grade\": 7", "\"grade\": 11", 1)).unwrap();
    let e = shelf.unlocked("demo-en-7").unwrap_err();
    assert_eq!(mismatch(&e).0, "класс (grade)", "{e}");
}
