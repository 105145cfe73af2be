//! `vpr bench record`: record a test tone for N seconds and print what matters for a student's
//! answer: lost samples, captured/wall ratio, CPU of the process, largest gap between syncs,
//! peak RSS.
//!
//! The tone is played with the engine's own playback on the default (or chosen) output and
//! recorded from the default (or chosen) input. On the test stack (`tests/support/pulse-up.sh`)
//! point the input at the speaker's monitor:
//! `PULSE_SOURCE=vspeaker.monitor vpr bench record --seconds 60`.
//! CPU and memory come from `/proc/self` (the workspace forbids the `unsafe` a getrusage call
//! needs; the kernel reports the same utime/stime there).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use vpr_audio::{levels, PlayOptions, Playback, RecordOptions, Recording, RECORD_RATE};

#[derive(clap::Args)]
pub struct Args {
    /// Длительность записи, с (60 — быстрый режим для CI, 1800 — полный замер)
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// Куда писать WAV (по умолчанию — временный файл, удаляется после замера)
    #[arg(long)]
    output: Option<PathBuf>,
    /// Устройство записи (id из списка устройств); по умолчанию — системное
    #[arg(long)]
    input: Option<String>,
    /// Устройство воспроизведения тона; по умолчанию — системное
    #[arg(long)]
    output_device: Option<String>,
    /// Размер периода устройства записи в кадрах (по умолчанию запрашивается 300 мс; PulseAudio даёт 200)
    #[arg(long)]
    period: Option<u32>,
    /// Не воспроизводить тон (сигнал подаётся на вход извне)
    #[arg(long)]
    no_tone: bool,
}

const TONE_HZ: f32 = 1000.0;

/// CPU time (user + system) of this process and of its threads by name, from /proc.
struct CpuSample {
    process: Duration,
    threads: Vec<(String, Duration)>,
}

fn ticks_to_duration(ticks: u64) -> Duration {
    // USER_HZ is 100 on every Linux the station runs on.
    Duration::from_millis(ticks * 10)
}

/// utime + stime from a `stat` line (fields 14 and 15; the name in parentheses may hold spaces).
fn stat_cpu(stat: &str) -> Option<Duration> {
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = f.get(11)?.parse().ok()?;
    let stime: u64 = f.get(12)?.parse().ok()?;
    Some(ticks_to_duration(utime + stime))
}

fn cpu_sample() -> CpuSample {
    let process = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| stat_cpu(&s))
        .unwrap_or_default();
    let mut threads = Vec::new();
    if let Ok(dir) = std::fs::read_dir("/proc/self/task") {
        for t in dir.flatten() {
            let name = std::fs::read_to_string(t.path().join("comm")).unwrap_or_default();
            if let Some(cpu) = std::fs::read_to_string(t.path().join("stat"))
                .ok()
                .and_then(|s| stat_cpu(&s))
            {
                threads.push((name.trim().to_owned(), cpu));
            }
        }
    }
    CpuSample { process, threads }
}

fn thread_cpu(sample: &CpuSample, names: &[&str]) -> Duration {
    sample
        .threads
        .iter()
        .filter(|(n, _)| names.iter().any(|w| n.starts_with(w)))
        .map(|(_, d)| *d)
        .sum()
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

pub fn run(args: Args) -> ExitCode {
    let seconds = args.seconds.max(1);
    let tmp;
    let path = match &args.output {
        Some(p) => p.clone(),
        None => {
            tmp = std::env::temp_dir().join(format!("vpr-bench-record-{}.wav", std::process::id()));
            tmp.clone()
        }
    };

    let tone = if args.no_tone {
        None
    } else {
        match Playback::start_tone(
            PlayOptions {
                device: args.output_device.clone(),
                ..PlayOptions::new("")
            },
            TONE_HZ,
            Duration::from_secs(seconds + 5),
            0.5,
        ) {
            Ok(p) => Some(p),
            Err(e) => {
                eprintln!("Не удалось воспроизвести тон: {e}");
                return ExitCode::from(1);
            }
        }
    };
    std::thread::sleep(Duration::from_millis(300));

    let cpu0 = cpu_sample();
    let t0 = Instant::now();
    let rec = match Recording::start(RecordOptions {
        path: path.clone(),
        device: args.input.clone(),
        duration: Some(Duration::from_secs(seconds)),
        events: None,
        period_frames: args.period,
    }) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("Не удалось начать запись: {e}");
            return ExitCode::from(1);
        }
    };
    eprintln!("Запись {seconds} с в {} …", path.display());
    // Sample the threads just before the end, while they still exist.
    let mut cpu1 = cpu_sample();
    while !rec.is_finished() {
        std::thread::sleep(Duration::from_millis(200));
        if rec.elapsed() + Duration::from_millis(600) < Duration::from_secs(seconds) {
            cpu1 = cpu_sample();
        }
    }
    let result = rec.wait();
    let wall = t0.elapsed();
    let cpu_end = cpu_sample();
    // Before the analysis below reads the file: the recording's own peak.
    let rss = peak_rss_kib();
    if let Some(p) = tone {
        let _ = p.stop();
    }
    let result = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("Запись прервана: {e}");
            return ExitCode::from(1);
        }
    };

    let c = &result.capture;
    let captured_s = c.frames_captured as f64 / f64::from(c.device_rate.max(1));
    let stream_s = c.wall_ms as f64 / 1000.0;
    let cpu_total = cpu_end.process.saturating_sub(cpu0.process);
    let rec_threads = ["cpal_alsa_in", "vpr-audio-in", "vpr-wav-writer"];
    let play_threads = ["cpal_alsa_out", "vpr-audio-out"];
    let measured = (
        cpu1.threads.len(),
        thread_cpu(&cpu1, &rec_threads).saturating_sub(thread_cpu(&cpu0, &rec_threads)),
    );
    // The tone, 100 ms at a time (streamed: a 30-minute file is never held in memory).
    let mut amps: Vec<f32> = Vec::new();
    let mut spikes: Vec<f64> = Vec::new();
    let window = (RECORD_RATE / 10) as usize;
    let _ = vpr_audio::scan_mono(&path, window, |first, chunk| {
        if chunk.len() == window {
            amps.push(levels::tone_amplitude(chunk, RECORD_RATE, TONE_HZ));
        }
        if let Some(i) = chunk.iter().position(|s| s.abs() > 0.6) {
            spikes.push((first + i as u64) as f64 / f64::from(RECORD_RATE));
        }
    });
    let mut sorted = amps.clone();
    sorted.sort_by(f32::total_cmp);
    let tone_amp = sorted.get(sorted.len() / 2).copied().unwrap_or(0.0);
    // Skip the first and last window (the tone and the stream start and end at different times).
    let dropouts = amps
        .iter()
        .skip(1)
        .take(amps.len().saturating_sub(2))
        .filter(|a| **a < 0.8 * tone_amp)
        .count();

    println!(
        "Замер записи: {seconds} с, устройство {} Гц × {} ({}), период {} кадров = {:.1} мс",
        c.device_rate,
        c.device_channels,
        c.device_format,
        c.period_frames,
        1000.0 * f64::from(c.period_frames) / f64::from(c.device_rate.max(1))
    );
    println!(
        "  записано в файл:            {} отсчётов = {:.3} с при {} Гц",
        result.samples,
        result.samples as f64 / f64::from(RECORD_RATE),
        RECORD_RATE
    );
    println!(
        "  потеряно отсчётов:          {} (переполнение буфера), ошибок потока: {}",
        c.lost_samples, c.stream_errors
    );
    println!(
        "  захвачено / по часам:       {:.4} ({captured_s:.3} с за {stream_s:.3} с)",
        captured_s / stream_s.max(1e-9)
    );
    println!(
        "  CPU процесса:               {:.2} % одного ядра ({:.2} с за {:.1} с)",
        100.0 * cpu_total.as_secs_f64() / wall.as_secs_f64(),
        cpu_total.as_secs_f64(),
        wall.as_secs_f64()
    );
    if measured.0 > 0 {
        let span = wall.as_secs_f64() - 0.6;
        println!(
            "    из них потоки записи:     {:.2} % (cpal_alsa_in + vpr-audio-in + vpr-wav-writer)",
            100.0 * measured.1.as_secs_f64() / span.max(0.1)
        );
        for name in rec_threads {
            let d = thread_cpu(&cpu1, &[name]).saturating_sub(thread_cpu(&cpu0, &[name]));
            println!(
                "      {name:<25}{:.2} %",
                100.0 * d.as_secs_f64() / span.max(0.1)
            );
        }
        let play =
            thread_cpu(&cpu1, &play_threads).saturating_sub(thread_cpu(&cpu0, &play_threads));
        println!(
            "    потоки тона (вывод):      {:.2} %",
            100.0 * play.as_secs_f64() / span.max(0.1)
        );
    }
    println!(
        "  синхронизаций на диск:      {}, наибольший интервал {} мс",
        c.syncs, c.max_sync_gap_ms
    );
    match rss {
        Some(kib) => println!("  пиковая память (RSS):      {:.1} МБ", kib as f64 / 1024.0),
        None => println!("  пиковая память (RSS):      нет данных"),
    }
    println!(
        "  тон {TONE_HZ} Гц в записи:       амплитуда {tone_amp:.3} (медиана по 100 мс); окон с провалом: {dropouts} из {}",
        amps.len()
    );
    let first: Vec<String> = spikes.iter().take(5).map(|t| format!("{t:.1} с")).collect();
    println!(
        "  выбросы > 0,6:              {} окон{}",
        spikes.len(),
        if first.is_empty() {
            String::new()
        } else {
            format!(" (первые: {})", first.join(", "))
        }
    );
    println!(
        "  уровни:                     пик {:.3}, тишина {}, перегрузка {}",
        result.levels.peak, result.levels.silent, result.levels.clipped
    );
    println!("  SHA-256:                    {}", result.sha256);
    if result.levels.silent && !args.no_tone {
        eprintln!("Запись беззвучна: вход не слышит выход. На тестовом стенде задайте PULSE_SOURCE=vspeaker.monitor.");
    }
    if args.output.is_none() {
        let _ = std::fs::remove_file(&path);
    }
    ExitCode::SUCCESS
}
