//! `vpr`: the headless command line over the kiosk core.
//!
//! Every subcommand lives in its own module and returns an [`ExitCode`]; the
//! messages a person reads are in Russian, details go to the log (stderr).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Every `println!` of the CLI goes through [`out::line`]: a reader that has
/// gone (`vpr … | head`) ends the command quietly instead of a panic on the
/// broken pipe. Declared before the modules, so it shadows std's in all of them.
macro_rules! println {
    () => {
        $crate::out::line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::out::line(format_args!($($arg)*))
    };
}

mod out;

mod bench;
mod bundle;
mod coordinator;
mod media;
mod package;
mod pin;
mod results_archive;
mod simulate;
mod station;

#[derive(Parser)]
#[command(
    name = "vpr",
    version,
    about = "ВПР по иностранному языку: командная строка для технического специалиста и координатора"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Пакеты результатов станций: проверка подписи и целостности
    Bundle(bundle::Args),
    /// Моделирование станции: подписанный пакет результатов для тестов
    Simulate(simulate::Args),
    /// Пакеты заданий (.vprpkg): сборка и просмотр
    Package(package::Args),
    /// Звук и фотографии для пакета: проверка декодированием (MP3, OGG, FLAC, WAV, JPEG, PNG, SVG)
    Media(media::Args),
    /// Станция: проверка готовности
    Station(station::Args),
    /// Режим координатора: импорт, форма сбора результатов, статистика
    Coordinator(coordinator::Args),
    /// PIN-коды организатора и технического специалиста
    Pin(pin::Args),
    /// Замеры производительности
    Bench(bench::Args),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Bundle(args) => bundle::run(args),
        Command::Simulate(args) => simulate::run(args),
        Command::Package(args) => package::run(args),
        Command::Media(args) => media::run(args),
        Command::Station(args) => station::run(args),
        Command::Coordinator(args) => coordinator::run(args),
        Command::Pin(args) => pin::run(args),
        Command::Bench(args) => bench::run(args),
    }
}
