//! `vpr bench crash --kills N`: a child runs scripted sessions (answers and a
//! recording being written) and is SIGKILLed at random moments; after each
//! kill the database is reopened and checked (integrity_check, every
//! acknowledged answer present, chain verifies, WAV repairs to ≤ 1 s short).

use std::{
    path::PathBuf,
    process::{Command, ExitCode},
};

use vpr_store::crashtest;

#[derive(clap::Args)]
pub struct Args {
    /// Сколько раз убить процесс (по умолчанию 1000; с --audio — 200)
    #[arg(long)]
    kills: Option<u32>,
    /// Зерно случайных моментов
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Папка на проверяемом диске (по умолчанию временная папка системы)
    #[arg(long)]
    dir: Option<PathBuf>,
    /// (служебное) запуск дочернего процесса в этой папке
    #[arg(long, hide = true, requires = "run")]
    child: Option<PathBuf>,
    /// (служебное) номер запуска дочернего процесса
    #[arg(long, hide = true)]
    run: Option<u64>,
    /// Записывать речь с микрофона и убивать запись: потеря звука при убийстве и при отключении
    /// питания (нужен звуковой стенд: eval "$(tests/support/pulse-up.sh)")
    #[arg(long)]
    audio: bool,
    /// Файл речи для --audio (по умолчанию audio-fixtures/speech/answer-en.wav)
    #[arg(long, requires = "audio")]
    speech: Option<PathBuf>,
    /// Приёмник, монитор которого служит микрофоном для --audio
    #[arg(long, default_value = "vmic")]
    sink: String,
    /// (служебное) дочерний процесс --audio: записывать этот файл до убийства
    #[arg(long, hide = true)]
    audio_child: Option<PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    if let Some(wav) = &args.audio_child {
        return super::crash_audio::child(wav);
    }
    if args.audio {
        return super::crash_audio::run(super::crash_audio::Options {
            kills: args.kills.unwrap_or(200),
            seed: args.seed,
            dir: args.dir,
            speech: args.speech,
            sink: args.sink,
        });
    }
    if let Some(dir) = args.child {
        return match crashtest::run_child(&dir, args.run.unwrap_or(0)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e}");
                ExitCode::from(1)
            }
        };
    }
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let base = args.dir.unwrap_or_else(std::env::temp_dir);
    let dir = base.join(format!("vpr-bench-crash-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("{}: {e}", dir.display());
        return ExitCode::from(2);
    }
    let report = crashtest::run_parent(
        &dir,
        args.kills.unwrap_or(1000),
        args.seed,
        |dir, run| {
            let mut cmd = Command::new(&exe);
            cmd.arg("bench")
                .arg("crash")
                .arg("--child")
                .arg(dir)
                .arg("--run")
                .arg(run.to_string());
            cmd
        },
        &repair,
    );
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "Убийств процесса: {} за {:.1} с (завершили сценарий до убийства: {})",
        report.kills,
        report.elapsed.as_secs_f64(),
        report.completed
    );
    println!(
        "  подтверждённых ответов проверено: {}",
        report.answers_acknowledged
    );
    println!(
        "  записей восстановлено: {}, наибольшая потеря звука: {} мс (допустимо ≤ 1000)",
        report.recordings_repaired, report.max_audio_loss_ms
    );
    println!(
        "  записей в журнале к концу: {}, цепочка проверялась после каждого убийства",
        report.journal_records
    );
    if report.failures.is_empty() {
        println!("  нарушений: 0");
        ExitCode::SUCCESS
    } else {
        for f in &report.failures {
            println!("  НАРУШЕНИЕ: {f}");
        }
        ExitCode::from(1)
    }
}

/// The station's own start-up repair of an unfinished WAV.
fn repair(path: &std::path::Path) -> Result<u64, vpr_store::crashtest::Violation> {
    vpr_audio::repair(path)
        .map(|r| r.frames)
        .map_err(|e| vpr_store::crashtest::Violation(e.to_string()))
}
