//! `*.vprpkg` files on removable drives and in the home folder.

use std::path::{Path, PathBuf};

use crate::technician::PackageFile;

/// Where drives are mounted and how deep to look: the Linux mount points
/// (`/media/<user>/<drive>`, `/run/media/<user>/<drive>`), then the home
/// folder (`HOME`, or `USERPROFILE` on Windows).
fn roots() -> Vec<(PathBuf, u32)> {
    let mut roots = vec![
        (PathBuf::from("/media"), 4),
        (PathBuf::from("/run/media"), 4),
    ];
    if let Some(home) = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")) {
        roots.push((PathBuf::from(home), 2));
    }
    roots
}

/// Every package file found, sorted by path, each once.
pub fn find_packages() -> Vec<PackageFile> {
    let mut out = Vec::new();
    for (root, depth) in roots() {
        walk(&root, depth, &mut out);
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out.dedup_by(|a, b| a.path == b.path);
    out
}

fn walk(dir: &Path, depth: u32, out: &mut Vec<PackageFile>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let hidden = e.file_name().to_string_lossy().starts_with('.');
        let Ok(kind) = e.file_type() else { continue };
        if kind.is_dir() && !hidden && depth > 0 {
            walk(&path, depth - 1, out);
        } else if kind.is_file()
            && path
                .extension()
                .is_some_and(|x| x == vpr_package::EXTENSION)
        {
            let size = e.metadata().map(|m| m.len()).unwrap_or(0);
            out.push(PackageFile {
                path: path.display().to_string(),
                size,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn package_files_are_found_to_the_depth_and_hidden_folders_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::create_dir_all(dir.path().join(".hidden")).unwrap();
        std::fs::write(dir.path().join("a/one.vprpkg"), b"1").unwrap();
        std::fs::write(deep.join("two.vprpkg"), b"22").unwrap();
        std::fs::write(dir.path().join(".hidden/three.vprpkg"), b"3").unwrap();
        std::fs::write(dir.path().join("a/notes.txt"), b"x").unwrap();
        let mut out = Vec::new();
        walk(dir.path(), 1, &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert!(out[0].path.ends_with("one.vprpkg"));
        let mut out = Vec::new();
        walk(dir.path(), 2, &mut out);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(out
            .iter()
            .any(|p| p.path.ends_with("two.vprpkg") && p.size == 2));
    }
}
