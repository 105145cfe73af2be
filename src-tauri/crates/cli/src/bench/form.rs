//! Placeholder: this benchmark is filled in by its issue.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> ExitCode {
    eprintln!("Этот замер ещё не реализован в данной версии.");
    ExitCode::from(2)
}
