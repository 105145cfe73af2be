//! `vpr bench store`: answer save latency (durable commit, chain hashed) as
//! a ratio to a bare SQLite `synchronous=FULL` single-row commit on the same
//! disk, measured interleaved in the same run.

use std::{path::PathBuf, process::ExitCode, time::Duration};

use vpr_store::bench::{measure_saves, percentile};

#[derive(clap::Args)]
pub struct Args {
    /// Сохранений каждого вида
    #[arg(long, default_value_t = 1000)]
    saves: usize,
    /// Папка на проверяемом диске (по умолчанию временная папка системы)
    #[arg(long)]
    dir: Option<PathBuf>,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn run(args: Args) -> ExitCode {
    let base = args.dir.unwrap_or_else(std::env::temp_dir);
    let dir = base.join(format!("vpr-bench-store-{}", std::process::id()));
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
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-9);
    println!(
        "Сохранение ответа, {} раз каждого вида, диск: {}",
        l.store.len(),
        base.display()
    );
    println!(
        "  голый SQLite (WAL, synchronous=FULL, одна строка): p50 {:.3} мс, p99 {:.3} мс",
        ms(b50),
        ms(b99)
    );
    println!(
        "  vpr-store save_answer (журнал + цепочка):          p50 {:.3} мс, p99 {:.3} мс",
        ms(s50),
        ms(s99)
    );
    println!(
        "  отношение: p50 {:.2}×, p99 {:.2}× (цель p99 ≤ 1,5×)",
        ratio(s50, b50),
        ratio(s99, b99)
    );
    ExitCode::SUCCESS
}
