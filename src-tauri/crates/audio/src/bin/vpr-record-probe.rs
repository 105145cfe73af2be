//! `vpr-record-probe FILE.wav`: record from the default input until killed, printing the
//! recorder's counters (the child of `tests/crash_kill.rs`; see `vpr_audio::crashtest`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("использование: vpr-record-probe ФАЙЛ.wav");
        return ExitCode::from(2);
    };
    match vpr_audio::crashtest::run_child(std::path::Path::new(&path)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
