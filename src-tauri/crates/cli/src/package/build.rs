//! `vpr package build`: the header from the materials, passwords generated
//! or checked, the file signed and written.

use std::{path::PathBuf, process::ExitCode};

use vpr_package::{
    build_to_file, default_keys_release, default_materials_release, generate_password,
    time::OffsetDateTime, BuildReport, BuildRequest, GeneratedPassword, HeaderClaims, Issuer,
    Limits, MaterialsHeader, PackageError, PackageMeta, DEMO_ISSUER_PUBLIC_KEY,
};

use super::{parse_date, parse_offset, parse_time, CliError};

#[derive(clap::Args)]
pub(super) struct BuildArgs {
    /// Папка с package.json, media/, keys.json, criteria*
    pub src: PathBuf,
    /// Файл пакета (.vprpkg)
    #[arg(long)]
    pub out: PathBuf,
    /// Закрытый ключ выдающей организации (PKCS#8 Ed25519)
    #[arg(long)]
    pub key: PathBuf,
    /// Пароль дня (открывает материалы); без него программа создаст стойкий пароль и напечатает его
    #[arg(long)]
    pub password: Option<String>,
    /// Пароль к ключам и критериям (выдаётся в 14:00 МСК); без него создаётся стойкий
    #[arg(long)]
    pub keys_password: Option<String>,
    /// Дата работы, ГГГГ-ММ-ДД
    #[arg(long)]
    pub exam_date: String,
    /// Время открытия материалов, RFC 3339 (по умолчанию 07:30 в часовом поясе --utc-offset)
    #[arg(long)]
    pub release: Option<String>,
    /// Время открытия ключей, RFC 3339 (по умолчанию 14:00 МСК в день работы)
    #[arg(long)]
    pub keys_release: Option<String>,
    /// Часовой пояс школы для времени открытия по умолчанию, например +03:00 или +10:00
    #[arg(long, default_value = "+03:00")]
    pub utc_offset: String,
    /// Образовательная организация
    #[arg(long)]
    pub school: String,
    /// Подтвердить идентификатор пакета (берётся из package.json)
    #[arg(long)]
    pub id: Option<String>,
    /// Подтвердить название (берётся из package.json)
    #[arg(long)]
    pub title: Option<String>,
    /// Подтвердить предмет, например «Английский язык» (по языку из package.json)
    #[arg(long)]
    pub subject: Option<String>,
    /// Подтвердить класс (берётся из package.json)
    #[arg(long)]
    pub grade: Option<u8>,
    /// Подтвердить язык работы: en, de, fr (берётся из package.json)
    #[arg(long)]
    pub language: Option<String>,
    /// Подтвердить, что пакет учебный (demo или training в package.json)
    #[arg(long, conflicts_with = "exam")]
    pub demo: bool,
    /// Подтвердить, что это настоящая работа (не учебный пакет)
    #[arg(long)]
    pub exam: bool,
}

/// One of the two passwords: generated here, or typed by the issuer.
#[derive(Debug)]
pub(super) enum Password {
    Generated(GeneratedPassword),
    Typed(String),
}

impl Password {
    fn new(typed: Option<&String>) -> Result<Self, PackageError> {
        Ok(match typed {
            Some(text) => Self::Typed(text.clone()),
            None => Self::Generated(generate_password()?),
        })
    }

    pub(super) fn text(&self) -> &str {
        match self {
            Self::Generated(g) => &g.text,
            Self::Typed(t) => t,
        }
    }
}

/// What a build made.
#[derive(Debug)]
pub(super) struct Built {
    pub report: BuildReport,
    pub meta: PackageMeta,
    pub password: Password,
    pub keys_password: Password,
    pub demo_key: bool,
}

impl BuildArgs {
    fn claims(&self) -> HeaderClaims {
        HeaderClaims {
            package_id: self.id.clone(),
            title: self.title.clone(),
            subject: self.subject.clone(),
            grade: self.grade,
            language: self.language.clone(),
            demo: match (self.demo, self.exam) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            },
        }
    }
}

/// Build the package; nothing is written on any refusal.
pub(super) fn build_package(a: &BuildArgs) -> Result<Built, CliError> {
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
    // Refused while the work has problems; no leftover temporary file is packed.
    vpr_author::ready_to_build(&a.src)?;
    // The header is what the materials say; the flags may only confirm it.
    let materials = MaterialsHeader::read_dir(&a.src)?;
    a.claims().confirm(&materials)?;
    let meta = materials.meta(&a.school, exam_date, materials_release, keys_release);
    let password = Password::new(a.password.as_ref())?;
    let keys_password = Password::new(a.keys_password.as_ref())?;
    let req = BuildRequest {
        source: &a.src,
        meta: meta.clone(),
        password: password.text(),
        keys_password: keys_password.text(),
        issuer: &issuer,
        limits: Limits::default(),
        created: OffsetDateTime::now_utc(),
    };
    let report = build_to_file(&req, &a.out)?;
    Ok(Built {
        report,
        meta,
        password,
        keys_password,
        demo_key: issuer.public_key_hex() == DEMO_ISSUER_PUBLIC_KEY,
    })
}

pub(super) fn build(a: &BuildArgs) -> Result<ExitCode, CliError> {
    let b = build_package(a)?;
    let m = &b.meta;
    println!("Пакет собран: {}", a.out.display());
    println!("  заголовок из материалов (package.json):");
    println!("    «{}» ({})", m.title, m.package_id);
    println!(
        "    предмет: {}, класс: {}, язык: {}",
        m.subject, m.grade, m.language
    );
    println!(
        "    {}",
        if m.demo {
            "УЧЕБНЫЙ пакет (demo/training): не настоящая работа"
        } else {
            "НАСТОЯЩАЯ работа"
        }
    );
    println!("  школа: {}, дата работы: {}", m.school, m.exam_date);
    println!(
        "  файлов материалов: {}, файлов ключей и критериев: {}",
        b.report.materials_files, b.report.keys_files
    );
    println!(
        "  размер: {} байт, SHA-256: {}",
        b.report.file_size, b.report.file_sha256
    );
    println!(
        "  отпечаток ключа выдающей организации: {}",
        b.report.issuer_fingerprint
    );
    if b.demo_key {
        println!("  подписан ДЕМОНСТРАЦИОННЫМ ключом проекта: только для учебных пакетов");
    }
    print_password("Пароль дня", &b.password, b.demo_key);
    print_password(
        "Пароль к ключам и критериям (выдаётся в 14:00 МСК)",
        &b.keys_password,
        b.demo_key,
    );
    if matches!(b.password, Password::Generated(_))
        || matches!(b.keys_password, Password::Generated(_))
    {
        println!(
            "Запишите пароли и передавайте их отдельно от пакета: восстановить их нельзя. \
             Вводятся как напечатаны, с дефисами, латиницей в нижнем регистре."
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn print_password(what: &str, p: &Password, demo_key: bool) {
    match p {
        Password::Generated(g) => {
            let bits = format!("{:.1}", g.bits).replace('.', ",");
            println!("{what}: {}   (создан программой, {bits} бита)", g.text);
        }
        Password::Typed(_) if demo_key => {
            println!("{what}: задан вручную (демонстрационный ключ: стойкость не проверяется)");
        }
        Password::Typed(t) => {
            println!(
                "{what}: задан вручную (оценка стойкости {:.0} бит)",
                vpr_package::estimate(t).bits
            );
        }
    }
}
