//! The training run: which demo package the station window opens, and the
//! clean-up of training data (its own database and recordings) afterwards.
//! The technician chooses here; the station mode runs it.

use std::path::{Path, PathBuf};

use vpr_store::Store;

use crate::{
    fixtures::TRAINING_PACKAGE,
    packages,
    technician::{Result, TechnicianError, TrainingCleared},
    StationLayout,
};

/// The folder of the demo package to train on: an unlocked training package
/// of the shelf (training from its verified signed header, its
/// `package.json` checked against it), else the built-in training package
/// (an unsigned folder, which always runs as training); with its title.
pub fn package(layout: &StationLayout, fixtures: Option<&Path>) -> Result<(PathBuf, String)> {
    let shelf = packages::shelf(layout)?;
    if let Some(p) = packages::list(layout)?
        .into_iter()
        .find(|p| p.demo && p.unlocked)
    {
        let (sealed, package) = shelf.unlocked(&p.package_id)?;
        if !sealed.is_training() {
            return Err(TechnicianError::NotDemo(package.title));
        }
        return Ok((shelf.materials_dir(&p.package_id), p.title));
    }
    let dir = fixtures
        .map(|f| f.join(TRAINING_PACKAGE))
        .ok_or(TechnicianError::NoTrainingPackage)?;
    let package = vpr_exam::Package::load_dir(&dir)?;
    Ok((dir, package.title))
}

/// Remove every training session's recordings and the training database
/// (with its `-wal` and `-shm`); exam data are not touched.
pub fn clear(layout: &StationLayout) -> Result<TrainingCleared> {
    let db = layout.training_db();
    let mut cleared = TrainingCleared {
        sessions: 0,
        recordings: 0,
    };
    if db.exists() {
        let store = Store::open(&db)?;
        for s in store.sessions()? {
            cleared.sessions += 1;
            for r in store.recordings(s.id)? {
                let file = layout.resolve(&r.file)?;
                if remove(&file)? {
                    cleared.recordings += 1;
                }
                if let Some(parent) = file.parent() {
                    // Removed only when empty; a folder with other files stays.
                    let _ = std::fs::remove_dir(parent);
                }
            }
        }
        drop(store);
        for path in StationLayout::database_files(&db) {
            remove(&path)?;
        }
    }
    tracing::warn!(
        sessions = cleared.sessions,
        recordings = cleared.recordings,
        "training data cleared"
    );
    Ok(cleared)
}

/// Remove a file; `false` when there was none.
fn remove(path: &Path) -> Result<bool> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(TechnicianError::io(path)(e)),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use vpr_error::Coded;

    #[test]
    fn the_built_in_training_package_is_chosen_when_the_shelf_has_none() {
        let dir = tempfile::tempdir().unwrap();
        let layout = StationLayout::new(dir.path());
        assert_eq!(
            package(&layout, None).unwrap_err().code(),
            "no_training_package"
        );
        let fixtures = crate::fixtures::fixtures_dir(&[]).unwrap();
        let (dir, title) = package(&layout, Some(&fixtures)).unwrap();
        assert!(dir.ends_with(TRAINING_PACKAGE));
        assert!(!title.is_empty());
    }
}
