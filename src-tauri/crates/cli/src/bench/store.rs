//! `vpr bench store`: answer save latency (durable commit, chain hashed) as
//! a ratio to a bare SQLite `synchronous=FULL` single-row commit on the same
//! disk, measured interleaved in the same run. Several rounds; the median
//! ratio is the figure, since one noisy neighbour can move a single p99.

use std::{path::PathBuf, process::ExitCode, time::Duration};

use vpr_store::bench::{measure_saves, percentile};

#[derive(clap::Args)]
pub struct Args {
    /// Сохранений каждого вида за раунд
    #[arg(long, default_value_t = 2000)]
    saves: usize,
    /// Раундов (итог — медиана отношений)
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Папка на проверяемом диске (по умолчанию временная папка системы)
    #[arg(long)]
    dir: Option<PathBuf>,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

pub fn run(args: Args) -> ExitCode {
    let base = args.dir.unwrap_or_else(std::env::temp_dir);
    println!(
        "Сохранение ответа: {} раундов по {} сохранений каждого вида, диск: {}",
        args.rounds.max(1),
        args.saves.max(20),
        base.display()
    );
    println!("  голый SQLite = WAL, synchronous=FULL, одна строка; vpr-store = save_answer (строка ответа + запись журнала с хешем)");
    let (mut r50, mut r99) = (Vec::new(), Vec::new());
    for round in 0..args.rounds.max(1) {
        let dir = base.join(format!("vpr-bench-store-{}-{round}", std::process::id()));
        let result = measure_saves(&dir, args.saves.max(20));
        let _ = std::fs::remove_dir_all(&dir);
        let l = match result {
            Ok(l) => l,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(1);
            }
        };
        let (b50, b99) = (percentile(&l.bare, 50.0), percentile(&l.bare, 99.0));
        let (s50, s99) = (percentile(&l.store, 50.0), percentile(&l.store, 99.0));
        println!(
            "  раунд {}: голый p50 {:.3} мс, p99 {:.3} мс; vpr-store p50 {:.3} мс, p99 {:.3} мс; отношение p50 {:.2}×, p99 {:.2}×",
            round + 1,
            ms(b50),
            ms(b99),
            ms(s50),
            ms(s99),
            ratio(s50, b50),
            ratio(s99, b99)
        );
        r50.push(ratio(s50, b50));
        r99.push(ratio(s99, b99));
    }
    println!(
        "  медиана отношений: p50 {:.2}×, p99 {:.2}× (цель p99 ≤ 1,5×)",
        median(r50),
        median(r99)
    );
    ExitCode::SUCCESS
}
