//! The station's results to a USB drive or folder: first what the bundle
//! will hold (exam works by package, participants, recordings; training
//! works, which never go into results), then the signed bundle, named after
//! school and station, read back and verified before it is reported written.
//! A bundle without a single exam work is refused: it would look like a
//! delivery and carry nothing.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::PathBuf,
};

use serde::Serialize;
use ts_rs::TS;
use vpr_integrity::StationKey;
use vpr_package::time::OffsetDateTime;
use vpr_store::{SessionStatus, Store};

use crate::{
    packages,
    technician::{count, BundleExported, Result, TechnicianError},
    StationLayout,
};

/// One exam package's works on this station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExportWork {
    pub package_id: String,
    /// From the package shelf; empty when the package is no longer there.
    pub title: String,
    pub participants: u32,
    pub finished: u32,
    /// Not closed (the station stopped mid-work): exported as they stand.
    pub active: u32,
    pub failed: u32,
    pub recordings: u32,
}

/// What an export will contain, shown before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExportPreview {
    /// School, room and number are set (the bundle is named after them).
    pub identity_set: bool,
    pub works: Vec<ExportWork>,
    /// Distinct participant codes with an exam work.
    pub participants: u32,
    pub recordings: u32,
    /// Bytes of the recordings on disk (most of the bundle's size).
    #[ts(type = "number")]
    pub recording_bytes: u64,
    /// Training works on this station: never part of the results.
    pub training_works: u32,
}

impl ExportPreview {
    /// Nothing the coordinator could use.
    pub fn is_empty(&self) -> bool {
        self.participants == 0
    }
}

/// What the bundle would contain if it were written now.
pub fn preview(layout: &StationLayout) -> Result<ExportPreview> {
    let store = Store::open(&layout.exam_db())?;
    let titles: BTreeMap<String, String> = match packages::list(layout) {
        Ok(list) => list.into_iter().map(|p| (p.package_id, p.title)).collect(),
        Err(e) => {
            tracing::warn!(
                code = vpr_error::Coded::code(&e),
                "package shelf unreadable for export titles"
            );
            BTreeMap::new()
        }
    };
    let mut works: BTreeMap<String, (ExportWork, BTreeSet<String>)> = BTreeMap::new();
    let mut codes = BTreeSet::new();
    let mut training_works = 0u32;
    let mut recordings = 0u32;
    let mut recording_bytes = 0u64;
    for s in store.sessions()? {
        if s.status == SessionStatus::Training {
            training_works += 1;
            continue;
        }
        let entry = works.entry(s.package_id.clone()).or_insert_with(|| {
            (
                ExportWork {
                    package_id: s.package_id.clone(),
                    title: titles.get(&s.package_id).cloned().unwrap_or_default(),
                    participants: 0,
                    finished: 0,
                    active: 0,
                    failed: 0,
                    recordings: 0,
                },
                BTreeSet::new(),
            )
        });
        entry.1.insert(s.participant_code.clone());
        codes.insert(s.participant_code.clone());
        match s.status {
            SessionStatus::Finished => entry.0.finished += 1,
            SessionStatus::Active => entry.0.active += 1,
            SessionStatus::TechnicalFailure => entry.0.failed += 1,
            SessionStatus::Training => {}
        }
        for r in store.recordings(s.id)? {
            entry.0.recordings += 1;
            recordings += 1;
            if let Some(len) = layout
                .resolve(&r.file)
                .ok()
                .and_then(|p| std::fs::metadata(p).ok())
                .map(|m| m.len())
            {
                recording_bytes += len;
            }
        }
    }
    let training = layout.training_db();
    if training.exists() {
        training_works += count(Store::open(&training)?.sessions()?.len());
    }
    Ok(ExportPreview {
        identity_set: store.station()?.is_some(),
        works: works
            .into_values()
            .map(|(mut w, codes)| {
                w.participants = count(codes.len());
                w
            })
            .collect(),
        participants: count(codes.len()),
        recordings,
        recording_bytes,
        training_works,
    })
}

/// Write the signed station bundle into `folder`. Refused when no exam work
/// is on the station (training works never go into results).
pub fn export(layout: &StationLayout, folder: &str) -> Result<BundleExported> {
    let folder = PathBuf::from(folder.trim());
    if !folder.is_dir() {
        return Err(TechnicianError::NoFolder(folder));
    }
    let store = Store::open(&layout.exam_db())?;
    let info = store.station()?.ok_or_else(|| {
        TechnicianError::Invalid(
            "Сначала укажите код ОО, аудиторию и номер станции (раздел «Станция»)".into(),
        )
    })?;
    let contents = preview(layout)?;
    if contents.is_empty() {
        return Err(TechnicianError::NothingToExport {
            training: contents.training_works,
        });
    }
    let key = StationKey::load(layout.key_dir())?;
    let now = OffsetDateTime::now_utc();
    let name = vpr_bundle::default_file_name(&info.school_id, info.number, now);
    let written = vpr_bundle::write_bundle(&store, layout.root(), &key, &folder.join(&name), now)?;
    // The size of the file on the drive, not of the data inside it.
    let bytes = std::fs::metadata(&written.path)
        .map_err(TechnicianError::io(&written.path))?
        .len();
    tracing::info!(file = %written.path.display(), bytes, "bundle exported");
    Ok(BundleExported {
        path: written.path.display().to_string(),
        file_name: name,
        bytes,
        participants: count(written.manifest.participants.len()),
        files: count(written.manifest.files.len()),
        key_fingerprint: written.manifest.key_fingerprint.to_string(),
        contents,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use vpr_error::Coded;

    use super::*;
    use crate::identity::set_identity;

    fn training_work(layout: &StationLayout) {
        let db = Store::open(&layout.training_db()).unwrap();
        db.start_session(&vpr_store::NewSession::new("00000", "demo-en-7", "1"))
            .unwrap();
    }

    #[test]
    fn a_station_with_only_training_works_exports_nothing_and_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let layout = StationLayout::new(dir.path());
        set_identity(&layout, "770001", "12", 3).unwrap();
        training_work(&layout);
        let p = preview(&layout).unwrap();
        assert!(p.identity_set);
        assert!(p.is_empty());
        assert_eq!((p.participants, p.training_works), (0, 1));
        let err = export(&layout, out.path().to_str().unwrap()).unwrap_err();
        assert_eq!(err.code(), "export_empty");
        assert!(
            err.to_string().contains("Тренировочные работы (1)"),
            "{err}"
        );
        assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "no file");
    }

    #[test]
    fn the_preview_lists_the_exam_works_and_the_export_reports_the_file_size() {
        let dir = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let layout = StationLayout::new(dir.path());
        set_identity(&layout, "770001", "12", 3).unwrap();
        training_work(&layout);
        let exam = Store::open(&layout.exam_db()).unwrap();
        for code in ["12345", "23456"] {
            let s = exam
                .start_session(&vpr_store::NewSession::new(code, "en7", "1"))
                .unwrap();
            exam.save_answer(s.id, "4", "1", &serde_json::json!("B"))
                .unwrap();
            if code == "12345" {
                exam.set_session_status(s.id, SessionStatus::Finished)
                    .unwrap();
                let rel = StationLayout::answer_recording(false, s.id, code, 2, 1);
                let file = layout.resolve(&rel).unwrap();
                std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                std::fs::write(&file, vec![0u8; 4096]).unwrap();
                exam.start_recording(&vpr_store::NewRecording {
                    session_id: s.id,
                    task: "2".into(),
                    item: None,
                    file: rel,
                })
                .unwrap();
            }
        }
        drop(exam);
        let p = preview(&layout).unwrap();
        assert_eq!(p.works.len(), 1);
        let w = &p.works[0];
        assert_eq!(w.package_id, "en7");
        assert_eq!(
            (w.participants, w.finished, w.active, w.recordings),
            (2, 1, 1, 1)
        );
        assert_eq!(
            (p.participants, p.recordings, p.recording_bytes),
            (2, 1, 4096)
        );
        assert_eq!(p.training_works, 1);

        let done = export(&layout, out.path().to_str().unwrap()).unwrap();
        let on_disk = std::fs::metadata(&done.path).unwrap().len();
        assert_eq!(done.bytes, on_disk, "the size shown is the file's");
        assert_eq!(done.contents, p);
        assert_eq!(done.participants, 2);
    }
}
