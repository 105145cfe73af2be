//! Every path of the coordinator's own folder. Nothing else builds one.
//!
//! The folder is the coordinator's alone: it is never a station's data
//! folder or inside one (names live here; a station's folder is exported
//! to USB drives).
//!
//! ```text
//! <root>/coordinator.sqlite   the database (+ -wal, -shm)
//! <root>/bundles/<sha16>/     imported station bundles with their recordings
//! <root>/packages/<sha16>.vprpkg  the signed package of each work, as the stations ran it
//! <root>/import-<sha16>.partial/  a bundle being checked (removed when refused)
//! <root>/tmp-<random>/        scratch space while an archive is written
//! <root>/audio.json           the expert player's output device
//! ```

use std::path::{Path, PathBuf};

/// The database file name in a coordinator folder.
pub const DB_FILE: &str = "coordinator.sqlite";
/// The environment variable that places the coordinator's folder (tests,
/// portable installs).
pub const DIR_ENV: &str = "VPR_COORDINATOR_DIR";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoordinatorLayout {
    root: PathBuf,
    database: PathBuf,
}

impl CoordinatorLayout {
    /// The folder `root` with the database `root/coordinator.sqlite`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        Self {
            database: root.join(DB_FILE),
            root,
        }
    }

    /// The folder of a database file given by path (the CLI's `--db`).
    pub fn for_database(path: &Path) -> Self {
        let root = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        Self {
            root,
            database: path.to_path_buf(),
        }
    }

    /// The app's coordinator folder: `$VPR_COORDINATOR_DIR` when set,
    /// otherwise `<station data folder>-coordinator` beside (never inside)
    /// the station's data folder.
    pub fn for_app(station_data: &Path) -> Self {
        match std::env::var_os(DIR_ENV).filter(|d| !d.is_empty()) {
            Some(dir) => Self::new(PathBuf::from(dir)),
            None => Self::beside(station_data),
        }
    }

    /// `<station data folder>-coordinator`, a sibling of the station's folder.
    pub fn beside(station_data: &Path) -> Self {
        let name = station_data
            .file_name()
            .map_or_else(|| "vpr".into(), |n| n.to_string_lossy().into_owned());
        Self::new(station_data.with_file_name(format!("{name}-coordinator")))
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn database(&self) -> &Path {
        &self.database
    }

    /// The expert player's audio settings (system defaults when absent).
    pub fn audio_settings(&self) -> PathBuf {
        self.root.join("audio.json")
    }

    /// Where an imported bundle is unpacked, relative to the root (stored
    /// in the database) and absolute.
    pub fn bundle_dir(&self, sha256_hex: &str) -> (String, PathBuf) {
        let short = sha256_hex.get(..16).unwrap_or(sha256_hex);
        let rel = format!("bundles/{short}");
        let abs = self.root.join(&rel);
        (rel, abs)
    }

    /// Where a work's signed package is kept, relative to the root (stored
    /// in the database) and absolute.
    pub fn package_file(&self, sha256_hex: &str) -> (String, PathBuf) {
        let short = sha256_hex.get(..16).unwrap_or(sha256_hex);
        let rel = format!("packages/{short}.{}", vpr_package::EXTENSION);
        let abs = self.root.join(&rel);
        (rel, abs)
    }

    /// Where the pictures of a work's signed package are kept (absolute).
    pub fn package_media(&self, sha256_hex: &str) -> PathBuf {
        let short = sha256_hex.get(..16).unwrap_or(sha256_hex);
        self.root.join(format!("packages/{short}.media"))
    }

    /// Scratch folder of a bundle while it is checked: renamed to its
    /// [`CoordinatorLayout::bundle_dir`] when imported, removed when refused.
    pub fn import_scratch(&self, sha256_hex: &str) -> PathBuf {
        let short = sha256_hex.get(..16).unwrap_or(sha256_hex);
        self.root.join(format!("import-{short}.partial"))
    }

    /// A path stored in the database relative to the root.
    pub fn resolve(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_in_the_coordinator_folder_and_out_of_the_station_folder() {
        let station = Path::new("/var/lib/vpr/data");
        let l = CoordinatorLayout::beside(station);
        assert_eq!(l.root(), Path::new("/var/lib/vpr/data-coordinator"));
        assert!(!l.root().starts_with(station));
        assert_eq!(
            l.database(),
            Path::new("/var/lib/vpr/data-coordinator/coordinator.sqlite")
        );
        let (rel, abs) = l.bundle_dir("0123456789abcdef0123");
        assert_eq!(rel, "bundles/0123456789abcdef");
        assert_eq!(abs, l.resolve(&rel));
        assert!(l.audio_settings().starts_with(l.root()));
        let (rel, abs) = l.package_file("0123456789abcdef0123");
        assert_eq!(rel, "packages/0123456789abcdef.vprpkg");
        assert_eq!(abs, l.resolve(&rel));
        assert!(l
            .import_scratch("0123456789abcdef0123")
            .starts_with(l.root()));
        let cli = CoordinatorLayout::for_database(Path::new("c.sqlite"));
        assert_eq!(cli.root(), Path::new("."));
        assert_eq!(cli.database(), Path::new("c.sqlite"));
    }
}
