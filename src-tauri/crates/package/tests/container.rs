//! The `.vprpkg` container end to end: build → inspect → unlock, and every
//! kind of bad file refused with its own error while the station's folder
//! stays exactly as it was.

#![allow(clippy::unwrap_used)] // test helpers: a failure is a test failure

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
    sync::OnceLock,
};

mod support;

use proptest::prelude::*;
use time::{macros::datetime, OffsetDateTime};
use vpr_error::Coded;
use vpr_package::{
    build, build_to_file, default_keys_release, inspect, inspect_file, BuildRequest, FixedClock,
    Issuer, IssuerKey, Limits, PackageError, PackageMeta, SealedPackage, SizeItem, TrustedIssuers,
    MIN_ITERATIONS,
};

/// Weak on purpose: packages of the demo key are exempt from the strength check.
const PASSWORD: &str = "утро-7391";
const KEYS_PASSWORD: &str = "keys-4420";
/// Strong enough for a real issuer (≥ 70 bits by the estimate).
const STRONG: &str = "k7m3-9xwp-c4hr-2tnv";
const STRONG_KEYS: &str = "Пр9#vR2q-Xm7$Lw4";
const BEFORE: OffsetDateTime = datetime!(2026-04-15 07:29 +3);
const MORNING: OffsetDateTime = datetime!(2026-04-15 09:00 +3);
const AFTERNOON: OffsetDateTime = datetime!(2026-04-15 14:00 +3);

fn demo_issuer() -> Issuer {
    support::demo_issuer()
}

fn meta() -> PackageMeta {
    PackageMeta {
        package_id: "2026-eng-7-000123".into(),
        title: "Английский язык, 7 класс".into(),
        school: "МБОУ СОШ № 1".into(),
        subject: "Английский язык".into(),
        grade: 7,
        language: "en".into(),
        exam_date: time::macros::date!(2026 - 04 - 15),
        materials_release: datetime!(2026-04-15 07:30 +3),
        keys_release: default_keys_release(time::macros::date!(2026 - 04 - 15)),
        demo: true,
    }
}

/// The source folder: package description, media, keys and criteria.
fn source_files() -> BTreeMap<String, Vec<u8>> {
    let mut track = Vec::with_capacity(200_000);
    let mut x: u32 = 12345;
    for _ in 0..200_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        track.push((x >> 16) as u8);
    }
    BTreeMap::from([
        (
            "package.json".to_owned(),
            support::package_json(&meta(), "контейнер"),
        ),
        ("media/listening/track1.wav".to_owned(), track),
        (
            "media/photos/photo1.jpg".to_owned(),
            vec![0xff, 0xd8, 0xff, 0xe0, 1, 2, 3],
        ),
        ("keys.json".to_owned(), br#"{"4":["B","A"]}"#.to_vec()),
        (
            "criteria/task3.json".to_owned(),
            "{\"К1\":\"решение задачи\"}".as_bytes().to_vec(),
        ),
        ("criteria.json".to_owned(), b"{}".to_vec()),
    ])
}

fn write_source(dir: &Path) {
    for (path, bytes) in source_files() {
        let dest = dir.join(&path);
        fs::create_dir_all(dest.parent().unwrap()).unwrap();
        fs::write(dest, bytes).unwrap();
    }
}

/// Built once for the whole file: PBKDF2 at 600,000 rounds is slow on purpose.
fn package() -> &'static [u8] {
    static PACKAGE: OnceLock<Vec<u8>> = OnceLock::new();
    PACKAGE.get_or_init(|| {
        let src = tempfile::tempdir().unwrap();
        write_source(src.path());
        let issuer = demo_issuer();
        let req = BuildRequest {
            source: src.path(),
            meta: meta(),
            password: PASSWORD,
            keys_password: KEYS_PASSWORD,
            issuer: &issuer,
            limits: Limits::default(),
            created: datetime!(2026-04-01 10:00 UTC),
        };
        let (bytes, report) = build(&req).unwrap();
        assert_eq!(report.materials_files, 3);
        assert_eq!(report.keys_files, 3);
        assert_eq!(report.file_size, bytes.len() as u64);
        bytes
    })
}

fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// A station folder with something already in it, and where the package goes.
struct Station {
    _dir: tempfile::TempDir,
    root: PathBuf,
    target: PathBuf,
}

impl Station {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("station");
        fs::create_dir_all(root.join("answers")).unwrap();
        fs::write(root.join("answers/work-1.json"), b"{\"answer\":1}").unwrap();
        let target = root.join("package");
        Self {
            _dir: dir,
            root,
            target,
        }
    }

    fn snapshot(&self) -> (BTreeMap<String, Vec<u8>>, BTreeSet<String>) {
        let names = fs::read_dir(&self.root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        (read_tree(&self.root), names)
    }

    /// What the app does with a file: check it, then unlock the materials.
    fn load(
        &self,
        bytes: &[u8],
        trust: &TrustedIssuers,
        clock: OffsetDateTime,
    ) -> Result<(), PackageError> {
        let before = self.snapshot();
        let result = SealedPackage::open(bytes, trust, &Limits::default())
            .and_then(|p| p.unlock_materials(PASSWORD, &FixedClock(clock), &self.target))
            .map(|_| ());
        if result.is_err() {
            assert_eq!(
                self.snapshot(),
                before,
                "a refused package changed the station folder"
            );
        }
        result
    }
}

fn refused(bytes: &[u8]) -> PackageError {
    Station::new()
        .load(bytes, &TrustedIssuers::demo(), AFTERNOON)
        .unwrap_err()
}

fn header_len(bytes: &[u8]) -> usize {
    u32::from_le_bytes(bytes[42..46].try_into().unwrap()) as usize
}

/// A forgery: the package re-signed by another key, header fingerprint updated.
fn resign(bytes: &mut Vec<u8>, issuer_pk8: &[u8]) {
    let issuer = Issuer::from_pkcs8(issuer_pk8).unwrap();
    bytes.truncate(bytes.len() - 64);
    bytes[10..42].copy_from_slice(&issuer.public_key());
    let old = TrustedIssuers::demo_key().fingerprint;
    let header = 46..46 + header_len(bytes);
    let at = String::from_utf8_lossy(&bytes[header.clone()])
        .find(&old)
        .unwrap()
        + header.start;
    bytes[at..at + old.len()].copy_from_slice(issuer.fingerprint().as_bytes());
    let sig = ring::signature::Ed25519KeyPair::from_pkcs8_maybe_unchecked(issuer_pk8)
        .unwrap()
        .sign(bytes);
    bytes.extend_from_slice(sig.as_ref());
}

#[test]
fn round_trip_build_inspect_unlock() {
    let bytes = package();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.vprpkg");
    fs::write(&file, bytes).unwrap();

    let view = inspect_file(
        &file,
        &TrustedIssuers::demo(),
        &Limits::default(),
        &FixedClock(MORNING),
    )
    .unwrap();
    assert!(view.signature_valid && view.trusted && view.demo_issuer);
    assert_eq!(view.header.meta, meta());
    assert_eq!(
        view.header.issuer_fingerprint,
        TrustedIssuers::demo_key().fingerprint
    );
    assert_eq!(view.materials_release_moscow, "15.04.2026 07:30");
    assert_eq!(view.keys_release_moscow, "15.04.2026 14:00");
    assert!(view.materials_released && !view.keys_released);
    assert_eq!(view.file_size, bytes.len() as u64);
    let json = serde_json::to_value(&view).unwrap();
    assert_eq!(json["header"]["exam_date"], "2026-04-15");
    assert_eq!(json["header"]["keys_release"], "2026-04-15T14:00:00+03:00");

    // The plain header never contains a password or a key.
    let plain = String::from_utf8_lossy(bytes);
    for secret in [PASSWORD, KEYS_PASSWORD, "\"B\",\"A\"", "решение задачи"] {
        assert!(!plain.contains(secret), "{secret} is visible in the file");
    }

    // PBKDF2 rounds stored for the first part.
    let part = 46 + header_len(bytes);
    let rounds = u32::from_le_bytes(bytes[part..part + 4].try_into().unwrap());
    assert!(rounds >= MIN_ITERATIONS && MIN_ITERATIONS >= 600_000);

    let station = Station::new();
    let package = SealedPackage::read(&file, &TrustedIssuers::demo(), &Limits::default()).unwrap();
    // Surrounding spaces from a typed password do not matter.
    let report = package
        .unlock_materials(
            &format!(" {PASSWORD} "),
            &FixedClock(MORNING),
            &station.target,
        )
        .unwrap();
    assert_eq!(report.files, 3);
    let all = source_files();
    let (keys, materials): (BTreeMap<_, _>, BTreeMap<_, _>) = all
        .into_iter()
        .partition(|(p, _)| vpr_package::is_keys_path(p));
    assert_eq!(read_tree(&station.target), materials);
    // No temporary folder is left beside the target.
    let names: BTreeSet<_> = fs::read_dir(&station.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["answers".to_owned(), "package".to_owned()])
    );

    let keys_dir = station.root.join("keys");
    package
        .unlock_keys(KEYS_PASSWORD, &FixedClock(AFTERNOON), &keys_dir)
        .unwrap();
    assert_eq!(read_tree(&keys_dir), keys);
    assert_eq!(keys.len(), 3);
}

#[test]
fn build_to_file_and_reject_bad_requests() {
    let src = tempfile::tempdir().unwrap();
    write_source(src.path());
    let out = tempfile::tempdir().unwrap();
    let issuer = Issuer::from_pkcs8(&Issuer::generate_pkcs8().unwrap()).unwrap();
    // The demo key (its private half is public) signs training packages only.
    let demo = demo_issuer();
    let real_with_demo_key = BuildRequest {
        source: src.path(),
        meta: PackageMeta {
            demo: false,
            ..meta()
        },
        password: PASSWORD,
        keys_password: KEYS_PASSWORD,
        issuer: &demo,
        limits: Limits::default(),
        created: datetime!(2026-04-01 10:00 UTC),
    };
    assert!(matches!(
        build(&real_with_demo_key),
        Err(PackageError::BadSource(_))
    ));
    let mut req = BuildRequest {
        source: src.path(),
        meta: meta(),
        password: STRONG,
        keys_password: STRONG,
        issuer: &issuer,
        limits: Limits::default(),
        created: datetime!(2026-04-01 10:00 UTC),
    };
    let file = out.path().join("x.vprpkg");
    assert!(matches!(
        build_to_file(&req, &file),
        Err(PackageError::SamePasswords)
    ));
    req.keys_password = "  ";
    assert!(matches!(
        build_to_file(&req, &file),
        Err(PackageError::EmptyPassword)
    ));
    // A real issuer's passwords need 70 bits: each weak one is refused by name.
    req.keys_password = KEYS_PASSWORD;
    let e = build_to_file(&req, &file).unwrap_err();
    assert!(
        matches!(&e, PackageError::WeakPassword { which, bits, .. } if which.contains("ключам") && *bits < 70),
        "{e:?}"
    );
    assert!(e.to_string().contains("70"), "{e}");
    req.password = PASSWORD;
    req.keys_password = STRONG_KEYS;
    let e = build_to_file(&req, &file).unwrap_err();
    assert!(
        matches!(&e, PackageError::WeakPassword { which, .. } if which.contains("дня")),
        "{e:?}"
    );
    req.password = STRONG;
    req.meta.school = String::new();
    assert!(matches!(
        build_to_file(&req, &file),
        Err(PackageError::BadSource(_))
    ));
    req.meta = meta();
    req.limits.max_file_size = 1000;
    assert!(matches!(
        build_to_file(&req, &file),
        Err(PackageError::TooLarge {
            what: SizeItem::OneFile,
            ..
        })
    ));
    assert!(!file.exists());
    req.limits = Limits::default();
    let report = build_to_file(&req, &file).unwrap();
    assert_eq!(fs::metadata(&file).unwrap().len(), report.file_size);
    assert_eq!(report.issuer_fingerprint, issuer.fingerprint());
    let names: Vec<_> = fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["x.vprpkg"], "no temporary file is left");

    // A station that trusts only the demo key refuses this issuer; adding it helps.
    let bytes = fs::read(&file).unwrap();
    let err = SealedPackage::open(&bytes, &TrustedIssuers::demo(), &Limits::default()).unwrap_err();
    assert!(
        matches!(&err, PackageError::UntrustedIssuer { fingerprint } if *fingerprint == issuer.fingerprint())
    );
    let mut trust = TrustedIssuers::demo();
    trust.add(IssuerKey::new(issuer.public_key(), "Региональный центр"));
    let package = SealedPackage::open(&bytes, &trust, &Limits::default()).unwrap();
    assert_eq!(package.issuer().label, "Региональный центр");
    assert!(!package.view(&FixedClock(MORNING)).demo_issuer);
}

#[test]
fn wrong_passwords_are_refused_and_change_nothing() {
    let station = Station::new();
    let package =
        SealedPackage::open(package(), &TrustedIssuers::demo(), &Limits::default()).unwrap();
    let before = station.snapshot();
    let err = package
        .unlock_materials(KEYS_PASSWORD, &FixedClock(AFTERNOON), &station.target)
        .unwrap_err();
    assert!(matches!(err, PackageError::WrongPassword), "{err:?}");
    let err = package
        .unlock_keys(PASSWORD, &FixedClock(AFTERNOON), &station.target)
        .unwrap_err();
    assert!(matches!(err, PackageError::WrongKeysPassword), "{err:?}");
    let err = package
        .unlock_materials("", &FixedClock(AFTERNOON), &station.target)
        .unwrap_err();
    assert!(matches!(err, PackageError::EmptyPassword), "{err:?}");
    assert_eq!(station.snapshot(), before);
}

#[test]
fn release_times_are_enforced_by_the_clock() {
    let station = Station::new();
    let package =
        SealedPackage::open(package(), &TrustedIssuers::demo(), &Limits::default()).unwrap();
    let before = station.snapshot();
    // Before 07:30: nothing opens, even with the right password.
    let err = package
        .unlock_materials(PASSWORD, &FixedClock(BEFORE), &station.target)
        .unwrap_err();
    assert!(
        matches!(&err, PackageError::NotYetReleased { release } if release == "15.04.2026 07:30"),
        "{err:?}"
    );
    assert!(err.to_string().contains("07:30"));
    // Morning: the materials open, the keys do not (14:00 Moscow time).
    let err = package
        .unlock_keys(
            KEYS_PASSWORD,
            &FixedClock(MORNING),
            &station.root.join("keys"),
        )
        .unwrap_err();
    assert!(
        matches!(&err, PackageError::KeysNotYetReleased { release } if release == "15.04.2026 14:00"),
        "{err:?}"
    );
    let one_second_early = AFTERNOON - time::Duration::seconds(1);
    assert!(matches!(
        package.keys(KEYS_PASSWORD, &FixedClock(one_second_early)),
        Err(PackageError::KeysNotYetReleased { .. })
    ));
    assert_eq!(station.snapshot(), before);
    // A clock in another zone is compared as an instant: 14:00 MSK = 21:00 in Vladivostok.
    let vladivostok = datetime!(2026-04-15 21:00 +10);
    assert_eq!(
        package
            .keys(KEYS_PASSWORD, &FixedClock(vladivostok))
            .unwrap()
            .len(),
        3
    );
    package
        .unlock_materials(PASSWORD, &FixedClock(MORNING), &station.target)
        .unwrap();
}

#[test]
fn target_that_is_not_empty_is_refused_before_anything_else() {
    let station = Station::new();
    fs::create_dir_all(&station.target).unwrap();
    fs::write(station.target.join("old.json"), b"old").unwrap();
    let err = station
        .load(package(), &TrustedIssuers::demo(), AFTERNOON)
        .unwrap_err();
    assert!(matches!(err, PackageError::TargetExists(_)), "{err:?}");
    assert_eq!(fs::read(station.target.join("old.json")).unwrap(), b"old");
}

#[test]
fn each_bad_file_has_its_own_error() {
    let good = package();
    let mut codes = BTreeSet::new();
    let mut record = |e: PackageError| {
        assert!(!e.to_string().is_empty());
        assert!(
            e.to_string().chars().any(|c| ('а'..='я').contains(&c)),
            "Russian message: {e}"
        );
        codes.insert(e.code());
        e
    };

    let e = record(refused(b"PK\x03\x04 this is a zip file, not a package"));
    assert!(matches!(e, PackageError::NotAPackage), "{e:?}");
    let e = record(refused(b""));
    assert!(matches!(e, PackageError::NotAPackage), "{e:?}");

    // Truncated anywhere: inside the magic, the header, a part, the signature.
    for cut in [
        3,
        9,
        40,
        100,
        good.len() / 2,
        good.len() - 200,
        good.len() - 10,
    ] {
        let e = record(refused(&good[..cut]));
        assert!(matches!(e, PackageError::Truncated), "cut at {cut}: {e:?}");
    }

    let e = record(refused(&good[..good.len() - 64]));
    assert!(matches!(e, PackageError::MissingSignature), "{e:?}");

    let mut bad = good.to_vec();
    let last = bad.len() - 1;
    bad[last] ^= 0x01;
    let e = record(refused(&bad));
    assert!(matches!(e, PackageError::BadSignature), "{e:?}");

    // One letter of the plain header changed (school name): the signature breaks.
    let mut bad = good.to_vec();
    let at = 46
        + String::from_utf8_lossy(&good[46..46 + header_len(good)])
            .find("2026-eng")
            .unwrap();
    bad[at] = b'3';
    let e = record(refused(&bad));
    assert!(matches!(e, PackageError::BadSignature), "{e:?}");

    let mut bad = good.to_vec();
    bad.extend_from_slice(b"extra");
    let e = record(refused(&bad));
    assert!(matches!(e, PackageError::TrailingData), "{e:?}");

    let mut bad = good.to_vec();
    bad[8..10].copy_from_slice(&2u16.to_le_bytes());
    let e = record(refused(&bad));
    assert!(
        matches!(
            e,
            PackageError::UnknownVersion {
                found: 2,
                supported: 1
            }
        ),
        "{e:?}"
    );

    // A declared header size beyond the limit.
    let mut bad = good.to_vec();
    bad[42..46].copy_from_slice(&u32::MAX.to_le_bytes());
    let e = record(refused(&bad));
    assert!(
        matches!(
            e,
            PackageError::TooLarge {
                what: SizeItem::Header,
                ..
            }
        ),
        "{e:?}"
    );

    // Real sizes beyond the station's limits.
    let station = Station::new();
    let before = station.snapshot();
    for (limits, item) in [
        (
            Limits {
                max_file: 1000,
                ..Limits::default()
            },
            SizeItem::File,
        ),
        (
            Limits {
                max_materials: 1000,
                ..Limits::default()
            },
            SizeItem::Materials,
        ),
        (
            Limits {
                max_keys: 10,
                ..Limits::default()
            },
            SizeItem::Keys,
        ),
    ] {
        let e = record(SealedPackage::open(good, &TrustedIssuers::demo(), &limits).unwrap_err());
        assert!(
            matches!(e, PackageError::TooLarge { what, .. } if what == item),
            "{e:?}"
        );
    }
    // Unpacked limits are checked after decryption, before writing.
    let limits = Limits {
        max_files: 2,
        ..Limits::default()
    };
    let package = SealedPackage::open(good, &TrustedIssuers::demo(), &limits).unwrap();
    let e = record(
        package
            .unlock_materials(PASSWORD, &FixedClock(MORNING), &station.target)
            .unwrap_err(),
    );
    assert!(
        matches!(
            e,
            PackageError::TooLarge {
                what: SizeItem::FileCount,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(station.snapshot(), before);

    // Signed correctly, but by a key the station does not trust (a forgery).
    let mut bad = good.to_vec();
    resign(&mut bad, &Issuer::generate_pkcs8().unwrap());
    let e = record(refused(&bad));
    assert!(matches!(e, PackageError::UntrustedIssuer { .. }), "{e:?}");
    let e = record(
        Station::new()
            .load(good, &TrustedIssuers::new(), AFTERNOON)
            .unwrap_err(),
    );
    assert!(matches!(e, PackageError::UntrustedIssuer { .. }), "{e:?}");
    // inspect reports an unknown signer instead of refusing.
    let view = inspect(
        &bad,
        &TrustedIssuers::demo(),
        &Limits::default(),
        &FixedClock(MORNING),
    )
    .unwrap();
    assert!(view.signature_valid && !view.trusted && view.issuer_label.is_none());

    // Someone with the (public) demo private key turns the training package
    // into a "real" one: refused, the demo key signs training packages only.
    let mut bad = good.to_vec();
    let header = 46..46 + header_len(good);
    let at = String::from_utf8_lossy(&good[header.clone()])
        .find("\"demo\": true")
        .unwrap()
        + header.start;
    bad[at..at + 12].copy_from_slice(b"\"demo\":false");
    let demo_pk8 = fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../audio-fixtures/issuer/demo-issuer.DEMO-ONLY.pk8"),
    )
    .unwrap();
    resign(&mut bad, &demo_pk8);
    let e = record(refused(&bad));
    assert!(
        matches!(&e, PackageError::BadHeader(m) if m.contains("учебный")),
        "{e:?}"
    );

    // The demo issuer's key substituted without re-signing: bad signature.
    let mut bad = good.to_vec();
    bad[10] ^= 0x80;
    let e = record(refused(&bad));
    assert!(matches!(e, PackageError::BadSignature), "{e:?}");

    let e = record(
        Station::new()
            .load(good, &TrustedIssuers::demo(), BEFORE)
            .unwrap_err(),
    );
    assert!(matches!(e, PackageError::NotYetReleased { .. }), "{e:?}");

    let expected = BTreeSet::from([
        "package_not_a_package",
        "package_truncated",
        "package_missing_signature",
        "package_bad_signature",
        "package_trailing_data",
        "package_unknown_version",
        "package_too_large",
        "package_untrusted_issuer",
        "package_not_released",
        "package_bad_header",
    ]);
    assert_eq!(codes, expected);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Any single changed byte anywhere in the file is refused, and the
    /// station folder is left as it was.
    #[test]
    fn any_flipped_byte_is_refused(index in any::<prop::sample::Index>(), mask in 1u8..=255) {
        let mut bad = package().to_vec();
        let at = index.index(bad.len());
        bad[at] ^= mask;
        let station = Station::new();
        prop_assert!(station.load(&bad, &TrustedIssuers::demo(), AFTERNOON).is_err());
        prop_assert!(!station.target.exists());
    }

    /// Cutting the file anywhere is refused.
    #[test]
    fn any_truncation_is_refused(index in any::<prop::sample::Index>()) {
        let good = package();
        let cut = index.index(good.len());
        prop_assert!(SealedPackage::open(&good[..cut], &TrustedIssuers::demo(), &Limits::default()).is_err());
    }
}
