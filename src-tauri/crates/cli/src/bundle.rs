//! Placeholder: this command group is filled in by its issue.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> ExitCode {
    eprintln!("Эта команда ещё не реализована в данной версии.");
    ExitCode::from(2)
}
