//! The station's status page: identity, works and recordings by state,
//! training works, packages, free disk, and whether the answer journal's
//! hash chain verifies.

use vpr_store::{LevelFlags, RecordingStatus, SessionStatus, Store};

use crate::{
    identity, packages, readiness,
    technician::{count, Result, StationReport},
    StationLayout,
};

pub fn report(layout: &StationLayout) -> Result<StationReport> {
    let identity = identity::identity(layout)?;
    let store = Store::open(&layout.exam_db())?;
    let mut report = StationReport {
        identity,
        works_finished: 0,
        works_active: 0,
        works_failed: 0,
        recordings: 0,
        silent: 0,
        too_quiet: 0,
        clipped: 0,
        interrupted: 0,
        training_works: 0,
        packages: count(packages::list(layout)?.len()),
        free_bytes: readiness::free_space(layout.root()),
        chain_ok: store.verify().is_ok(),
    };
    for s in store.sessions()? {
        match s.status {
            SessionStatus::Finished => report.works_finished += 1,
            SessionStatus::Active => report.works_active += 1,
            SessionStatus::TechnicalFailure => report.works_failed += 1,
            SessionStatus::Training => report.training_works += 1,
        }
        for r in store.recordings(s.id)? {
            report.recordings += 1;
            let LevelFlags {
                silent,
                too_quiet,
                clipped,
            } = r.level_flags;
            report.silent += u32::from(silent);
            report.too_quiet += u32::from(too_quiet);
            report.clipped += u32::from(clipped);
            report.interrupted += u32::from(matches!(
                r.status,
                RecordingStatus::Interrupted | RecordingStatus::Repaired
            ));
        }
    }
    let training = layout.training_db();
    if training.exists() {
        report.training_works += count(Store::open(&training)?.sessions()?.len());
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{export::export, identity::set_identity, training};
    use std::path::Path;
    use vpr_error::Coded;

    #[test]
    fn export_writes_a_bundle_that_verifies_and_training_is_cleared_apart() {
        let dir = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let layout = StationLayout::new(dir.path());
        assert_eq!(
            export(&layout, out.path().to_str().unwrap())
                .unwrap_err()
                .code(),
            "technician_invalid"
        );
        set_identity(&layout, "770001", "12", 3).unwrap();
        // One exam work and one training work with a recording.
        let exam = Store::open(&layout.exam_db()).unwrap();
        let s = exam
            .start_session(&vpr_store::NewSession::new("12345", "en7", "1"))
            .unwrap();
        exam.save_answer(s.id, "4", "1", &serde_json::json!("B"))
            .unwrap();
        drop(exam);
        let training_db = Store::open(&layout.training_db()).unwrap();
        let t = training_db
            .start_session(&vpr_store::NewSession::new("00000", "demo", "1"))
            .unwrap();
        let rel = StationLayout::answer_recording(true, t.id, "00000", 2, 1);
        let file = layout.resolve(&rel).unwrap();
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, b"x").unwrap();
        training_db
            .start_recording(&vpr_store::NewRecording {
                session_id: t.id,
                task: "2".into(),
                item: None,
                file: rel,
            })
            .unwrap();
        drop(training_db);

        let status = report(&layout).unwrap();
        assert_eq!(status.works_active, 1);
        assert_eq!(status.training_works, 1);
        assert!(status.chain_ok);

        let done = export(&layout, out.path().to_str().unwrap()).unwrap();
        assert!(done.file_name.starts_with("vpr-770001-st03-"));
        let verified =
            vpr_bundle::verify_bundle(Path::new(&done.path), &vpr_bundle::TrustedKeys::any())
                .unwrap();
        assert_eq!(verified.manifest.participants.len(), 1);

        let cleared = training::clear(&layout).unwrap();
        assert_eq!((cleared.sessions, cleared.recordings), (1, 1));
        for f in StationLayout::database_files(&layout.training_db()) {
            assert!(!f.exists(), "{}", f.display());
        }
        assert!(!file.parent().unwrap().exists());
        assert_eq!(report(&layout).unwrap().works_active, 1);
    }
}
