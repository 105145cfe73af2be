//! `vpr simulate station --participants N --out FILE`: a signed station
//! bundle made the way a real station makes one — a real package built,
//! shelved and unlocked, participants through the real session engine and
//! store journal, synthesised spoken answers, the station's bundle writer
//! (see [`station`]).

use std::{path::PathBuf, process::ExitCode};

use clap::Subcommand;

mod station;
#[cfg(test)]
mod tests;

pub use station::{default_package, simulate_station, station_key, SimulateOptions};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Смоделировать станцию и записать её подписанный пакет результатов
    #[command(
        long_about = "Смоделировать станцию: пакет заданий из папки --package собирается и \
        подписывается, загружается на полку станции и открывается; участники проходят работу \
        через настоящий сеанс и журнал ответов станции (ответы выбираются по зерну --seed, \
        устные ответы синтезируются с их настоящей длительностью); пакет результатов \
        подписывается ключом, выведенным из --seed, и проверяется после записи. Одинаковые \
        параметры дают побайтно одинаковый пакет результатов. Отпечаток ключа выводится в \
        stdout: передайте его в `vpr bundle verify --trust`."
    )]
    Station {
        /// Число участников (1–9999)
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..10_000))]
        participants: u32,
        /// Файл пакета результатов
        #[arg(long)]
        out: PathBuf,
        /// Зерно: ключ станции, коды участников, ответы
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Код ОО
        #[arg(long, default_value = "770001")]
        school: String,
        /// Номер станции
        #[arg(long, default_value_t = 1)]
        number: u32,
        /// Устные ответы на всё отведённое время (90 и 120 с), как на работе
        #[arg(long)]
        full_length: bool,
        /// Папка пакета заданий (по умолчанию audio-fixtures/packages/en-7)
        #[arg(long)]
        package: Option<PathBuf>,
    },
}

pub fn run(args: Args) -> ExitCode {
    match args.command {
        Command::Station {
            participants,
            out,
            seed,
            school,
            number,
            full_length,
            package,
        } => {
            let mut opts = SimulateOptions::new(participants, &out);
            opts.seed = seed;
            opts.school_id = school;
            opts.station_number = number;
            opts.full_length = full_length;
            if let Some(p) = package {
                opts.package = p;
            }
            let key = match station_key(seed) {
                Ok(k) => k,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(1);
                }
            };
            match simulate_station(&opts) {
                Ok(s) => {
                    println!("{}", key.public_key().fingerprint().to_hex());
                    let answers: usize = s.works.iter().map(|w| w.answers.len()).sum();
                    let spoken: u64 = s
                        .works
                        .iter()
                        .flat_map(|w| &w.recordings)
                        .map(|(_, ms)| ms)
                        .sum();
                    eprintln!(
                        "Пакет записан и проверен: {} ({} байт, участников: {}, ответов: {answers}, \
                         устных ответов: {} с, записей в журнале: {}); пакет заданий {} (SHA-256 {})",
                        s.bundle.path.display(),
                        s.bundle.bytes,
                        s.bundle.manifest.participants.len(),
                        spoken / 1000,
                        s.bundle.manifest.chain.length,
                        s.package_id,
                        s.package_sha256
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}
