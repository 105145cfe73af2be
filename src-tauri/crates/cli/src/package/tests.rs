//! `vpr package` end to end through the command line.
use super::*;
use build::{build_package, Password};
use clap::Parser;
use std::path::Path;
use vpr_package::{Issuer, PackageError, MIN_PASSWORD_BITS};

/// Typed passwords strong enough for a real issuer (≥ 70 bits by the estimate).
const DAY: &str = "k7m3-9xwp-c4hr-2tnv";
const KEYS: &str = "Пр9#vR2q-Xm7$Lw4";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures")
}

/// A source folder: the `name` fixture work (package.json with `edit` applied, its media and
/// keys), a valid work as `vpr package build` requires.
fn source(dir: &Path, name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let src = dir.join(format!("src-{name}"));
    let from = fixtures().join("packages").join(name);
    std::fs::create_dir_all(src.join("media")).unwrap();
    for e in std::fs::read_dir(from.join("media")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), src.join("media").join(e.file_name())).unwrap();
    }
    let mut p: serde_json::Value =
        serde_json::from_slice(&std::fs::read(from.join("package.json")).unwrap()).unwrap();
    edit(&mut p);
    std::fs::write(src.join("package.json"), serde_json::to_vec(&p).unwrap()).unwrap();
    let mut k: serde_json::Value =
        serde_json::from_slice(&std::fs::read(from.join("keys.json")).unwrap()).unwrap();
    k["package_id"] = p["id"].clone();
    std::fs::write(src.join("keys.json"), serde_json::to_vec(&k).unwrap()).unwrap();
    src
}

/// `vpr package build` arguments as parsed.
fn build_args(src: &Path, out: &Path, key: &Path, extra: &[&str]) -> BuildArgs {
    let mut args = vec![
        "build".to_owned(),
        src.to_string_lossy().into_owned(),
        "--out".to_owned(),
        out.to_string_lossy().into_owned(),
        "--key".to_owned(),
        key.to_string_lossy().into_owned(),
        "--exam-date".to_owned(),
        "2026-04-15".to_owned(),
        "--release".to_owned(),
        "2025-01-01T07:30:00+03:00".to_owned(),
        "--keys-release".to_owned(),
        "2025-01-01T14:00:00+03:00".to_owned(),
        "--school".to_owned(),
        "Школа № 5".to_owned(),
    ];
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    match Cli::try_parse_from(std::iter::once("package".to_owned()).chain(args))
        .unwrap()
        .command
    {
        Command::Build(a) => *a,
        _ => unreachable!(),
    }
}

fn demo_key() -> PathBuf {
    fixtures().join("issuer/demo-issuer.DEMO-ONLY.pk8")
}

fn region_key(dir: &Path) -> PathBuf {
    let key = dir.join("region.pk8");
    std::fs::write(&key, Issuer::generate_pkcs8().unwrap()).unwrap();
    key
}

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

fn vpr(args: &[&str]) -> ExitCode {
    let cli = Cli::try_parse_from(std::iter::once("package").chain(args.iter().copied())).unwrap();
    run(Args {
        command: cli.command,
    })
}

fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn keygen_build_inspect_unlock() {
    let tmp = tempfile::tempdir().unwrap();
    let t = |name: &str| tmp.path().join(name).to_string_lossy().into_owned();
    let src = source(tmp.path(), "fixture-11-timing", |p| {
        p["id"] = "test-1".into();
        p["demo"] = false.into();
    });

    assert_eq!(vpr(&["keygen", "--out", &t("region")]), ExitCode::SUCCESS);
    assert!(tmp.path().join("region.pk8").is_file() && tmp.path().join("region.pub").is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(tmp.path().join("region.pk8"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Never overwrites a key.
    assert_eq!(vpr(&["keygen", "--out", &t("region")]), ExitCode::FAILURE);

    let build = |out: &str, date: &str| {
        vpr(&[
            "build",
            &src.to_string_lossy(),
            "--out",
            out,
            "--key",
            &t("region.pk8"),
            "--password",
            DAY,
            "--keys-password",
            KEYS,
            "--exam-date",
            date,
            "--release",
            "2025-01-01T07:30:00+03:00",
            "--id",
            "test-1",
            "--school",
            "Школа № 5",
        ])
    };
    assert_eq!(build(&t("pkg.vprpkg"), "2099-04-15"), ExitCode::SUCCESS);
    assert_eq!(build(&t("bad.vprpkg"), "15.04.2099"), ExitCode::from(2));
    assert!(!tmp.path().join("bad.vprpkg").exists());

    // Signature valid; the issuer is trusted only with --trust.
    assert_eq!(vpr(&["inspect", &t("pkg.vprpkg")]), ExitCode::from(3));
    assert_eq!(
        vpr(&[
            "inspect",
            &t("pkg.vprpkg"),
            "--trust",
            &t("region.pub"),
            "--json"
        ]),
        ExitCode::SUCCESS
    );

    // Untrusted: refused, nothing written.
    assert_eq!(
        vpr(&[
            "unlock",
            &t("pkg.vprpkg"),
            "--password",
            DAY,
            "--out",
            &t("out")
        ]),
        ExitCode::FAILURE
    );
    assert!(!tmp.path().join("out").exists());
    // Wrong password: refused, nothing written.
    let unlock = |password: &str| {
        vpr(&[
            "unlock",
            &t("pkg.vprpkg"),
            "--password",
            password,
            "--out",
            &t("out"),
            "--trust",
            &t("region.pub"),
        ])
    };
    assert_eq!(unlock("day-2"), ExitCode::FAILURE);
    assert!(!tmp.path().join("out").exists());
    assert_eq!(unlock(DAY), ExitCode::SUCCESS);
    let mut expected = tree(&src);
    expected.retain(|(p, _)| p != "keys.json");
    // The header came from the materials: grade 11, not a default.
    let view = inspect_file(
        &tmp.path().join("pkg.vprpkg"),
        &TrustedIssuers::demo(),
        &Limits::default(),
        &SystemClock,
    )
    .unwrap();
    assert_eq!(view.header.meta.grade, 11);
    assert!(!view.header.meta.demo);
    assert_eq!(tree(&tmp.path().join("out")), expected);

    // Load onto a station's shelf: refused without trust, stored with it.
    assert_eq!(
        vpr(&["load", &t("pkg.vprpkg"), "--data-dir", &t("data")]),
        ExitCode::FAILURE
    );
    assert!(!tmp.path().join("data/packages").exists());
    assert_eq!(
        vpr(&[
            "load",
            &t("pkg.vprpkg"),
            "--data-dir",
            &t("data"),
            "--trust",
            &t("region.pub")
        ]),
        ExitCode::SUCCESS
    );
    assert!(tmp.path().join("data/packages/test-1.vprpkg").is_file());

    // Keys are released at 14:00 Moscow time on 2099-04-15: refused now.
    let keys = vpr(&[
        "unlock",
        &t("pkg.vprpkg"),
        "--password",
        DAY,
        "--out",
        &t("out2"),
        "--trust",
        &t("region.pub"),
        "--keys-password",
        KEYS,
        "--keys-out",
        &t("keys"),
    ]);
    assert_eq!(keys, ExitCode::FAILURE);
    assert!(!tmp.path().join("keys").exists());
}

#[test]
fn dates_and_offsets_parse_strictly() {
    assert_eq!(
        parse_date("2026-04-15"),
        Date::from_calendar_date(2026, time::Month::April, 15).ok()
    );
    for bad in ["15.04.2026", "2026-4-15", "2026-02-30", ""] {
        assert_eq!(parse_date(bad), None, "{bad}");
    }
    assert_eq!(parse_offset("+03:00"), UtcOffset::from_hms(3, 0, 0).ok());
    assert_eq!(parse_offset("-0130"), UtcOffset::from_hms(-1, -30, 0).ok());
    assert_eq!(parse_offset("3"), None);
}

#[test]
fn the_header_comes_from_the_materials_and_flags_only_confirm() {
    let tmp = tempfile::tempdir().unwrap();
    let src = fixtures().join("packages/fixture-11-timing");
    let out = tmp.path().join("fixture-11-timing.vprpkg");
    // No --grade, --title, --id: all from package.json (today's CLI said «7 класс»).
    let b = build_package(&build_args(&src, &out, &demo_key(), &[])).unwrap();
    let view = inspect_file(
        &out,
        &TrustedIssuers::demo(),
        &Limits::default(),
        &SystemClock,
    )
    .unwrap();
    let m = &view.header.meta;
    assert_eq!(m, &b.meta);
    assert_eq!(
        (m.package_id.as_str(), m.grade, m.language.as_str()),
        ("test-11-timing", 11, "en")
    );
    assert_eq!(
        m.title,
        "Тестовый пакет: порядок компьютерной формы 11 класса 2020–23 (не модель ВПР: баллы и шкала условные)"
    );
    assert_eq!(m.subject, "Английский язык");
    assert!(m.demo);

    // Confirming flags are fine; a disagreeing one is refused by name, nothing written.
    let confirmed = tmp.path().join("confirmed.vprpkg");
    build_package(&build_args(
        &src,
        &confirmed,
        &demo_key(),
        &[
            "--grade",
            "11",
            "--id",
            "test-11-timing",
            "--language",
            "en",
            "--demo",
        ],
    ))
    .unwrap();
    for (flag, value) in [
        ("--grade", "7"),
        ("--id", "demo-en-7"),
        ("--language", "de"),
        ("--title", "Английский язык, 7 класс"),
        ("--subject", "Немецкий язык"),
    ] {
        let bad = tmp.path().join("bad.vprpkg");
        let e = build_package(&build_args(&src, &bad, &demo_key(), &[flag, value])).unwrap_err();
        let text = e.to_string();
        assert!(
            matches!(&e, CliError::Package(PackageError::ClaimMismatch { flag: f, .. }) if *f == flag),
            "{flag}: {e:?}"
        );
        assert!(text.contains(flag) && text.contains(value), "{text}");
        assert!(!bad.exists());
    }
    let bad = tmp.path().join("bad.vprpkg");
    let e = build_package(&build_args(&src, &bad, &demo_key(), &["--exam"])).unwrap_err();
    assert!(e.to_string().contains("--demo"), "{e}");
    assert!(!bad.exists());
}

#[test]
fn the_demo_key_cannot_sign_materials_that_claim_a_real_work() {
    let tmp = tempfile::tempdir().unwrap();
    // package.json says a real work; --demo (as today's CLI took it) does not help.
    let src = source(tmp.path(), "en-7", |p| p["demo"] = false.into());
    let out = tmp.path().join("fake.vprpkg");
    for extra in [&["--demo"][..], &[]] {
        let e = build_package(&build_args(&src, &out, &demo_key(), extra)).unwrap_err();
        assert!(
            matches!(
                &e,
                CliError::Package(PackageError::BadSource(_) | PackageError::ClaimMismatch { .. })
            ),
            "{e:?}"
        );
        assert!(!out.exists());
    }
    assert_eq!(
        vpr(&[
            "build",
            &src.to_string_lossy(),
            "--out",
            &out.to_string_lossy(),
            "--key",
            &demo_key().to_string_lossy(),
            "--exam-date",
            "2026-04-15",
            "--school",
            "Школа",
        ]),
        ExitCode::FAILURE
    );
    assert!(!out.exists());
}

#[test]
fn passwords_are_generated_strong_and_weak_typed_ones_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let key = region_key(tmp.path());
    let src = source(tmp.path(), "en-7", |p| {
        p["id"] = "2026-eng-7-000123".into();
        p["demo"] = false.into();
    });
    let out = tmp.path().join("real.vprpkg");

    // Weak typed passwords: refused with the reason, nothing written.
    for extra in [
        &["--password", "утро-7391", "--keys-password", KEYS][..],
        &["--password", DAY, "--keys-password", "keys-4420"],
        &["--password", "aaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
    ] {
        let e = build_package(&build_args(&src, &out, &key, extra)).unwrap_err();
        assert!(
            matches!(&e, CliError::Package(PackageError::WeakPassword { bits, .. }) if *bits < 70),
            "{extra:?}: {e:?}"
        );
        assert!(e.to_string().contains("бит"), "{e}");
        assert!(!out.exists());
    }

    // None given: both generated, ≥ 70 bits, printed in groups, and they open the package.
    let b = build_package(&build_args(&src, &out, &key, &[])).unwrap();
    let (Password::Generated(day), Password::Generated(keys)) = (&b.password, &b.keys_password)
    else {
        panic!("passwords were not generated: {b:?}");
    };
    assert!(day.bits >= MIN_PASSWORD_BITS && keys.bits >= MIN_PASSWORD_BITS);
    assert_ne!(day.text, keys.text);
    assert_eq!(day.text.split('-').count(), 4, "{}", day.text);
    let mut trust = TrustedIssuers::demo();
    trust.add(
        IssuerKey::read(&{
            let public = tmp.path().join("region.pub");
            let issuer = Issuer::read(&key).unwrap();
            std::fs::write(&public, issuer.public_key_hex()).unwrap();
            public
        })
        .unwrap(),
    );
    let package = SealedPackage::read(&out, &trust, &Limits::default()).unwrap();
    assert!(!package.is_training());
    package
        .unlock_materials(&day.text, &SystemClock, &tmp.path().join("m"))
        .unwrap();
    package
        .unlock_keys(&keys.text, &SystemClock, &tmp.path().join("k"))
        .unwrap();
    assert!(tmp.path().join("k/keys.json").is_file());

    // The demo key's packages may keep a fixed, documented password.
    let demo_out = tmp.path().join("demo.vprpkg");
    build_package(&build_args(
        &fixtures().join("packages/training"),
        &demo_out,
        &demo_key(),
        &["--password", "demo", "--keys-password", "demo-keys"],
    ))
    .unwrap();
    assert!(demo_out.is_file());
}
