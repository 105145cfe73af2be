//! `vpr bench roster`: reading and importing a roster of N rows (goal: ≤ 1 s
//! for 10,000) as schools have it — a cp1251 `;` CSV from Russian Excel and
//! an XLSX, each with a title row above the header and classes spelled
//! three ways — against a baseline measured in the same run on the same
//! file: a plain cp1251 decode and `;` split for the CSV, a plain calamine
//! read of the sheet for the XLSX.

use std::{
    io::Read,
    path::{Path, PathBuf},
    process::ExitCode,
    time::Instant,
};

use vpr_coordinator::{roster::read_roster, Coordinator, CoordinatorError};

#[derive(clap::Args)]
pub struct Args {
    /// Строк в списке
    #[arg(long, default_value_t = 10_000)]
    rows: u32,
    /// Повторов замера (печатается медиана), не меньше 5
    #[arg(long, default_value_t = 5)]
    runs: u32,
}

const LAST: [&str; 40] = [
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Кузьмин",
    "Фролов",
    "Александров",
    "Дмитриев",
    "Королёв",
    "Гусев",
    "Киселёв",
];
const FIRST: [&str; 30] = [
    "Александр",
    "Дмитрий",
    "Максим",
    "Сергей",
    "Андрей",
    "Алексей",
    "Артём",
    "Илья",
    "Кирилл",
    "Михаил",
    "Никита",
    "Матвей",
    "Роман",
    "Егор",
    "Арсений",
    "Иван",
    "Денис",
    "Евгений",
    "Даниил",
    "Тимофей",
    "Владислав",
    "Игорь",
    "Владимир",
    "Павел",
    "Руслан",
    "Марк",
    "Лев",
    "Глеб",
    "Антон",
    "Фёдор",
];
const MIDDLE: [&str; 20] = [
    "Александрович",
    "Дмитриевич",
    "Сергеевич",
    "Андреевич",
    "Алексеевич",
    "Иванович",
    "Михайлович",
    "Николаевич",
    "Петрович",
    "Владимирович",
    "Павлович",
    "Игоревич",
    "Олегович",
    "Юрьевич",
    "Викторович",
    "Евгеньевич",
    "Романович",
    "Борисович",
    "Васильевич",
    "Георгиевич",
];

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn bench_err(e: impl std::fmt::Display) -> CoordinatorError {
    CoordinatorError::Invalid(e.to_string())
}

/// Row `i`: class (spelled «7А», «7 б» or «7-В»), last, first, middle name,
/// birth date, sex. Unique for i < 24,000.
fn row(i: u32) -> [String; 6] {
    let grade = 5 + (i / 25) % 5;
    let letter = ["А", "б", "В"][(i as usize / 125) % 3];
    let class = match i % 3 {
        0 => format!("{grade}{letter}"),
        1 => format!("{grade} {letter}"),
        _ => format!("{grade}-{letter}"),
    };
    [
        class,
        LAST[i as usize % 40].to_string(),
        FIRST[(i as usize / 40) % 30].to_string(),
        MIDDLE[(i as usize / 1200) % 20].to_string(),
        format!("{:02}.{:02}.{}", 1 + i % 28, 1 + i % 12, 2010 + i % 5),
        "М".to_string(),
    ]
}

const HEADER: [&str; 7] = [
    "№",
    "Класс",
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "Пол",
];

fn write_csv(path: &Path, n: u32) -> Result<(), CoordinatorError> {
    let mut text = String::from("Список обучающихся МБОУ СОШ № 5;;;;;;\r\n");
    text.push_str(&HEADER.join(";"));
    text.push_str("\r\n");
    for i in 0..n {
        text.push_str(&format!("{};{}\r\n", i + 1, row(i).join(";")));
    }
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    std::fs::write(path, bytes)?;
    Ok(())
}

fn write_xlsx(path: &Path, n: u32) -> Result<(), CoordinatorError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    ws.merge_range(0, 0, 0, 6, "Список обучающихся МБОУ СОШ № 5", &bold)?;
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &bold)?;
    }
    for i in 0..n {
        ws.write_number(i + 2, 0, f64::from(i + 1))?;
        for (c, v) in row(i).iter().enumerate() {
            ws.write_string(i + 2, c as u16 + 1, v)?;
        }
    }
    wb.save(path)?;
    Ok(())
}

/// The baseline for the CSV: read, decode cp1251, split lines and fields.
fn plain_csv(path: &Path) -> Result<usize, CoordinatorError> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.read_to_end(&mut bytes)?;
    let text = encoding_rs::WINDOWS_1251
        .decode_without_bom_handling(&bytes)
        .0;
    Ok(text.lines().map(|l| l.split(';').count()).sum())
}

/// The baseline for the XLSX: calamine reads the first sheet.
fn plain_xlsx(path: &Path) -> Result<usize, CoordinatorError> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).map_err(bench_err)?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| bench_err("нет листа"))?
        .map_err(bench_err)?;
    Ok(range.used_cells().count())
}

fn time<T>(
    runs: u32,
    mut f: impl FnMut(u32) -> Result<T, CoordinatorError>,
) -> Result<f64, CoordinatorError> {
    let mut v = Vec::new();
    for r in 0..runs {
        let t = Instant::now();
        f(r)?;
        v.push(t.elapsed().as_secs_f64());
    }
    Ok(median(v))
}

fn verdict(s: f64) -> &'static str {
    if s <= 1.0 {
        "OK"
    } else {
        "ПРЕВЫШЕНО"
    }
}

fn run_inner(args: &Args, dir: &Path) -> Result<(), CoordinatorError> {
    let n = args.rows.clamp(1, 20_000);
    let runs = args.runs.max(5);
    let csv = dir.join("roster-cp1251.csv");
    let xlsx = dir.join("roster.xlsx");
    write_csv(&csv, n)?;
    write_xlsx(&xlsx, n)?;
    println!(
        "Список участников: {n} строк, заголовок под строкой названия; медианы {runs} замеров (цель ≤ 1 с)"
    );
    for (what, path, plain) in [
        (
            "CSV cp1251 «;»",
            &csv,
            plain_csv as fn(&Path) -> Result<usize, CoordinatorError>,
        ),
        ("XLSX", &xlsx, plain_xlsx),
    ] {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let base = time(runs, |_| plain(path))?;
        let mut rows = 0;
        let read = time(runs, |_| {
            rows = read_roster(path)?.len();
            Ok(())
        })?;
        if rows != n as usize {
            return Err(bench_err(format!("{what}: прочитано {rows} строк из {n}")));
        }
        println!(
            "  {what} ({:.1} МБ): разбор и проверка {:.3} с — {}; базовое чтение ({}) {:.3} с; отношение {:.1}×",
            size as f64 / 1e6,
            read,
            verdict(read),
            if path == &csv { "декодирование cp1251 и разбиение по «;»" } else { "calamine, лист целиком" },
            base,
            read / base.max(1e-9)
        );
        let import = time(runs, |r| {
            let db_dir = dir.join(format!(
                "db-{}-{r}",
                path.extension().and_then(|e| e.to_str()).unwrap_or("")
            ));
            std::fs::create_dir_all(&db_dir)?;
            let mut db = Coordinator::create_with_iterations(
                &db_dir.join("c.sqlite"),
                "пароль-замера",
                1_000,
            )?;
            let t = db.import_roster(path)?;
            if t.added != n {
                return Err(bench_err(format!("{what}: добавлено {} из {n}", t.added)));
            }
            Ok(())
        })?;
        println!(
            "  {what}: импорт в базу (имена зашифрованы, коды выданы, одна транзакция; с созданием базы) {import:.3} с — {}; отношение к базовому чтению {:.1}×",
            verdict(import),
            import / base.max(1e-9)
        );
    }
    Ok(())
}

pub fn run(args: Args) -> ExitCode {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("vpr-bench-roster-{}", std::process::id()));
    let result = std::fs::create_dir_all(&dir)
        .map_err(CoordinatorError::from)
        .and_then(|_| run_inner(&args, &dir));
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
