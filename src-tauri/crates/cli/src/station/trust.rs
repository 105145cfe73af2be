//! `vpr station trust list|show|add|remove`: the station's trust list.

use std::{path::PathBuf, process::ExitCode};

use clap::Subcommand;
use vpr_station::{packages::trust, technician::TrustedKey};

#[derive(clap::Args)]
pub(super) struct TrustArgs {
    /// Папка данных станции (по умолчанию VPR_DATA_DIR или ~/.local/share/ru.vpr.kiosk)
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Вывести JSON вместо текста
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: TrustCommand,
}

#[derive(Subcommand)]
enum TrustCommand {
    /// Показать доверенные ключи
    List,
    /// Показать отпечаток ключа из файла .pub, ничего не добавляя (сверьте с напечатанным)
    Show {
        /// Файл открытого ключа (.pub)
        file: PathBuf,
    },
    /// Добавить открытый ключ выдающей организации (файл .pub)
    Add {
        /// Файл открытого ключа (.pub, 64 шестнадцатеричных знака)
        file: PathBuf,
        /// Название (по умолчанию имя файла)
        #[arg(long)]
        label: Option<String>,
    },
    /// Удалить ключ по отпечатку (не меньше 8 первых знаков)
    Remove { fingerprint: String },
}

fn print_key(k: &TrustedKey) {
    println!(
        "{}  {}{}",
        k.fingerprint,
        k.label,
        if k.demo {
            " [только учебные пакеты]"
        } else {
            ""
        }
    );
}

pub(super) fn run(a: &TrustArgs) -> ExitCode {
    let layout = super::layout(a.data_dir.as_ref());
    let outcome = match &a.command {
        TrustCommand::List => trust::list(&layout).map(|keys| {
            if a.json {
                super::print_json(&keys);
            } else {
                println!("Доверенные ключи ({}):", layout.trust_list().display());
                keys.iter().for_each(print_key);
            }
        }),
        TrustCommand::Show { file } => trust::inspect(file).map(|k| {
            if a.json {
                super::print_json(&k);
            } else {
                println!("Отпечаток ключа (сверьте с напечатанным, по группам):");
                let groups: Vec<String> = k
                    .fingerprint
                    .as_bytes()
                    .chunks(4)
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect();
                println!("{}", groups.join(" "));
                if k.demo {
                    println!("Это демонстрационный ключ проекта: только учебные пакеты");
                }
            }
        }),
        TrustCommand::Add { file, label } => trust::add(&layout, file, label.as_deref()).map(|k| {
            if a.json {
                super::print_json(&k);
            } else {
                println!("Ключ в списке доверенных — сверьте отпечаток с выдавшей организацией:");
                print_key(&k);
            }
        }),
        TrustCommand::Remove { fingerprint } => trust::remove(&layout, fingerprint).map(|k| {
            if a.json {
                super::print_json(&k);
            } else {
                println!("Ключ удалён из списка доверенных:");
                print_key(&k);
            }
        }),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Ошибка: {e}");
            ExitCode::FAILURE
        }
    }
}
