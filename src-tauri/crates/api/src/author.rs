//! Payloads of the author's window: defined by the author's core (`vpr-author`), re-exported
//! here under the same names, plus the recorder check's result.

use serde::Serialize;
use ts_rs::TS;

pub use vpr_author::{
    AddedMedia, AuthorProblem, BuiltPackage, MediaKind, MediaSlot, ProblemSource, SchoolKey,
    TaskPreview, Template, WorkSummary, WorkView,
};
pub use vpr_exam::session::TaskScreen;
pub use vpr_exam::{Language, TaskKind};

/// What the author window opens with.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AuthorStatus {
    /// The workspace folder (works, the school's key, built packages).
    pub folder: String,
    pub works: Vec<WorkSummary>,
    pub school_key: Option<SchoolKey>,
}

/// A file received and kept, and the work after it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MediaReceived {
    pub added: AddedMedia,
    pub work: WorkView,
}

/// The recorder check: a few seconds recorded through the station's recorder.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RecorderCheck {
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// Loudest moment, dBFS (−∞ as −120).
    pub peak_dbfs: f32,
    /// Whether anything was heard (the station's silence rule).
    pub silent: bool,
}
