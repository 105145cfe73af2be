//! The error leaf: `Coded` (a stable code, a Russian message, a severity) and
//! `{code, message, severity}`, how an error reaches the UI. Every core crate
//! depends on this crate and on nothing of the UI schema.

use serde::Serialize;
use ts_rs::TS;

/// How an exam-time failure affects the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The work cannot go on at this station (e.g. the disk is gone).
    Unrecoverable,
    /// The organizer must act before the work can go on (e.g. no microphone).
    Blocking,
    /// The person can correct it and continue (e.g. a mistyped code).
    NonBlocking,
}

/// The error every command returns: `code` drives behaviour in the UI,
/// `message` (Russian) is shown to the person. Details go to the log only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{code}: {message}")]
pub struct CommandError {
    pub code: String,
    pub message: String,
    pub severity: Severity,
}

impl CommandError {
    pub fn new(code: impl Into<String>, message: impl Into<String>, severity: Severity) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            severity,
        }
    }
}

/// An error a core crate can hand to the UI: a stable code, a Russian
/// message (its `Display`) and a severity.
pub trait Coded: std::error::Error {
    fn code(&self) -> &'static str;
    fn severity(&self) -> Severity {
        Severity::NonBlocking
    }
}

impl<E: Coded> From<E> for CommandError {
    fn from(e: E) -> Self {
        log_chain(&e);
        Self::new(e.code(), e.to_string(), e.severity())
    }
}

fn log_chain(e: &dyn std::error::Error) {
    // The message is for the person; the source chain is for the log.
    let mut chain = String::new();
    let mut source = e.source();
    while let Some(s) = source {
        chain.push_str(" ← ");
        chain.push_str(&s.to_string());
        source = s.source();
    }
    if !chain.is_empty() {
        tracing::warn!("{e}{chain}");
    }
}
