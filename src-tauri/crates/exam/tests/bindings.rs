//! Every type the UI sees exports to TypeScript (the lead's drift test lists them too).
#![allow(clippy::unwrap_used)]

use ts_rs::{Config, TS};
use vpr_exam::{
    session::{Effect, SessionView},
    Keys, Package, Problem, TaskScore,
};

#[test]
fn ui_types_export_to_typescript() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = Config::new()
        .with_out_dir(dir.path())
        .with_large_int("number");
    SessionView::export_all(&cfg).unwrap();
    Effect::export_all(&cfg).unwrap();
    Package::export_all(&cfg).unwrap();
    Keys::export_all(&cfg).unwrap();
    Problem::export_all(&cfg).unwrap();
    TaskScore::export_all(&cfg).unwrap();
    let view = std::fs::read_to_string(dir.path().join("SessionView.ts")).unwrap();
    assert!(view.contains("work_left_s: number | null"), "{view}");
    let screen = std::fs::read_to_string(dir.path().join("Screen.ts")).unwrap();
    assert!(screen.contains("\"screen\": \"task\""), "{screen}");
    let content = std::fs::read_to_string(dir.path().join("TaskContent.ts")).unwrap();
    assert!(content.contains("\"kind\": \"reading_aloud\""), "{content}");
}
