//! `vpr coordinator paper …`: a work taken on paper, entered by code from
//! the participants' sheets — the grid, one value at a time, the change log.
//! Each calls the same vpr-coordinator operation as the window's command.

use clap::Subcommand;
use vpr_coordinator::{
    paper::{EnteredBy, PaperCheck, PaperRow},
    Coordinator, CoordinatorError,
};

#[derive(Subcommand)]
pub enum PaperCmd {
    /// Таблица ввода: строки — коды участников, столбцы — позиции с кратким ответом и критерии
    Grid { work: i64 },
    /// Внести значение с бланка: краткий ответ (сверяется с ключами) или балл по критерию
    /// (в его диапазоне); пустое значение очищает ячейку
    Enter {
        work: i64,
        code: u32,
        /// Позиция (например 1.1) или критерий (например 3К1)
        item: String,
        value: String,
        /// Кто вносит: номер сотрудника из списка или метка оператора («Оператор 1»), не имя
        #[arg(long)]
        by: String,
    },
    /// Журнал изменений: кто, когда (UTC), что было и что стало
    Log { work: i64 },
    /// Ключи работы на бумаге (по описанию, без пакета): файл keys.json
    Keys { work: i64, file: std::path::PathBuf },
    /// Новая работа на бумаге по описанию, как в окне: JSON с предметом, классом,
    /// датами, числом вариантов, заданиями (ответы или критерии) и порогами отметок
    New { file: std::path::PathBuf },
    /// Изменить работу на бумаге по новому описанию (пока не внесено ни одного результата)
    Edit { work: i64, file: std::path::PathBuf },
    /// Таблица ключей, как в окне: вывести (без файла) или внести из JSON
    /// (вариант → позиция → верные ответы через «;»)
    KeyTable {
        work: i64,
        file: Option<std::path::PathBuf>,
    },
    /// Что записано на бланке: вариант и версия (например no_listening; без --version — обычная)
    Sheet {
        work: i64,
        code: u32,
        #[arg(long)]
        variant: u32,
        #[arg(long)]
        version: Option<String>,
        /// Кто вносит: номер сотрудника или метка оператора
        #[arg(long)]
        by: String,
    },
}

/// Largest keys file read.
const MAX_KEYS_BYTES: u64 = 4 * 1024 * 1024;

/// A JSON file of at most [`MAX_KEYS_BYTES`], refused naming the file.
fn read_capped<T: serde::de::DeserializeOwned>(
    path: &std::path::Path,
) -> Result<T, CoordinatorError> {
    let bad = |why: String| CoordinatorError::Invalid(format!("{}: {why}", path.display()));
    if std::fs::metadata(path)?.len() > MAX_KEYS_BYTES {
        return Err(bad("файл больше 4 МиБ".into()));
    }
    serde_json::from_slice(&std::fs::read(path)?).map_err(|e| bad(e.to_string()))
}

/// `--by`: a staff number, or an operator label.
pub fn entered_by(s: &str) -> EnteredBy {
    let t = s.trim();
    match t.parse::<i64>() {
        Ok(id) if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) => EnteredBy::Staff { id },
        _ => EnteredBy::Operator {
            label: t.to_string(),
        },
    }
}

fn mark(c: PaperCheck) -> &'static str {
    match c {
        PaperCheck::Empty => "",
        PaperCheck::Right => "+",
        PaperCheck::Wrong => "−",
        PaperCheck::NoKeys => "?",
        PaperCheck::InRange | PaperCheck::NotApplicable => "",
    }
}

fn print_row(r: &PaperRow) {
    let cells: Vec<String> = r
        .cells
        .iter()
        .map(|c| match &c.value {
            _ if c.check == PaperCheck::NotApplicable => "—".to_string(),
            None => "·".to_string(),
            Some(v) => format!("{v}{}", mark(c.check)),
        })
        .collect();
    println!(
        "{}\t{}\t{}\t{}{}",
        r.code,
        r.variant,
        cells.join("\t"),
        r.points,
        if r.complete {
            ""
        } else {
            " (не всё внесено)"
        }
    );
}

pub fn run(cmd: &PaperCmd, db: &mut Coordinator) -> Result<(), CoordinatorError> {
    match cmd {
        PaperCmd::Grid { work } => {
            let g = db.paper_grid(*work)?;
            let head: Vec<String> = g
                .columns
                .iter()
                .map(|c| format!("{} (0–{})", c.id, c.max))
                .collect();
            println!("Код\tВариант\t{}\tБаллы", head.join("\t"));
            for r in &g.rows {
                print_row(r);
            }
            if !g.keys_released {
                println!("Ключи ещё не внесены: краткие ответы будут проверены после их внесения");
            }
        }
        PaperCmd::Enter {
            work,
            code,
            item,
            value,
            by,
        } => {
            let row = db.paper_enter(*work, *code, item, value, &entered_by(by))?;
            let cell = row.cells.iter().find(|c| c.column == item.trim());
            let what = match cell.map(|c| c.check) {
                Some(PaperCheck::Right) => "верно",
                Some(PaperCheck::Wrong) => "неверно",
                Some(PaperCheck::NoKeys) => "ключи не внесены",
                Some(PaperCheck::InRange) => "балл в диапазоне",
                Some(PaperCheck::NotApplicable) => "не входит в версию участника",
                _ => "очищено",
            };
            println!(
                "Код {code}, «{}»: {what}; баллов у участника: {}",
                item.trim(),
                row.points
            );
        }
        PaperCmd::Keys { work, file } => {
            db.set_keys(*work, &read_capped::<vpr_coordinator::Keys>(file)?)?;
            println!("Ключи работы {work} внесены");
        }
        PaperCmd::New { file } => {
            let w = db.add_paper_work(&read_capped(file)?)?;
            println!("{}", w.id);
        }
        PaperCmd::Edit { work, file } => {
            let w = db.update_paper_work(*work, &read_capped(file)?)?;
            println!(
                "Работа {} изменена; ключи: {}",
                w.id,
                if w.keys_released {
                    "сохранены"
                } else {
                    "внесите заново"
                }
            );
        }
        PaperCmd::KeyTable { work, file: None } => {
            for v in db.paper_key_table(*work)?.variants {
                for (item, accepted) in v.answers {
                    println!("{}\t{item}\t{accepted}", v.number);
                }
            }
        }
        PaperCmd::KeyTable {
            work,
            file: Some(file),
        } => {
            db.set_paper_keys(*work, &read_capped(file)?)?;
            println!("Ключи работы {work} внесены");
        }
        PaperCmd::Sheet {
            work,
            code,
            variant,
            version,
            by,
        } => {
            let row =
                db.paper_set_sheet(*work, *code, *variant, version.as_deref(), &entered_by(by))?;
            println!(
                "Код {code}: вариант {}, {}",
                row.variant,
                row.version.as_deref().unwrap_or("обычная версия")
            );
        }
        PaperCmd::Log { work } => {
            for l in db.paper_log(*work)? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    l.at,
                    l.code,
                    l.item,
                    l.old_value.as_deref().unwrap_or("—"),
                    l.new_value.as_deref().unwrap_or("—"),
                    l.by
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(subcommand)]
        cmd: PaperCmd,
    }

    fn run_args(db: &mut Coordinator, argv: &[&str]) -> Result<(), CoordinatorError> {
        let mut all = vec!["vpr"];
        all.extend_from_slice(argv);
        run(&Cli::try_parse_from(all).unwrap().cmd, db)
    }

    #[test]
    fn a_paper_work_entered_from_the_command_line() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Coordinator::create_with_iterations(
            &dir.path().join("c.sqlite"),
            "пароль-теста",
            1_000,
        )
        .unwrap();
        let roster = dir.path().join("roster.csv");
        std::fs::write(
            &roster,
            "Класс;Фамилия;Имя\n5А;Борисов;Борис\n5А;Антонов;Антон\n",
        )
        .unwrap();
        db.import_roster(&roster).unwrap();
        let spec: vpr_coordinator::WorkSpec = serde_json::from_str(
            r#"{"stations_per_room":1,"marks":[{"min_total":0,"mark":2},{"min_total":3,"mark":5}],
            "tasks":[{"number":1,"title":"А","oral":false,"items":[{"id":"1.1","points":1}]},
            {"number":2,"title":"Б","oral":false,"criteria":[{"id":"2К1","name":"Решение","max_points":2,"description":"","levels":[],"critical":false}]}]}"#,
        )
        .unwrap();
        let work = db
            .add_work(&vpr_coordinator::NewWork {
                package_id: String::new(),
                subject: "Математика".into(),
                grade: 5,
                date: "2026-04-14".into(),
                reserve_dates: vec![],
                upload_deadline: "2026-04-18".into(),
                spec: spec.clone(),
            })
            .unwrap();
        let keys = dir.path().join("keys.json");
        std::fs::write(
            &keys,
            serde_json::to_vec(&spec.keys_for("", &[1], |_| vec!["42".into()])).unwrap(),
        )
        .unwrap();
        let w = work.to_string();
        run_args(&mut db, &["keys", &w, keys.to_str().unwrap()]).unwrap();
        assert!(db.work(work).unwrap().keys_released);
        let codes: Vec<String> = db
            .participants()
            .unwrap()
            .iter()
            .map(|p| p.code.to_string())
            .collect();
        run_args(&mut db, &["grid", &w]).unwrap();
        for (code, answer, score) in [(&codes[0], "42", "2"), (&codes[1], "41", "1")] {
            run_args(
                &mut db,
                &["enter", &w, code, "1.1", answer, "--by", "Оператор 1"],
            )
            .unwrap();
            run_args(
                &mut db,
                &["enter", &w, code, "2К1", score, "--by", "Оператор 2"],
            )
            .unwrap();
        }
        // Out of range: refused, naming code and item.
        let e = run_args(
            &mut db,
            &["enter", &w, &codes[0], "2К1", "3", "--by", "Оператор 1"],
        )
        .unwrap_err();
        assert!(
            e.to_string().contains(&codes[0]) && e.to_string().contains("2К1"),
            "{e}"
        );
        // A name is refused as who enters.
        let e = run_args(
            &mut db,
            &["enter", &w, &codes[0], "1.1", "42", "--by", "Борисов"],
        )
        .unwrap_err();
        assert_eq!(vpr_error::Coded::code(&e), "coord_paper_by");
        run_args(&mut db, &["log", &w]).unwrap();
        let log = db.paper_log(work).unwrap();
        assert_eq!(log.len(), 4);
        assert!(log.iter().all(|l| l.by.starts_with("Оператор")));
        let totals: Vec<Option<u32>> = db
            .results(work)
            .unwrap()
            .iter()
            .map(|r| r.total())
            .collect();
        assert_eq!(totals.len(), 2);
        assert!(
            totals.contains(&Some(3)) && totals.contains(&Some(1)),
            "{totals:?}"
        );
        assert!(matches!(entered_by(" 7 "), EnteredBy::Staff { id: 7 }));
        // The sheet's variant through the same operation as the window.
        let e = run_args(
            &mut db,
            &[
                "sheet",
                &w,
                &codes[0],
                "--variant",
                "100",
                "--by",
                "Оператор 1",
            ],
        )
        .unwrap_err();
        assert!(e.to_string().contains("номер от 1 до 99"), "{e}");
        assert!(matches!(
            entered_by("Оператор 7"),
            EnteredBy::Operator { .. }
        ));
    }

    #[test]
    fn a_paper_work_described_and_keyed_as_in_the_window() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Coordinator::create_with_iterations(
            &dir.path().join("c.sqlite"),
            "пароль-теста",
            1_000,
        )
        .unwrap();
        let roster = dir.path().join("roster.csv");
        std::fs::write(&roster, "Класс;Фамилия;Имя\n4А;Борисов;Борис\n").unwrap();
        db.import_roster(&roster).unwrap();
        let draft = dir.path().join("work.json");
        std::fs::write(
            &draft,
            r#"{"subject":"Русский язык","grade":4,"date":"2026-04-14","upload_deadline":"2026-04-18",
            "variants":2,"marks":[2,3,4],
            "tasks":[{"title":"Диктант","kind":{"kind":"criteria","count":2,"max":2}},
                     {"kind":{"kind":"answers","count":1,"points":1}}]}"#,
        )
        .unwrap();
        run_args(&mut db, &["new", draft.to_str().unwrap()]).unwrap();
        let work = db.works().unwrap()[0].id;
        let w = work.to_string();
        run_args(&mut db, &["edit", &w, draft.to_str().unwrap()]).unwrap();
        let keys = dir.path().join("keys.json");
        std::fs::write(
            &keys,
            r#"{"variants":[{"number":1,"answers":{"2":"кот; кошка"}},{"number":2,"answers":{"2":"пёс"}}]}"#,
        )
        .unwrap();
        run_args(&mut db, &["key-table", &w, keys.to_str().unwrap()]).unwrap();
        run_args(&mut db, &["key-table", &w]).unwrap();
        assert_eq!(
            db.paper_key_table(work).unwrap().variants[0].answers["2"],
            "кот; кошка"
        );
        let code = db.participants().unwrap()[0].code.to_string();
        run_args(
            &mut db,
            &["sheet", &w, &code, "--variant", "2", "--by", "Оператор 1"],
        )
        .unwrap();
        run_args(
            &mut db,
            &["enter", &w, &code, "2", "Пёс", "--by", "Оператор 1"],
        )
        .unwrap();
        let r = &db.results(work).unwrap()[0];
        assert_eq!((r.variant, r.tasks[&2]), (2, Some(1)));
    }
}
