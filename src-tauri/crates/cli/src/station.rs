//! `vpr station check`: is this machine ready for the exam day?
//!
//! Checks the clock (UTC, local, Moscow time), the time zone, that the data
//! folder is writable, free disk against what the day's recordings need
//! (22,050 Hz, 16-bit mono = 44,100 bytes a second), and the package (header,
//! signature, trusted issuer, release times) given with `--package` and every
//! package on the station's shelf (`<data>/packages`). Exits 1 when anything fails.
//! Audio: the devices are listed and the chosen (or default) input and
//! output are opened (crate `vpr-audio`); with `--test-sound PHRASE.wav` the
//! headset check also plays the phrase, records a control recording into the
//! data folder and plays it back, reporting silence or clipping.

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
    process::{Command as Process, ExitCode},
};

use clap::Subcommand;
use serde::Serialize;
use vpr_audio::Direction;
use vpr_package::{
    inspect_file, time::OffsetDateTime, IssuerKey, Limits, PackageShelf, ShelfEntry, SystemClock,
    TrustedIssuers, MOSCOW,
};

/// Bytes a second of a recording: 22,050 Hz × 2 bytes × 1 channel.
pub const RECORDING_BYTES_PER_SECOND: u64 = 22_050 * 2;
/// Head-room kept free for the system, the answer store and exports.
pub const RESERVE_BYTES: u64 = 512 * 1024 * 1024;
/// Recordings are counted twice: the answer files and the exported bundle.
pub const MARGIN: u64 = 2;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Проверить готовность станции: часы, диск, папка данных, пакет
    Check(CheckArgs),
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Папка данных станции (по умолчанию VPR_DATA_DIR или ~/.local/share/ru.vpr.kiosk)
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Пакет заданий (.vprpkg) для проверки
    #[arg(long)]
    package: Option<PathBuf>,
    /// Доверенный открытый ключ выдающей организации; можно несколько
    #[arg(long = "trust")]
    trust: Vec<PathBuf>,
    /// Не доверять демонстрационному ключу проекта
    #[arg(long)]
    no_demo_key: bool,
    /// Сколько участников пройдёт работу на этой станции за день
    #[arg(long, default_value_t = 30)]
    participants: u64,
    /// Минут устных ответов на участника (с контрольной записью)
    #[arg(long, default_value_t = 5)]
    minutes: u64,
    /// Микрофон (id из списка устройств; по умолчанию системный)
    #[arg(long)]
    input: Option<String>,
    /// Наушники (id из списка устройств; по умолчанию системные)
    #[arg(long)]
    output: Option<String>,
    /// Не проверять звук
    #[arg(long)]
    no_audio: bool,
    /// Проверка гарнитуры: проиграть фразу (WAV), записать контрольную запись и воспроизвести её
    #[arg(long, value_name = "PHRASE.wav")]
    test_sound: Option<PathBuf>,
    /// Длительность контрольной записи, секунд
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Вывести JSON вместо текста
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Status {
    Ok,
    Warning,
    Failed,
}

#[derive(Debug, Serialize)]
struct Check {
    name: &'static str,
    status: Status,
    detail: String,
}

impl Check {
    fn new(name: &'static str, status: Status, detail: impl Into<String>) -> Self {
        Self {
            name,
            status,
            detail: detail.into(),
        }
    }
}

pub fn run(args: Args) -> ExitCode {
    match args.command {
        Command::Check(a) => check(&a),
    }
}

fn check(a: &CheckArgs) -> ExitCode {
    let data_dir = a.data_dir.clone().unwrap_or_else(default_data_dir);
    let now = OffsetDateTime::now_utc();
    let mut checks = vec![clock(now), timezone(), writable(&data_dir)];
    checks.push(disk(&data_dir, recordings_need(a.participants, a.minutes)));
    checks.extend(package(a, &data_dir, now));
    if !a.no_audio {
        checks.extend(audio(a, &data_dir));
    }
    let failed = checks.iter().any(|c| c.status == Status::Failed);
    if a.json {
        match serde_json::to_string_pretty(&checks) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("Ошибка: {e}"),
        }
    } else {
        println!("Папка данных: {}", data_dir.display());
        for c in &checks {
            let mark = match c.status {
                Status::Ok => "[ ОК ]",
                Status::Warning => "[ВНИМ]",
                Status::Failed => "[ОШИБ]",
            };
            println!("{mark} {}: {}", c.name, c.detail);
        }
        if failed {
            println!("Станция НЕ готова: исправьте пункты с отметкой [ОШИБ].");
        } else {
            println!("Станция готова (пункты [ВНИМ] проверьте вручную).");
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `VPR_DATA_DIR`, else the app's data folder (`$XDG_DATA_HOME` or `~/.local/share`).
pub(crate) fn default_data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("VPR_DATA_DIR") {
        return PathBuf::from(d);
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("ru.vpr.kiosk")
}

/// Bytes the day's recordings need on this station, with margin and reserve.
pub fn recordings_need(participants: u64, minutes: u64) -> u64 {
    participants
        .saturating_mul(minutes)
        .saturating_mul(60)
        .saturating_mul(RECORDING_BYTES_PER_SECOND)
        .saturating_mul(MARGIN)
        .saturating_add(RESERVE_BYTES)
}

fn mib(bytes: u64) -> String {
    format!("{} МБ", bytes / (1024 * 1024))
}

fn hm(t: OffsetDateTime) -> String {
    format!(
        "{:02}.{:02}.{} {:02}:{:02}:{:02}",
        t.day(),
        u8::from(t.month()),
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn clock(now: OffsetDateTime) -> Check {
    let moscow = now.to_offset(MOSCOW);
    let local = local_offset().map(|o| now.to_offset(o));
    let mut detail = format!("UTC {}, Москва {} МСК", hm(now), hm(moscow));
    if let Some(l) = local {
        detail.push_str(&format!(
            ", местное {} (UTC{})",
            hm(l),
            offset_text(l.offset())
        ));
    }
    if !(2025..2100).contains(&now.year()) {
        return Check::new(
            "часы",
            Status::Failed,
            format!("{detail}: часы станции явно неверны, установите точное время"),
        );
    }
    detail.push_str(
        " — сверьте с точным временем (сети нет, время подтверждает технический специалист)",
    );
    Check::new("часы", Status::Warning, detail)
}

fn offset_text(o: vpr_package::time::UtcOffset) -> String {
    let (h, m, _) = o.as_hms();
    let sign = if o.is_negative() { '-' } else { '+' };
    format!("{sign}{:02}:{:02}", h.unsigned_abs(), m.unsigned_abs())
}

/// The system's UTC offset now, from `date +%z` (no unsafe code here).
fn local_offset() -> Option<vpr_package::time::UtcOffset> {
    let out = Process::new("date").arg("+%z").output().ok()?;
    if !out.status.success() {
        return None;
    }
    crate::package::parse_offset(String::from_utf8_lossy(&out.stdout).trim())
}

/// The zone name: `TZ`, `/etc/timezone`, or the `/etc/localtime` link.
fn zone_name() -> Option<String> {
    if let Ok(tz) = std::env::var("TZ") {
        if !tz.trim().is_empty() {
            return Some(tz.trim().trim_start_matches(':').to_owned());
        }
    }
    if let Ok(text) = fs::read_to_string("/etc/timezone") {
        if !text.trim().is_empty() {
            return Some(text.trim().to_owned());
        }
    }
    let link = fs::read_link("/etc/localtime").ok()?;
    let text = link.to_string_lossy().into_owned();
    text.split_once("zoneinfo/")
        .map(|(_, zone)| zone.to_owned())
}

fn timezone() -> Check {
    match (zone_name(), local_offset()) {
        (Some(zone), Some(offset)) => Check::new(
            "часовой пояс",
            Status::Ok,
            format!(
                "{zone} (UTC{}); московское время — UTC+03:00",
                offset_text(offset)
            ),
        ),
        (None, Some(offset)) => Check::new(
            "часовой пояс",
            Status::Warning,
            format!(
                "имя пояса не задано, смещение UTC{}: проверьте настройку пояса",
                offset_text(offset)
            ),
        ),
        _ => Check::new(
            "часовой пояс",
            Status::Warning,
            "не удалось определить часовой пояс системы",
        ),
    }
}

fn writable(dir: &Path) -> Check {
    let probe = dir.join(".vpr-station-check.tmp");
    let result = fs::create_dir_all(dir).and_then(|()| {
        let mut f = fs::File::create(&probe)?;
        f.write_all(b"check")?;
        f.sync_all()?;
        fs::remove_file(&probe)
    });
    match result {
        Ok(()) => Check::new(
            "папка данных",
            Status::Ok,
            format!("{} доступна для записи", dir.display()),
        ),
        Err(e) => {
            let _ = fs::remove_file(&probe);
            Check::new(
                "папка данных",
                Status::Failed,
                format!("{}: запись невозможна ({e})", dir.display()),
            )
        }
    }
}

/// Free bytes on the file system holding `dir` (or its nearest existing
/// ancestor), from POSIX `df -Pk`.
fn free_space(dir: &Path) -> Option<u64> {
    let existing = dir.ancestors().find(|p| p.exists())?;
    let out = Process::new("df").arg("-Pk").arg(existing).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().nth(1)?;
    let kib: u64 = line.split_whitespace().nth(3)?.parse().ok()?;
    Some(kib.saturating_mul(1024))
}

fn disk(dir: &Path, need: u64) -> Check {
    match free_space(dir) {
        Some(free) if free >= need => Check::new(
            "диск",
            Status::Ok,
            format!(
                "свободно {}, на записи дня нужно {} (с запасом)",
                mib(free),
                mib(need)
            ),
        ),
        Some(free) => Check::new(
            "диск",
            Status::Failed,
            format!(
                "свободно {}, а на записи дня нужно {}: освободите место",
                mib(free),
                mib(need)
            ),
        ),
        None => Check::new(
            "диск",
            Status::Failed,
            "не удалось узнать свободное место на диске",
        ),
    }
}

fn package(a: &CheckArgs, data_dir: &Path, now: OffsetDateTime) -> Vec<Check> {
    let mut trust = if a.no_demo_key {
        TrustedIssuers::new()
    } else {
        TrustedIssuers::demo()
    };
    let mut checks = Vec::new();
    for path in &a.trust {
        match IssuerKey::read(path) {
            Ok(key) => trust.add(key),
            Err(e) => checks.push(Check::new("ключи", Status::Failed, e.to_string())),
        }
    }
    let fingerprints: Vec<String> = trust
        .keys()
        .iter()
        .map(|k| {
            format!(
                "{}…{}",
                k.fingerprint.get(..16).unwrap_or(""),
                if k.demo { " (демо)" } else { "" }
            )
        })
        .collect();
    checks.push(Check::new(
        "доверенные ключи",
        if trust.keys().is_empty() {
            Status::Failed
        } else {
            Status::Ok
        },
        if fingerprints.is_empty() {
            "нет ни одного".to_owned()
        } else {
            fingerprints.join(", ")
        },
    ));
    let shelf = PackageShelf::new(data_dir.join("packages"), trust.clone(), Limits::default());
    match shelf.list(&SystemClock) {
        Ok(entries) => {
            for e in &entries {
                checks.push(shelf_check(e));
            }
            if entries.is_empty() && a.package.is_none() {
                checks.push(Check::new(
                    "пакет",
                    Status::Warning,
                    format!(
                        "на станции нет пакетов ({}); проверить файл: --package ФАЙЛ",
                        shelf.dir().display()
                    ),
                ));
            }
        }
        Err(e) => checks.push(Check::new(
            "пакет на станции",
            Status::Failed,
            e.to_string(),
        )),
    }
    let Some(file) = &a.package else {
        return checks;
    };
    match inspect_file(file, &trust, &Limits::default(), &SystemClock) {
        Err(e) => checks.push(Check::new(
            "пакет",
            Status::Failed,
            format!("{}: {e}", file.display()),
        )),
        Ok(v) if !v.trusted => checks.push(Check::new(
            "пакет",
            Status::Failed,
            format!(
                "подписан неизвестной организацией (отпечаток {})",
                v.header.issuer_fingerprint
            ),
        )),
        Ok(v) => {
            let m = &v.header.meta;
            checks.push(Check::new(
                "пакет",
                Status::Ok,
                format!(
                    "{} ({}), {}, дата {}; подпись верна, ключ {}…{}",
                    m.title,
                    m.package_id,
                    m.school,
                    m.exam_date,
                    v.header.issuer_fingerprint.get(..16).unwrap_or(""),
                    if v.demo_issuer { " (демо)" } else { "" }
                ),
            ));
            let today = now.to_offset(MOSCOW).date();
            let (status, detail) = if m.demo {
                (Status::Ok, "учебный пакет: дата не важна".to_owned())
            } else if today < m.exam_date {
                (
                    Status::Ok,
                    format!("работа через {} дн.", (m.exam_date - today).whole_days()),
                )
            } else if today == m.exam_date {
                (Status::Ok, "работа сегодня".to_owned())
            } else {
                (
                    Status::Warning,
                    "дата работы уже прошла: проверьте пакет и часы".to_owned(),
                )
            };
            checks.push(Check::new("дата работы", status, detail));
            checks.push(Check::new(
                "открытие",
                Status::Ok,
                format!(
                    "материалы {} МСК ({}), ключи {} МСК ({})",
                    v.materials_release_moscow,
                    if v.materials_released {
                        "доступны"
                    } else {
                        "закрыты"
                    },
                    v.keys_release_moscow,
                    if v.keys_released {
                        "доступны"
                    } else {
                        "закрыты"
                    },
                ),
            ));
        }
    }
    checks
}

/// Devices listed, input and output opened, and optionally the headset check.
fn audio(a: &CheckArgs, data_dir: &Path) -> Vec<Check> {
    let mut checks = Vec::new();
    match vpr_audio::list_devices() {
        Ok(devices) => {
            let count = |d: Direction| devices.iter().filter(|x| x.direction == d).count();
            let (inputs, outputs) = (count(Direction::Input), count(Direction::Output));
            let status = if inputs == 0 || outputs == 0 {
                Status::Failed
            } else {
                Status::Ok
            };
            checks.push(Check::new(
                "звуковые устройства",
                status,
                format!("микрофонов: {inputs}, устройств вывода: {outputs}"),
            ));
        }
        Err(e) => checks.push(Check::new(
            "звуковые устройства",
            Status::Failed,
            e.to_string(),
        )),
    }
    for (name, id, direction) in [
        ("микрофон", a.input.as_deref(), Direction::Input),
        ("наушники", a.output.as_deref(), Direction::Output),
    ] {
        checks.push(match vpr_audio::check_device(id, direction) {
            Ok(d) => Check::new(
                name,
                Status::Ok,
                format!(
                    "{} [{}]: {} Гц, каналов {}, {}",
                    d.name, d.id, d.sample_rate, d.channels, d.sample_format
                ),
            ),
            Err(e) => Check::new(name, Status::Failed, e.to_string()),
        });
    }
    if let Some(phrase) = &a.test_sound {
        let recording = data_dir.join("station-check.wav");
        let options = vpr_audio::HeadsetCheckOptions {
            phrase: phrase.clone(),
            recording: recording.clone(),
            seconds: std::time::Duration::from_secs(a.seconds.clamp(1, 60)),
            input: a.input.clone(),
            output: a.output.clone(),
            volume: 1.0,
            play_back: true,
            events: None,
        };
        checks.push(match vpr_audio::headset_check(options) {
            Ok(r) => {
                let l = &r.recording.levels;
                let verdict = if l.silent {
                    "тишина: микрофон ничего не записывает"
                } else if l.clipped {
                    "перегрузка: уменьшите усиление микрофона"
                } else {
                    "уровень в норме"
                };
                Check::new(
                    "проверка гарнитуры",
                    if r.ok { Status::Ok } else { Status::Failed },
                    format!(
                        "{verdict}; пик {:.2}, громкий участок {:.1} дБ FS; контрольная запись {} ({} мс)",
                        l.peak,
                        l.max_window_dbfs,
                        recording.display(),
                        r.recording.duration_ms
                    ),
                )
            }
            Err(e) => Check::new("проверка гарнитуры", Status::Failed, e.to_string()),
        });
    }
    checks
}

fn shelf_check(e: &ShelfEntry) -> Check {
    match &e.view {
        Some(v) => Check::new(
            "пакет на станции",
            Status::Ok,
            format!(
                "{} ({}): {}",
                v.header.meta.title,
                v.header.meta.package_id,
                match (e.unlocked, e.keys_unlocked) {
                    (false, _) => "загружен, материалы закрыты",
                    (true, false) => "материалы открыты",
                    (true, true) => "материалы, ключи и критерии открыты",
                }
            ),
        ),
        None => Check::new(
            "пакет на станции",
            Status::Failed,
            format!(
                "{}: {}",
                e.file,
                e.problem.as_deref().unwrap_or("не читается")
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recordings_need_counts_bytes_margin_and_reserve() {
        // 30 participants × 5 min × 60 s × 44,100 B/s × 2 + 512 MiB.
        assert_eq!(
            recordings_need(30, 5),
            30 * 5 * 60 * 44_100 * 2 + 512 * 1024 * 1024
        );
        assert_eq!(recordings_need(0, 5), RESERVE_BYTES);
        assert_eq!(recordings_need(u64::MAX, u64::MAX), u64::MAX);
    }

    #[test]
    fn disk_and_folder_checks_on_a_real_folder() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data/nested");
        assert_eq!(writable(&data).status, Status::Ok);
        assert!(data.is_dir());
        assert_eq!(
            fs::read_dir(&data).unwrap().count(),
            0,
            "the probe file is removed"
        );
        let free = free_space(dir.path()).unwrap();
        assert!(free > 0);
        assert_eq!(disk(dir.path(), 1).status, Status::Ok);
        assert_eq!(disk(dir.path(), u64::MAX).status, Status::Failed);
        // A file where the folder should be: not writable.
        let file = dir.path().join("file");
        fs::write(&file, b"x").unwrap();
        assert_eq!(writable(&file.join("sub")).status, Status::Failed);
    }

    #[test]
    fn clock_refuses_an_absurd_date() {
        let bad = OffsetDateTime::UNIX_EPOCH;
        assert_eq!(clock(bad).status, Status::Failed);
        let good = OffsetDateTime::from_unix_timestamp(1_776_240_000).unwrap(); // 2026-04-15 08:00 UTC
        let c = clock(good);
        assert_eq!(c.status, Status::Warning);
        assert!(c.detail.contains("15.04.2026 11:00:00 МСК"), "{}", c.detail);
    }

    fn args(package: Option<PathBuf>) -> CheckArgs {
        CheckArgs {
            data_dir: None,
            package,
            trust: Vec::new(),
            no_demo_key: false,
            participants: 30,
            minutes: 5,
            input: None,
            output: None,
            no_audio: true,
            test_sound: None,
            seconds: 1,
            json: false,
        }
    }

    #[test]
    fn package_checks_cover_the_file_and_the_shelf() {
        use vpr_package::{build, default_keys_release, BuildRequest, Issuer, PackageMeta};
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("src");
        fs::create_dir_all(&src).unwrap();
        fs::write(src.join("package.json"), b"{}").unwrap();
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
        let file = tmp.path().join("en-7.vprpkg");
        std::fs::write(&file, build(&req).unwrap().0).unwrap();
        let data = tmp.path().join("data");
        let now = release - vpr_package::time::Duration::days(1);

        // Nothing loaded, no file: a warning, not a failure.
        let checks = package(&args(None), &data, now);
        assert!(checks.iter().all(|c| c.status != Status::Failed));
        assert!(checks
            .iter()
            .any(|c| c.name == "пакет" && c.status == Status::Warning));

        // A good file: its header and (a training package) no date warning.
        let checks = package(&args(Some(file.clone())), &data, now);
        assert!(
            checks.iter().all(|c| c.status != Status::Failed),
            "{checks:?}"
        );
        assert!(
            checks.iter().any(|c| c.detail.contains("учебный пакет")),
            "{checks:?}"
        );

        // Loaded onto the shelf and then tampered with on disk: a failure.
        let shelf = PackageShelf::new(
            data.join("packages"),
            TrustedIssuers::demo(),
            Limits::default(),
        );
        shelf.load(&file, &SystemClock).unwrap();
        let checks = package(&args(None), &data, now);
        assert!(checks
            .iter()
            .any(|c| c.name == "пакет на станции" && c.status == Status::Ok));
        let stored = data.join("packages/en-7.vprpkg");
        let mut bytes = fs::read(&stored).unwrap();
        bytes[100] ^= 1;
        fs::write(&stored, bytes).unwrap();
        let checks = package(&args(None), &data, now);
        assert!(checks
            .iter()
            .any(|c| c.name == "пакет на станции" && c.status == Status::Failed));

        // A station that trusts nobody fails on the file.
        let mut untrusting = args(Some(file));
        untrusting.no_demo_key = true;
        let checks = package(&untrusting, &data, now);
        assert!(checks
            .iter()
            .any(|c| c.name == "доверенные ключи" && c.status == Status::Failed));
        assert!(checks
            .iter()
            .any(|c| c.name == "пакет" && c.status == Status::Failed));
    }

    #[test]
    fn audio_checks_name_a_missing_device_and_run_the_headset_check() {
        let tmp = tempfile::tempdir().unwrap();
        let mut a = args(None);
        a.no_audio = false;
        a.input = Some("alsa:no-such-microphone".into());
        let checks = audio(&a, tmp.path());
        let mic = checks.iter().find(|c| c.name == "микрофон").unwrap();
        assert_eq!(mic.status, Status::Failed, "{mic:?}");
        assert!(
            mic.detail.chars().any(|c| ('а'..='я').contains(&c)),
            "{mic:?}"
        );

        // With the test sound server (tests/support/pulse-up.sh: null sinks
        // `vspeaker` and `vmic`), the default devices open and the headset
        // check writes a control recording into the data folder.
        if std::env::var_os("PULSE_SERVER").is_some() {
            let phrase = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../audio-fixtures/speech/headset-phrase-ru.wav");
            let mut a = args(None);
            a.no_audio = false;
            a.test_sound = Some(phrase);
            let checks = audio(&a, tmp.path());
            for name in ["звуковые устройства", "микрофон", "наушники"]
            {
                let c = checks.iter().find(|c| c.name == name).unwrap();
                assert_eq!(c.status, Status::Ok, "{c:?}");
            }
            let headset = checks
                .iter()
                .find(|c| c.name == "проверка гарнитуры")
                .unwrap();
            assert!(headset.detail.contains("контрольная запись"), "{headset:?}");
            assert!(tmp.path().join("station-check.wav").is_file());
        }
    }
}
