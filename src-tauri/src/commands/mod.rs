//! Thin `#[tauri::command]` wrappers, one module per window mode. Each one
//! calls the core and converts its error into `vpr_api::CommandError`.
//!
//! **One rule for blocking work.** A command that hashes a PIN (PBKDF2),
//! touches the disk (SQLite, files, the package shelf) or waits on audio
//! runs its core call inside [`blocking`], so neither the main (window)
//! thread nor the async runtime's workers ever wait on it. Commands that
//! only read memory may stay synchronous.

pub mod author;
pub mod coordinator;
mod coordinator_cross;
mod coordinator_custody;
mod coordinator_data;
mod coordinator_expert;
mod coordinator_form;
mod coordinator_paper;
mod coordinator_scoring;
pub mod station;
pub mod technician;
mod technician_custody;

use vpr_api::{CommandError, Severity};

/// Run `f` on the blocking thread pool and wait for it without blocking
/// the caller's thread. `f`'s error becomes the command's error; a panic in
/// `f` becomes `task_failed` (blocking), logged.
pub async fn blocking<T, E, F>(f: F) -> Result<T, CommandError>
where
    T: Send + 'static,
    E: Into<CommandError> + Send + 'static,
    F: FnOnce() -> Result<T, E> + Send + 'static,
{
    match tauri::async_runtime::spawn_blocking(f).await {
        Ok(result) => result.map_err(Into::into),
        Err(e) => {
            tracing::error!("background task failed: {e}");
            Err(CommandError::new(
                "task_failed",
                "Фоновая задача прервалась: повторите действие",
                Severity::Blocking,
            ))
        }
    }
}
