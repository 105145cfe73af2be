//! The coordinator's files are the coordinator's alone: the database and its
//! WAL and shared-memory files 0600, the coordinator's folder and the
//! folders of imported bundles (recordings) and packages 0700 with their
//! files 0600. Applied when a database is created and every time it is
//! opened (tightening only); other systems keep their own defaults.

use std::path::Path;

use crate::{CoordinatorLayout, Result, DB_FILE};

/// Folders under the coordinator's root whose whole tree is owner-only.
const PRIVATE_TREES: &[&str] = &["bundles", "packages"];
/// How deep a private tree is walked (bundles are `bundles/<sha>/audio/…`).
const MAX_DEPTH: usize = 8;

/// Create an empty database file readable by its owner only (SQLite gives
/// the WAL and shared-memory files the database file's mode).
pub(crate) fn create_file(path: &Path) -> Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)?;
    Ok(())
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        return Ok(());
    }
    if meta.permissions().mode() & 0o777 != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> Result<()> {
    Ok(())
}

fn secure_tree(dir: &Path, depth: usize) -> Result<()> {
    set_mode(dir, 0o700)?;
    if depth == 0 {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            secure_tree(&entry.path(), depth - 1)?;
        } else if kind.is_file() {
            set_mode(&entry.path(), 0o600)?;
        }
    }
    Ok(())
}

/// Make the database of `path`, its WAL and shared-memory files, and (when
/// it is a coordinator folder's database) the folder and its private trees
/// owner-only.
pub(crate) fn secure_database(path: &Path) -> Result<()> {
    set_mode(path, 0o600)?;
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let side = Path::new(&side);
        if side.is_file() {
            set_mode(side, 0o600)?;
        }
    }
    if path.file_name().is_some_and(|n| n == DB_FILE) {
        secure_folder(&CoordinatorLayout::for_database(path))?;
    }
    Ok(())
}

/// The coordinator's folder 0700, its bundles and packages trees 0700/0600.
pub(crate) fn secure_folder(layout: &CoordinatorLayout) -> Result<()> {
    let root = layout.root();
    if root.is_dir() {
        set_mode(root, 0o700)?;
    }
    for sub in PRIVATE_TREES {
        let dir = root.join(sub);
        if dir.is_dir() {
            secure_tree(&dir, MAX_DEPTH)?;
        }
    }
    Ok(())
}

/// Make one imported bundle's folder (recordings, the kept bundle) owner-only.
pub(crate) fn secure_bundle_dir(dir: &Path) -> Result<()> {
    secure_tree(dir, MAX_DEPTH)
}

impl crate::Coordinator {
    /// Make every file of the coordinator's folder owner-only again (after
    /// an import wrote bundles and recordings, or an export wrote a file).
    pub fn secure_files(&self) -> Result<()> {
        secure_database(self.layout.database())?;
        secure_folder(&self.layout)
    }
}
