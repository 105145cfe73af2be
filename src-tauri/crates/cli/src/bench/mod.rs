//! `vpr bench …`: benchmarks that print figures (medians, ratios), never timed tests.

use std::process::ExitCode;

use clap::Subcommand;

mod crash;
mod crash_audio;
mod form;
mod form_official;
mod record;
mod roster;
mod startup;
mod store;
mod verify;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    which: Which,
}

#[derive(Subcommand)]
enum Which {
    /// Запись с микрофона: потери, доля реального времени, CPU, интервалы синхронизации
    Record(record::Args),
    /// Сохранение ответа: задержка p50/p99 относительно голого SQLite
    Store(store::Args),
    /// Проверка пакетов результатов: пропускная способность относительно SHA-256
    Verify(verify::Args),
    /// Устойчивость к аварийному завершению: N убийств процесса
    Crash(crash::Args),
    /// Запуск приложения: время до экрана ввода кода и пиковая память
    Startup(startup::Args),
    /// Форма сбора результатов и импорт пакетов станций
    Form(form::Args),
    /// Список участников (CSV cp1251 и XLSX): разбор и импорт относительно простого чтения
    Roster(roster::Args),
}

pub fn run(args: Args) -> ExitCode {
    match args.which {
        Which::Record(a) => record::run(a),
        Which::Store(a) => store::run(a),
        Which::Verify(a) => verify::run(a),
        Which::Crash(a) => crash::run(a),
        Which::Startup(a) => startup::run(a),
        Which::Form(a) => form::run(a),
        Which::Roster(a) => roster::run(a),
    }
}
