//! `vpr bench verify`: bundle verification throughput as a ratio to one
//! core's SHA-256 limit (`openssl speed -evp sha256`, and ring in-process),
//! and the time to import (verify + extract) 30 simulated station bundles.

use std::{
    path::{Path, PathBuf},
    process::{Command, ExitCode},
    time::{Duration, Instant},
};

use vpr_bundle::{verify_bundle, verify_bundle_with, TrustedKeys, VerifyOptions};

use crate::simulate::{simulate_station, station_key, SimulateOptions};

#[derive(clap::Args)]
pub struct Args {
    /// Участников в большом пакете (пропускная способность)
    #[arg(long, default_value_t = 30)]
    participants: u32,
    /// Станций для замера импорта
    #[arg(long, default_value_t = 30)]
    stations: u32,
    /// Участников на станцию при замере импорта
    #[arg(long, default_value_t = 4)]
    per_station: u32,
    /// Папка для пакетов (по умолчанию временная папка системы)
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Папка пакета заданий для моделируемых станций (по умолчанию audio-fixtures/packages/en-7)
    #[arg(long)]
    package: Option<PathBuf>,
}

const GB: f64 = 1e9;

/// One core's SHA-256 speed per `openssl speed -evp sha256` on 1 MiB blocks, bytes/s.
fn openssl_sha256() -> Option<f64> {
    let out = Command::new("openssl")
        .args([
            "speed", "-evp", "sha256", "-bytes", "1048576", "-seconds", "2",
        ])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("sha256") || l.trim_start().starts_with("SHA256"))?;
    let last = line.split_whitespace().last()?;
    let kb: f64 = last.trim_end_matches('k').parse().ok()?;
    Some(kb * 1000.0)
}

/// ring's SHA-256 over a 64 MiB buffer in memory, best of three, bytes/s.
fn ring_sha256() -> f64 {
    let data = vec![0x5au8; 64 << 20];
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        std::hint::black_box(vpr_integrity::sha256(std::hint::black_box(&data)));
        best = best.min(t.elapsed());
    }
    data.len() as f64 / best.as_secs_f64()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn simulate(
    dir: &Path,
    package: &Path,
    seed: u64,
    number: u32,
    participants: u32,
) -> Result<PathBuf, BenchError> {
    let out = dir.join(format!("station-{number:02}.zip"));
    let mut opts = SimulateOptions::new(participants, &out);
    opts.package = package.to_path_buf();
    opts.seed = seed;
    opts.station_number = number;
    opts.full_length = true;
    simulate_station(&opts)?;
    Ok(out)
}

/// Whatever stops the benchmark; printed as is.
type BenchError = Box<dyn std::error::Error>;

pub fn run(args: Args) -> ExitCode {
    let base = args.dir.unwrap_or_else(std::env::temp_dir);
    let dir = base.join(format!("vpr-bench-verify-{}", std::process::id()));
    let package = args
        .package
        .unwrap_or_else(crate::simulate::default_package);
    let result = bench(
        &dir,
        &package,
        args.participants.max(1),
        args.stations.max(1),
        args.per_station.max(1),
    );
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}

fn bench(
    dir: &Path,
    package: &Path,
    participants: u32,
    stations: u32,
    per_station: u32,
) -> Result<(), BenchError> {
    std::fs::create_dir_all(dir)?;
    let openssl = openssl_sha256();
    let ring = ring_sha256();
    match openssl {
        Some(o) => println!(
            "SHA-256 одного ядра: openssl {:.2} ГБ/с, ring {:.2} ГБ/с",
            o / GB,
            ring / GB
        ),
        None => println!(
            "SHA-256 одного ядра: openssl недоступен, ring {:.2} ГБ/с",
            ring / GB
        ),
    }
    let limit = openssl.unwrap_or(ring);

    eprintln!("Моделирую станцию на {participants} участников (записи полной длины)…");
    let big = simulate(dir, package, 11, 1, participants)?;
    let trust = TrustedKeys::only(&[station_key(11)?.public_key()]);
    let size = std::fs::metadata(&big)?.len();
    let _ = verify_bundle(&big, &trust)?; // warms the page cache
    let mut raw = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        vpr_integrity::sha256_file(&big)?;
        raw.push(t.elapsed());
    }
    let raw_speed = size as f64 / median(raw).as_secs_f64();
    println!(
        "Чтение файла пакета с SHA-256 (без проверки): {:.2} ГБ/с = {:.2}× предела SHA-256",
        raw_speed / GB,
        raw_speed / limit
    );
    for (label, reader_thread) in [("один поток", false), ("с потоком чтения", true)]
    {
        let options = VerifyOptions {
            extract_to: None,
            reader_thread,
        };
        let mut times = Vec::new();
        let mut bytes = 0;
        for _ in 0..5 {
            let t = Instant::now();
            let v = verify_bundle_with(&big, &trust, &options)?;
            times.push(t.elapsed());
            bytes = v.bytes;
        }
        let t = median(times);
        let speed = size as f64 / t.as_secs_f64();
        println!(
            "Проверка пакета {:.0} МБ ({} байт данных), {label}: медиана {:.3} с, {:.2} ГБ/с = {:.2}× предела SHA-256 (цель ≥ 0,8×)",
            size as f64 / 1e6,
            bytes,
            t.as_secs_f64(),
            speed / GB,
            speed / limit
        );
    }

    eprintln!("Моделирую {stations} станций по {per_station} участника…");
    let mut bundles = Vec::new();
    let mut keys = Vec::new();
    for s in 0..stations {
        let seed = 100 + u64::from(s);
        bundles.push(simulate(dir, package, seed, s + 1, per_station)?);
        keys.push(station_key(seed)?.public_key());
    }
    let trust = TrustedKeys::only(&keys);
    let total: u64 = bundles
        .iter()
        .filter_map(|b| std::fs::metadata(b).ok())
        .map(|m| m.len())
        .sum();
    let import = dir.join("import");
    let t = Instant::now();
    let mut recordings = 0;
    for (i, b) in bundles.iter().enumerate() {
        let target = import.join(format!("station-{:02}", i + 1));
        let v = verify_bundle_with(
            b,
            &trust,
            &VerifyOptions {
                extract_to: Some(target),
                ..VerifyOptions::default()
            },
        )?;
        recordings += v.recordings.len();
    }
    let elapsed = t.elapsed();
    println!(
        "Импорт (проверка + извлечение записей) {} пакетов, {:.0} МБ, {} записей: {:.2} с (цель ≤ 5 с)",
        bundles.len(),
        total as f64 / 1e6,
        recordings,
        elapsed.as_secs_f64()
    );
    Ok(())
}
