//! `vpr package`: build (issuer side), inspect and unlock `.vprpkg` files,
//! and make an issuer key pair.

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
};

use clap::Subcommand;
use vpr_package::{
    build_to_file, default_keys_release, default_materials_release, inspect_file,
    time::{self, format_description::well_known::Rfc3339, Date, OffsetDateTime, UtcOffset},
    BuildRequest, Issuer, IssuerKey, Limits, PackageError, PackageMeta, PackageShelf, PackageView,
    SealedPackage, SystemClock, TrustedIssuers,
};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Собрать пакет из папки (сторона выдающей организации)
    Build(Box<BuildArgs>),
    /// Показать заголовок пакета и проверить подпись (без пароля)
    Inspect(InspectArgs),
    /// Расшифровать материалы (и ключи) пакета в папку
    Unlock(UnlockArgs),
    /// Проверить пакет и положить его на станцию (ПАПКА_ДАННЫХ/packages)
    Load(LoadArgs),
    /// Создать пару ключей выдающей организации (NAME.pk8 и NAME.pub)
    Keygen(KeygenArgs),
}

#[derive(clap::Args)]
struct BuildArgs {
    /// Папка с package.json, media/, keys.json, criteria*
    src: PathBuf,
    /// Файл пакета (.vprpkg)
    #[arg(long)]
    out: PathBuf,
    /// Закрытый ключ выдающей организации (PKCS#8 Ed25519)
    #[arg(long)]
    key: PathBuf,
    /// Пароль дня (открывает материалы)
    #[arg(long)]
    password: String,
    /// Пароль к ключам и критериям (выдаётся в 14:00 МСК)
    #[arg(long)]
    keys_password: String,
    /// Дата работы, ГГГГ-ММ-ДД
    #[arg(long)]
    exam_date: String,
    /// Время открытия материалов, RFC 3339 (по умолчанию 07:30 в часовом поясе --utc-offset)
    #[arg(long)]
    release: Option<String>,
    /// Время открытия ключей, RFC 3339 (по умолчанию 14:00 МСК в день работы)
    #[arg(long)]
    keys_release: Option<String>,
    /// Часовой пояс школы для времени открытия по умолчанию, например +03:00 или +10:00
    #[arg(long, default_value = "+03:00")]
    utc_offset: String,
    /// Идентификатор пакета
    #[arg(long)]
    id: String,
    /// Образовательная организация
    #[arg(long)]
    school: String,
    /// Предмет
    #[arg(long, default_value = "Английский язык")]
    subject: String,
    /// Класс
    #[arg(long, default_value_t = 7)]
    grade: u8,
    /// Язык работы: en, de, fr
    #[arg(long, default_value = "en")]
    language: String,
    /// Название (по умолчанию «ПРЕДМЕТ, N класс»)
    #[arg(long)]
    title: Option<String>,
    /// Демонстрационный (учебный) пакет
    #[arg(long)]
    demo: bool,
}

#[derive(clap::Args)]
struct TrustArgs {
    /// Доверенный открытый ключ выдающей организации (hex или 32 байта); можно несколько
    #[arg(long = "trust")]
    trust: Vec<PathBuf>,
    /// Не доверять демонстрационному ключу проекта
    #[arg(long)]
    no_demo_key: bool,
}

#[derive(clap::Args)]
struct InspectArgs {
    file: PathBuf,
    #[command(flatten)]
    trust: TrustArgs,
    /// Вывести JSON вместо текста
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct UnlockArgs {
    file: PathBuf,
    /// Пароль дня
    #[arg(long)]
    password: String,
    /// Папка для материалов (не должна существовать или должна быть пустой)
    #[arg(long)]
    out: PathBuf,
    /// Пароль к ключам и критериям (вместе с --keys-out)
    #[arg(long, requires = "keys_out")]
    keys_password: Option<String>,
    /// Папка для ключей и критериев
    #[arg(long, requires = "keys_password")]
    keys_out: Option<PathBuf>,
    #[command(flatten)]
    trust: TrustArgs,
}

#[derive(clap::Args)]
struct LoadArgs {
    file: PathBuf,
    /// Папка данных станции (по умолчанию VPR_DATA_DIR или ~/.local/share/ru.vpr.kiosk)
    #[arg(long)]
    data_dir: Option<PathBuf>,
    #[command(flatten)]
    trust: TrustArgs,
}

#[derive(clap::Args)]
struct KeygenArgs {
    /// Путь без расширения: будут созданы NAME.pk8 (секретный) и NAME.pub
    #[arg(long)]
    out: PathBuf,
}

/// Why a command failed: a package error or a bad argument.
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Package(#[from] PackageError),
    #[error("{0}")]
    Usage(String),
    #[error("Файл {} уже существует: ключ не перезаписан", .0.display())]
    Exists(PathBuf),
    #[error("Не удалось записать {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

pub fn run(args: Args) -> ExitCode {
    let result = match args.command {
        Command::Build(a) => build(&a),
        Command::Inspect(a) => inspect(&a),
        Command::Unlock(a) => unlock(&a),
        Command::Load(a) => load(&a),
        Command::Keygen(a) => keygen(&a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Ошибка: {e}");
            if let CliError::Package(p) = &e {
                eprintln!("Код: {}", vpr_package::Coded::code(p));
            }
            match e {
                CliError::Usage(_) => ExitCode::from(2),
                _ => ExitCode::FAILURE,
            }
        }
    }
}

fn build(a: &BuildArgs) -> Result<ExitCode, CliError> {
    let exam_date = parse_date(&a.exam_date).ok_or_else(|| {
        CliError::Usage(format!(
            "дата работы «{}»: ожидается ГГГГ-ММ-ДД",
            a.exam_date
        ))
    })?;
    let offset = parse_offset(&a.utc_offset).ok_or_else(|| {
        CliError::Usage(format!(
            "часовой пояс «{}»: ожидается, например, +03:00",
            a.utc_offset
        ))
    })?;
    let materials_release = match &a.release {
        Some(t) => parse_time(t, "--release")?,
        None => default_materials_release(exam_date, offset),
    };
    let keys_release = match &a.keys_release {
        Some(t) => parse_time(t, "--keys-release")?,
        None => default_keys_release(exam_date),
    };
    let issuer = Issuer::read(&a.key)?;
    let meta = PackageMeta {
        package_id: a.id.clone(),
        title: a
            .title
            .clone()
            .unwrap_or_else(|| format!("{}, {} класс", a.subject, a.grade)),
        school: a.school.clone(),
        subject: a.subject.clone(),
        grade: a.grade,
        language: a.language.clone(),
        exam_date,
        materials_release,
        keys_release,
        demo: a.demo,
    };
    let req = BuildRequest {
        source: &a.src,
        meta,
        password: &a.password,
        keys_password: &a.keys_password,
        issuer: &issuer,
        limits: Limits::default(),
        created: OffsetDateTime::now_utc(),
    };
    let report = build_to_file(&req, &a.out)?;
    println!("Пакет собран: {}", a.out.display());
    println!(
        "  файлов материалов: {}, файлов ключей и критериев: {}",
        report.materials_files, report.keys_files
    );
    println!(
        "  размер: {} байт, SHA-256: {}",
        report.file_size, report.file_sha256
    );
    println!(
        "  отпечаток ключа выдающей организации: {}",
        report.issuer_fingerprint
    );
    if TrustedIssuers::demo()
        .find(&report.issuer_fingerprint)
        .is_some()
    {
        println!("  подписан ДЕМОНСТРАЦИОННЫМ ключом проекта: только для учебных пакетов");
    }
    Ok(ExitCode::SUCCESS)
}

/// `YYYY-MM-DD`.
pub(crate) fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

/// `+03:00`, `-01:30`, `+0300`.
pub(crate) fn parse_offset(text: &str) -> Option<UtcOffset> {
    let t = text.trim().replace(':', "");
    let (sign, digits) = match t.split_at_checked(1)? {
        ("+", d) => (1i8, d),
        ("-", d) => (-1i8, d),
        _ => return None,
    };
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i8 = digits.get(..2)?.parse().ok()?;
    let minutes: i8 = digits.get(2..)?.parse().ok()?;
    UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()
}

fn parse_time(text: &str, flag: &str) -> Result<OffsetDateTime, CliError> {
    OffsetDateTime::parse(text, &Rfc3339).map_err(|_| {
        CliError::Usage(format!(
            "{flag} «{text}»: ожидается время RFC 3339, например 2026-04-15T07:30:00+03:00"
        ))
    })
}

fn trust(a: &TrustArgs) -> Result<TrustedIssuers, CliError> {
    let mut trust = if a.no_demo_key {
        TrustedIssuers::new()
    } else {
        TrustedIssuers::demo()
    };
    for path in &a.trust {
        trust.add(IssuerKey::read(path)?);
    }
    Ok(trust)
}

fn inspect(a: &InspectArgs) -> Result<ExitCode, CliError> {
    let view = inspect_file(&a.file, &trust(&a.trust)?, &Limits::default(), &SystemClock)?;
    if a.json {
        let text =
            serde_json::to_string_pretty(&view).map_err(|e| CliError::Usage(e.to_string()))?;
        println!("{text}");
    } else {
        print_view(&view);
    }
    Ok(if view.trusted {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}

fn print_view(v: &PackageView) {
    let m = &v.header.meta;
    println!("Пакет: {} ({})", m.title, m.package_id);
    println!("  школа: {}", m.school);
    println!(
        "  предмет: {}, класс: {}, язык: {}",
        m.subject, m.grade, m.language
    );
    println!("  дата работы: {}", m.exam_date);
    println!(
        "  материалы открываются: {} МСК ({})",
        v.materials_release_moscow,
        if v.materials_released {
            "уже доступны"
        } else {
            "ещё закрыты"
        }
    );
    println!(
        "  ключи и критерии: {} МСК ({})",
        v.keys_release_moscow,
        if v.keys_released {
            "уже доступны"
        } else {
            "ещё закрыты"
        }
    );
    if m.demo {
        println!("  ДЕМОНСТРАЦИОННЫЙ (учебный) пакет");
    }
    println!(
        "  формат: версия {}, размер {} байт",
        v.header.format_version, v.file_size
    );
    println!("  SHA-256 файла: {}", v.file_sha256);
    println!("Подпись: верна");
    println!("  отпечаток ключа: {}", v.header.issuer_fingerprint);
    match (&v.issuer_label, v.trusted) {
        (Some(label), true) => println!("  выдающая организация: доверенная — {label}"),
        _ => println!("  выдающая организация: НЕИЗВЕСТНА этой станции — пакет не будет принят"),
    }
    if v.demo_issuer {
        println!("  подписан демонстрационным ключом проекта: не для настоящей работы");
    }
}

fn unlock(a: &UnlockArgs) -> Result<ExitCode, CliError> {
    let package = SealedPackage::read(&a.file, &trust(&a.trust)?, &Limits::default())?;
    let report = package.unlock_materials(&a.password, &SystemClock, &a.out)?;
    println!(
        "Материалы расшифрованы: {} файлов, {} байт → {}",
        report.files, report.bytes, report.target
    );
    if let (Some(password), Some(out)) = (&a.keys_password, &a.keys_out) {
        let report = package.unlock_keys(password, &SystemClock, out)?;
        println!(
            "Ключи и критерии расшифрованы: {} файлов → {}",
            report.files, report.target
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn load(a: &LoadArgs) -> Result<ExitCode, CliError> {
    let data_dir = a
        .data_dir
        .clone()
        .unwrap_or_else(crate::station::default_data_dir);
    let shelf = PackageShelf::new(
        data_dir.join("packages"),
        trust(&a.trust)?,
        Limits::default(),
    );
    let view = shelf.load(&a.file, &SystemClock)?;
    print_view(&view);
    println!("Пакет загружен на станцию: {}", shelf.dir().display());
    Ok(ExitCode::SUCCESS)
}

fn keygen(a: &KeygenArgs) -> Result<ExitCode, CliError> {
    let private = with_extension(&a.out, "pk8");
    let public = with_extension(&a.out, "pub");
    for p in [&private, &public] {
        if p.exists() {
            return Err(CliError::Exists(p.clone()));
        }
    }
    let der = Issuer::generate_pkcs8()?;
    let issuer = Issuer::from_pkcs8(&der)?;
    write_new(&private, &der, true)?;
    write_new(
        &public,
        format!("{}\n", issuer.public_key_hex()).as_bytes(),
        false,
    )?;
    println!(
        "Закрытый ключ: {} — храните его вне станций, на отдельном носителе",
        private.display()
    );
    println!(
        "Открытый ключ: {} — его устанавливают на станции (--trust)",
        public.display()
    );
    println!("Отпечаток: {}", issuer.fingerprint());
    Ok(ExitCode::SUCCESS)
}

fn with_extension(base: &Path, ext: &str) -> PathBuf {
    let mut name = base.as_os_str().to_os_string();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

fn write_new(path: &Path, bytes: &[u8], secret: bool) -> Result<(), CliError> {
    use std::io::Write;
    let io = |source| CliError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if secret {
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    }
    #[cfg(not(unix))]
    let _ = secret;
    let mut f = options.open(path).map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    f.sync_all().map_err(io)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    fn vpr(args: &[&str]) -> ExitCode {
        let cli =
            Cli::try_parse_from(std::iter::once("package").chain(args.iter().copied())).unwrap();
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
        let src = tmp.path().join("src");
        std::fs::create_dir_all(src.join("media")).unwrap();
        std::fs::write(src.join("package.json"), br#"{"tasks":[]}"#).unwrap();
        std::fs::write(src.join("media/track.wav"), vec![7u8; 5000]).unwrap();
        std::fs::write(src.join("keys.json"), br#"{"1":"A"}"#).unwrap();

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
                "day-1",
                "--keys-password",
                "keys-2",
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
                "day-1",
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
        assert_eq!(unlock("day-1"), ExitCode::SUCCESS);
        let mut expected = tree(&src);
        expected.retain(|(p, _)| p != "keys.json");
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
            "day-1",
            "--out",
            &t("out2"),
            "--trust",
            &t("region.pub"),
            "--keys-password",
            "keys-2",
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
}
