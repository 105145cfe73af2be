//! `vpr simulate station --participants N --out FILE`: a realistic signed
//! station bundle made by running scripted sessions through the real core.

use std::{path::PathBuf, process::ExitCode};

use clap::Subcommand;
use vpr_bundle::simulate::{simulate_station, station_key, SimulateOptions};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Смоделировать станцию и записать её подписанный пакет результатов
    #[command(
        long_about = "Смоделировать станцию: сеансы участников проходят через настоящее \
        хранилище ответов и цепочку хешей, записи ответов берутся из образцов \
        audio-fixtures/simulate, пакет подписывается ключом, выведенным из --seed, и \
        проверяется после записи. Одинаковые параметры дают побайтно одинаковый пакет. \
        Отпечаток ключа выводится в stdout: передайте его в `vpr bundle verify --trust`."
    )]
    Station {
        /// Число участников (1–9999)
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..10_000))]
        participants: u32,
        /// Файл пакета
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
        /// Записи полной длины (90 и 120 с), как на работе
        #[arg(long)]
        full_length: bool,
        /// Папка с образцами WAV
        #[arg(long)]
        fixtures: Option<PathBuf>,
    },
}

/// `audio-fixtures/simulate` of the source tree this binary was built from,
/// unless `VPR_FIXTURES` says otherwise.
pub fn default_fixtures() -> PathBuf {
    std::env::var_os("VPR_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures/simulate")
        })
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
            fixtures,
        } => {
            let mut opts = SimulateOptions::new(
                participants,
                &out,
                &fixtures.unwrap_or_else(default_fixtures),
            );
            opts.seed = seed;
            opts.school_id = school;
            opts.station_number = number;
            opts.full_length = full_length;
            let key = match station_key(seed) {
                Ok(k) => k,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(1);
                }
            };
            match simulate_station(&opts) {
                Ok(w) => {
                    println!("{}", key.public_key().fingerprint().to_hex());
                    eprintln!(
                        "Пакет записан и проверен: {} ({} байт, участников: {}, записей в журнале: {})",
                        w.path.display(),
                        w.bytes,
                        w.manifest.participants.len(),
                        w.manifest.chain.length
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
