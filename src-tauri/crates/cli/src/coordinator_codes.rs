//! `vpr coordinator codes import FILE [--order roster|random]`: the list of
//! participant codes downloaded from ФИС ОКО (CSV or XLSX, maybe with a
//! class column) imported and handed out — one code per participant for all
//! works; codes are generated locally only while no list is given.

use std::path::PathBuf;

use clap::Subcommand;
use vpr_coordinator::{CodeOrder, Coordinator, CoordinatorError};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Order {
    /// По списку участников: класс, затем фамилия — коды в порядке файла
    Roster,
    /// В случайном порядке
    Random,
}

#[derive(Subcommand)]
pub enum CodesCmd {
    /// Загрузить список кодов из ФИС ОКО и раздать коды участникам
    Import {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "roster")]
        order: Order,
    },
}

pub fn run(cmd: &CodesCmd, db: &mut Coordinator) -> Result<(), CoordinatorError> {
    match cmd {
        CodesCmd::Import { file, order } => {
            let order = match order {
                Order::Roster => CodeOrder::Roster,
                Order::Random => CodeOrder::Random,
            };
            let r = db.import_codes(file, order)?;
            println!(
                "Кодов в файле новых: {}, уже загруженных: {}; выдано участникам: {}; свободных кодов в списках: {}",
                r.imported, r.already, r.assigned, r.free
            );
            if !r.kept.is_empty() {
                println!(
                    "Оставлены прежние коды (работы уже записаны под ними): {}",
                    r.kept
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            if !r.uncovered.is_empty() {
                println!(
                    "Для классов {} в списках нет кодов: у их участников прежние коды",
                    r.uncovered.join(", ")
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
        cmd: CodesCmd,
    }

    #[test]
    fn import_a_list_in_roster_order() {
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
        let list = dir.path().join("codes.csv");
        std::fs::write(&list, "Коды ВПР\nКод;Класс\n40001;5\n40002;5\n").unwrap();
        let argv = [
            "codes",
            "import",
            list.to_str().unwrap(),
            "--order",
            "roster",
        ];
        run(&Cli::try_parse_from(argv).unwrap().cmd, &mut db).unwrap();
        let mut people = db.participants().unwrap();
        people.sort_by_key(|p| p.code);
        let names: Vec<&str> = people.iter().map(|p| p.name.last.as_str()).collect();
        assert_eq!(names, vec!["Антонов", "Борисов"]);
        assert_eq!(people[0].code, 40001);
        assert!(Cli::try_parse_from(["codes", "import", "f.csv", "--order", "alphabet"]).is_err());
    }
}
