//! `vpr coordinator` commands for the coordinator's data: the one-year purge
//! (with a dry run that lists what would go).

use std::path::Path;

use clap::Subcommand;
use vpr_coordinator::{
    roster::{RosterChoices, RosterEdit},
    Coordinator, CoordinatorError,
};

/// `vpr coordinator roster FILE [--skip-invalid]`: how many were added and
/// updated; with `--skip-invalid` the rows left out, by the file's row.
pub fn roster(
    db: &mut Coordinator,
    file: &Path,
    skip_invalid: bool,
    fix: &[String],
    skip: &[u32],
) -> Result<(), CoordinatorError> {
    let r = if fix.is_empty() && skip.is_empty() {
        if skip_invalid {
            db.import_roster_skipping_invalid(file)?
        } else {
            db.import_roster(file)?
        }
    } else {
        let choices = RosterChoices {
            edits: fix.iter().map(|f| parse_fix(f)).collect::<Result<_, _>>()?,
            skip: skip.to_vec(),
            skip_invalid,
        };
        db.import_roster_edited(file, None, &choices)?
    };
    println!(
        "Добавлено участников: {}, обновлено: {} (классы: {})",
        r.added,
        r.updated,
        r.classes.join(", ")
    );
    if !r.skipped.is_empty() {
        println!("Пропущено строк: {}", {
            let mut rows: Vec<u32> = r.skipped.iter().map(|i| i.row).collect();
            rows.dedup();
            rows.len()
        });
        for i in &r.skipped {
            println!("  строка {}, «{}»: {}", i.row, i.column, i.message);
        }
    }
    Ok(())
}

/// `ROW:COLUMN=VALUE` (the column as the problem names it: «8:Дата рождения=28.02.2013»).
fn parse_fix(text: &str) -> Result<RosterEdit, CoordinatorError> {
    let bad = || {
        CoordinatorError::Invalid(format!(
            "--fix «{text}»: ожидается СТРОКА:СТОЛБЕЦ=ЗНАЧЕНИЕ, например 8:Дата рождения=28.02.2013"
        ))
    };
    let (row, rest) = text.split_once(':').ok_or_else(bad)?;
    let (column, value) = rest.split_once('=').ok_or_else(bad)?;
    Ok(RosterEdit {
        row: row.trim().parse().map_err(|_| bad())?,
        column: column.trim().to_string(),
        value: value.to_string(),
    })
}

#[derive(Subcommand)]
pub enum DataCmd {
    /// Удаление по истечении года хранения: --dry-run выводит, что будет удалено, ничего не удаляя;
    /// без него нужно подтверждение --yes
    Purge {
        /// Только показать, что будет удалено
        #[arg(long)]
        dry_run: bool,
        /// Подтверждение удаления
        #[arg(long)]
        yes: bool,
        /// Сегодняшняя дата ГГГГ-ММ-ДД (по умолчанию — по часам компьютера)
        #[arg(long)]
        today: Option<String>,
    },
}

pub fn run(cmd: &DataCmd, db: &mut Coordinator) -> Result<(), CoordinatorError> {
    match cmd {
        DataCmd::Purge {
            dry_run,
            yes,
            today: day,
        } => {
            let day = day.clone().unwrap_or_else(vpr_coordinator::today);
            let preview = db.purge_preview(&day)?;
            match &preview.due {
                Some(due) if preview.allowed => println!("Срок хранения истёк {due}"),
                Some(due) => println!("Срок хранения не истёк: удалить можно не раньше {due}"),
                None => println!("Работ нет"),
            }
            for c in preview.tables.iter().filter(|c| c.rows > 0) {
                println!("таблица {}: {} записей", c.table, c.rows);
            }
            for f in &preview.files {
                println!("файл {f}");
            }
            println!(
                "Всего файлов: {}, {} байт",
                preview.files.len(),
                preview.bytes
            );
            if *dry_run {
                println!("Проверка: ничего не удалено");
                return Ok(());
            }
            db.purge_expired(&day, *yes)?;
            println!("Удалено");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use clap::Parser;

    use super::super::{run_inner, Args};
    use vpr_coordinator::{NewParticipant, PersonName};

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    #[test]
    fn roster_skip_invalid_imports_the_valid_rows() {
        let dir = tempfile::tempdir().unwrap();
        let db_path = dir.path().join("coordinator.sqlite");
        let var = "VPR_TEST_COORD_ROSTER_PASSWORD";
        std::env::set_var(var, "пароль-координатора");
        drop(
            vpr_coordinator::Coordinator::create_with_iterations(
                &db_path,
                "пароль-координатора",
                1000,
            )
            .unwrap(),
        );
        let file = dir.path().join("list.csv");
        std::fs::write(
            &file,
            "Класс;Фамилия;Имя;Пол\n7 а;Иванов;Иван;М\n7а;Петров;;М\n7-а;Сидоров;Сидор;X\n",
        )
        .unwrap();
        let run = |rest: &[&str]| {
            let mut argv = vec![
                "vpr".to_string(),
                "--db".into(),
                db_path.display().to_string(),
                "--password-env".into(),
                var.into(),
                "roster".into(),
                file.display().to_string(),
            ];
            argv.extend(rest.iter().map(|s| s.to_string()));
            run_inner(Cli::try_parse_from(argv).unwrap().args)
        };
        assert!(run(&[]).is_err(), "two bad rows refuse the whole file");
        run(&["--skip-invalid"]).unwrap();
        let db = vpr_coordinator::Coordinator::open(&db_path, "пароль-координатора").unwrap();
        let people = db.participants().unwrap();
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].class_name, "7А");
        drop(db);

        // Row 3 fixed in place, row 4 left out: two people, the file unchanged.
        let before = std::fs::read(&file).unwrap();
        assert!(
            run(&["--fix", "3:Имя"]).is_err(),
            "a malformed --fix is refused"
        );
        assert!(run(&["--fix", "3:Имя=Пётр"]).is_err(), "row 4 still bad");
        run(&["--fix", "3:Имя=Пётр", "--skip", "4"]).unwrap();
        let db = vpr_coordinator::Coordinator::open(&db_path, "пароль-координатора").unwrap();
        let people = db.participants().unwrap();
        assert_eq!(people.len(), 2, "Иванов updated, Петров added");
        assert!(people
            .iter()
            .any(|p| p.name.last == "Петров" && p.name.first == "Пётр"));
        assert_eq!(std::fs::read(&file).unwrap(), before);
    }

    #[test]
    fn purge_dry_run_deletes_nothing_and_the_purge_needs_yes() {
        let dir = tempfile::tempdir().unwrap();
        let db_path = dir.path().join("coordinator.sqlite");
        let var = "VPR_TEST_COORD_DATA_PASSWORD";
        std::env::set_var(var, "пароль-координатора");
        {
            let mut db = vpr_coordinator::Coordinator::create_with_iterations(
                &db_path,
                "пароль-координатора",
                1000,
            )
            .unwrap();
            db.upsert_class("7А", 7, "").unwrap();
            db.add_participants(&[NewParticipant {
                class_name: "7А".into(),
                name: PersonName {
                    last: "Иванов".into(),
                    first: "Иван".into(),
                    middle: String::new(),
                },
                sex: String::new(),
                special_needs: false,
                previous_mark: None,
            }])
            .unwrap();
        }
        let run = |rest: &[&str]| {
            let mut argv = vec![
                "vpr".to_string(),
                "--db".into(),
                db_path.display().to_string(),
                "--password-env".into(),
                var.into(),
                "purge".into(),
            ];
            argv.extend(rest.iter().map(|s| s.to_string()));
            run_inner(Cli::try_parse_from(argv).unwrap().args)
        };
        let count = || {
            vpr_coordinator::Coordinator::open(&db_path, "пароль-координатора")
                .unwrap()
                .participants()
                .unwrap()
                .len()
        };
        run(&["--dry-run"]).unwrap();
        assert_eq!(count(), 1);
        assert!(run(&[]).is_err(), "not confirmed");
        assert_eq!(count(), 1);
        run(&["--yes"]).unwrap();
        assert_eq!(count(), 0);
    }
}
