//! `vpr package`: build (issuer side: [`build`], the header from the
//! materials, generated passwords), inspect and unlock `.vprpkg` files, and
//! make an issuer key pair.

use std::{path::PathBuf, process::ExitCode};

use clap::Subcommand;
use vpr_package::{
    inspect_file,
    time::{self, format_description::well_known::Rfc3339, Date, OffsetDateTime, UtcOffset},
    IssuerKey, Limits, PackageError, PackageShelf, PackageView, SealedPackage, SystemClock,
    TrustedIssuers,
};

mod author;
mod build;
#[cfg(test)]
mod tests;

use build::BuildArgs;

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
    /// Новая работа из шаблона (vpr7, vpr-written, oge-oral, ege-oral, empty)
    New(author::NewArgs),
    /// Изменить поля работы: --set ПУТЬ=JSON
    Edit(author::EditArgs),
    /// Добавить в работу файл звука или фотографии (проверяется декодированием)
    Media(author::MediaArgs),
    /// Проверить работу: ошибки по полям (код выхода 1, если они есть)
    Check(author::CheckArgs),
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
    #[error(transparent)]
    Author(#[from] vpr_author::AuthorError),
    #[error("{0}")]
    Usage(String),
}

pub fn run(args: Args) -> ExitCode {
    let result = match args.command {
        Command::Build(a) => build::build(&a),
        Command::Inspect(a) => inspect(&a),
        Command::Unlock(a) => unlock(&a),
        Command::Load(a) => load(&a),
        Command::Keygen(a) => keygen(&a),
        Command::New(a) => author::new(&a),
        Command::Edit(a) => author::edit(&a),
        Command::Media(a) => author::media(&a),
        Command::Check(a) => author::check(&a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Ошибка: {e}");
            if let CliError::Package(p) = &e {
                eprintln!("Код: {}", vpr_package::Coded::code(p));
            }
            if let CliError::Author(p) = &e {
                eprintln!("Код: {}", vpr_author::Coded::code(p));
            }
            match e {
                CliError::Usage(_) => ExitCode::from(2),
                _ => ExitCode::FAILURE,
            }
        }
    }
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
    let files = vpr_author::create_issuer(&a.out)?;
    println!(
        "Закрытый ключ: {} — храните его вне станций, на отдельном носителе",
        files.private.display()
    );
    println!(
        "Открытый ключ: {} — его устанавливают на станции (--trust)",
        files.public.display()
    );
    println!("Отпечаток: {}", files.fingerprint);
    Ok(ExitCode::SUCCESS)
}
