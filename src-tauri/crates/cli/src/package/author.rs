//! `vpr package new|edit|media|check`: the author's workspace from the command line. Each
//! command adapts one operation of `vpr-author` (the author window calls the same ones).

use std::{path::PathBuf, process::ExitCode};

use vpr_author::{AuthorProblem, Template, Work};
use vpr_exam::Language;

use super::CliError;

#[derive(clap::Args)]
pub(super) struct NewArgs {
    /// Папка новой работы (не должна существовать или должна быть пустой)
    pub dir: PathBuf,
    /// Шаблон: vpr7, vpr-written, oge-oral, ege-oral, empty
    #[arg(long)]
    pub template: String,
    /// Язык работы: en, de, fr
    #[arg(long, default_value = "en")]
    pub language: String,
    /// Класс (для vpr-written — 4–8, для empty — 2–11)
    #[arg(long)]
    pub grade: Option<u32>,
    /// Название (по умолчанию «Тренировочный вариант в формате …»)
    #[arg(long)]
    pub title: Option<String>,
    /// Идентификатор работы [a-z0-9-] (по умолчанию из имени папки)
    #[arg(long)]
    pub id: Option<String>,
}

#[derive(clap::Args)]
pub(super) struct EditArgs {
    pub dir: PathBuf,
    /// ПУТЬ=JSON, например variants[0].tasks[1].content.answer_s=90 или title='"Работа"'; можно несколько
    #[arg(long = "set", required = true)]
    pub set: Vec<String>,
}

#[derive(clap::Args)]
pub(super) struct MediaArgs {
    pub dir: PathBuf,
    /// Файл звука (MP3, OGG, FLAC, WAV) или фотографии (JPEG, PNG, SVG)
    pub file: PathBuf,
    /// Имя в папке media/ (по умолчанию имя файла)
    #[arg(long = "as", conflicts_with = "slot")]
    pub name: Option<String>,
    /// Поле, которое называет файл (как в vpr package check): файл встаёт в это место, длительность заполняется
    #[arg(long = "for")]
    pub slot: Option<String>,
}

#[derive(clap::Args)]
pub(super) struct CheckArgs {
    pub dir: PathBuf,
}

fn language(code: &str) -> Result<Language, CliError> {
    serde_json::from_value(serde_json::Value::String(code.to_owned()))
        .map_err(|_| CliError::Usage(format!("язык «{code}»: ожидается en, de или fr")))
}

/// `my-work` from the folder's name, or `work`.
fn default_id(dir: &std::path::Path) -> String {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let id: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let id = id.trim_matches('-').to_owned();
    if id.is_empty() {
        "work".to_owned()
    } else {
        id
    }
}

fn print_problems(problems: &[AuthorProblem]) {
    for p in problems {
        println!("  {}: {}", p.path, p.message);
    }
}

pub(super) fn new(a: &NewArgs) -> Result<ExitCode, CliError> {
    let template = Template::parse(&a.template, a.grade)?;
    let id = a.id.clone().unwrap_or_else(|| default_id(&a.dir));
    let work = Work::create(
        &a.dir,
        template,
        language(&a.language)?,
        &id,
        a.title.as_deref(),
    )?;
    println!(
        "Работа создана: {} — «{}» ({id})",
        a.dir.display(),
        work.package.title
    );
    let slots = work.media_slots();
    if !slots.is_empty() {
        println!("Нужны файлы (vpr package media ПАПКА ФАЙЛ --for ПОЛЕ):");
        for s in slots {
            println!("  {} — {}", s.path, s.file);
        }
    }
    println!(
        "Заменить тексты-заготовки «Замените: …»: {}",
        work.placeholders().len()
    );
    Ok(ExitCode::SUCCESS)
}

pub(super) fn edit(a: &EditArgs) -> Result<ExitCode, CliError> {
    let (mut work, mut problems) = Work::open(&a.dir)?;
    for set in &a.set {
        let (path, json) = set
            .split_once('=')
            .ok_or_else(|| CliError::Usage(format!("«{set}»: ожидается ПУТЬ=JSON")))?;
        let value = serde_json::from_str(json).map_err(|e| {
            CliError::Usage(format!(
                "{path}: значение не JSON ({e}); строку берите в кавычки: '\"…\"'"
            ))
        })?;
        problems = work.set_field(path.trim(), value)?;
        println!("Сохранено: {}", path.trim());
    }
    println!("Ошибок в работе: {}", problems.len());
    print_problems(&problems);
    Ok(ExitCode::SUCCESS)
}

pub(super) fn media(a: &MediaArgs) -> Result<ExitCode, CliError> {
    let (mut work, _) = Work::open(&a.dir)?;
    let added = match &a.slot {
        Some(path) => work.attach_media(path, &a.file)?.0,
        None => work.add_media(&a.file, a.name.as_deref())?,
    };
    let figures = match (added.duration_ms, added.width, added.height) {
        (Some(ms), _, _) => format!(
            "{} мс, {} Гц, каналов: {}; duration_s = {}",
            ms,
            added.sample_rate.unwrap_or(0),
            added.channels.unwrap_or(0),
            added.duration_s.unwrap_or(0)
        ),
        (_, Some(w), Some(h)) => format!("{w}×{h}"),
        _ => String::new(),
    };
    println!(
        "Файл добавлен: {} ({}, {figures})",
        added.file, added.format
    );
    Ok(ExitCode::SUCCESS)
}

pub(super) fn check(a: &CheckArgs) -> Result<ExitCode, CliError> {
    let (work, problems) = Work::open(&a.dir)?;
    let placeholders = work.placeholders().len();
    if problems.is_empty() {
        println!("Ошибок нет: работу можно собрать (vpr package build).");
    } else {
        println!("Ошибок: {}", problems.len());
        print_problems(&problems);
    }
    if placeholders > 0 {
        println!("Осталось текстов-заготовок «Замените: …»: {placeholders}");
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
