//! `vpr pin set --role organizer --data-dir DIR`: set a PIN from standard input.

use std::{io::BufRead, path::PathBuf, process::ExitCode};

use vpr_access::{AccessStore, PinRole};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Задать PIN (читается из стандартного ввода)
    Set {
        #[arg(long, value_enum)]
        role: Role,
        /// Каталог данных станции
        #[arg(long)]
        data_dir: PathBuf,
    },
    /// Проверить PIN (читается из стандартного ввода)
    Check {
        #[arg(long, value_enum)]
        role: Role,
        #[arg(long)]
        data_dir: PathBuf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Role {
    Organizer,
    Technician,
}

impl From<Role> for PinRole {
    fn from(r: Role) -> Self {
        match r {
            Role::Organizer => PinRole::Organizer,
            Role::Technician => PinRole::Technician,
        }
    }
}

pub fn run(args: Args) -> ExitCode {
    let (role, dir, set) = match args.action {
        Action::Set { role, data_dir } => (role, data_dir, true),
        Action::Check { role, data_dir } => (role, data_dir, false),
    };
    let mut pin = String::new();
    if let Err(e) = std::io::stdin().lock().read_line(&mut pin) {
        eprintln!("Не удалось прочитать PIN: {e}");
        return ExitCode::from(2);
    }
    let pin = pin.trim();
    let result = AccessStore::open(&dir).and_then(|store| {
        if set {
            store.set(role.into(), pin)
        } else {
            store.verify(role.into(), pin)
        }
    });
    match result {
        Ok(()) => {
            println!(
                "{}",
                if set {
                    "PIN сохранён"
                } else {
                    "PIN верный"
                }
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
