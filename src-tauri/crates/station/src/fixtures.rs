//! Where the built-in training package and the headset test phrase are.
//!
//! Looked up in order: `VPR_FIXTURES_DIR`, the folders the caller passes
//! (the installed app's resource directory), then the source tree's
//! `audio-fixtures/` (development builds).

use std::path::{Path, PathBuf};

use crate::StationLayout;

/// The package the station opens with when nothing else is loaded.
pub const TRAINING_PACKAGE: &str = "packages/training";
/// The phrase played at the headset check.
pub const HEADSET_PHRASE: &str = "speech/headset-phrase-ru.wav";

pub fn fixtures_dir(extra: &[PathBuf]) -> Option<PathBuf> {
    let env = std::env::var_os("VPR_FIXTURES_DIR").map(PathBuf::from);
    let source_tree = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures");
    env.into_iter()
        .chain(extra.iter().cloned())
        .chain(std::iter::once(source_tree))
        .find(|d| d.join(TRAINING_PACKAGE).join("package.json").is_file())
}

/// `VPR_PACKAGE_DIR`; else the most recently unlocked package on the
/// station's shelf (`<data>/packages/<id>/materials`, put there by the
/// technician); else the built-in training package.
pub fn package_dir(layout: &StationLayout, fixtures: Option<&Path>) -> Option<PathBuf> {
    std::env::var_os("VPR_PACKAGE_DIR")
        .map(PathBuf::from)
        .or_else(|| layout.latest_unlocked_materials())
        .or_else(|| fixtures.map(|f| f.join(TRAINING_PACKAGE)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shelf_wins_over_the_training_package() {
        let dir = tempfile::tempdir().unwrap();
        let data = StationLayout::new(dir.path());
        let fixtures = Path::new("/nonexistent-fixtures");
        if std::env::var_os("VPR_PACKAGE_DIR").is_some() {
            return; // the environment chooses explicitly
        }
        assert_eq!(
            package_dir(&data, Some(fixtures)),
            Some(fixtures.join(TRAINING_PACKAGE))
        );
        let m = data.packages_dir().join("en7-2026").join("materials");
        std::fs::create_dir_all(&m).unwrap();
        std::fs::write(m.join("package.json"), "{}").unwrap();
        assert_eq!(package_dir(&data, Some(fixtures)), Some(m));
    }
}
