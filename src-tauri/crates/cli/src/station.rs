//! `vpr station …`: the technician's work at a station, headless — output
//! formatting over the same core calls the app's technician window makes
//! (`vpr-station`: readiness, packages and trust list, sound).
//!
//! - `check`: clock (UTC, local, Moscow), time zone, writable data folder,
//!   free disk against the day's recordings, the trust list and the package
//!   shelf (`--package` adds a file), the sound devices and, with
//!   `--test-sound PHRASE.wav`, the headset check. Exits 1 when anything
//!   fails.
//! - `trust list|add|remove`: the station's trust list of issuer keys (the
//!   app uses the same list).
//! - `passport --out DIR`: the station passport for the coordinator (file
//!   and printable page).

mod check;
mod passport;
mod trust;

use std::{path::PathBuf, process::ExitCode};

use clap::Subcommand;
use vpr_station::{technician::CheckStatus, technician::ReadinessCheck, StationLayout};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Проверить готовность станции: часы, диск, папка данных, пакет, звук
    Check(check::CheckArgs),
    /// Доверенные ключи выдающих организаций: список, добавить, удалить
    Trust(trust::TrustArgs),
    /// Паспорт станции для координатора: файл и страница для печати
    Passport(passport::PassportArgs),
}

pub fn run(args: Args) -> ExitCode {
    match args.command {
        Command::Check(a) => check::run(&a),
        Command::Trust(a) => trust::run(&a),
        Command::Passport(a) => passport::run(&a),
    }
}

/// `VPR_DATA_DIR`, else the app's data folder (`$XDG_DATA_HOME` or `~/.local/share`).
pub(crate) fn default_data_dir() -> PathBuf {
    StationLayout::default_root()
}

fn layout(data_dir: Option<&PathBuf>) -> StationLayout {
    StationLayout::new(data_dir.cloned().unwrap_or_else(default_data_dir))
}

/// One line per check, `[ ОК ] name: detail`.
fn print_checks(checks: &[ReadinessCheck]) {
    for c in checks {
        let mark = match c.status {
            CheckStatus::Ok => "[ ОК ]",
            CheckStatus::Warning => "[ВНИМ]",
            CheckStatus::Failed => "[ОШИБ]",
        };
        println!("{mark} {}: {}", c.name, c.detail);
    }
}

fn print_json(value: &impl serde::Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("Ошибка: {e}"),
    }
}
