//! The plaintext of one part: a flat list of files.
//!
//! ```text
//! "VPRA" | file count u32 | per file: path length u16 | path (UTF-8, '/'-separated) | size u64 | bytes
//! ```
//!
//! Decoding checks every limit and every path before anything is written;
//! [`Archive::extract_to`] writes into a temporary folder beside the target
//! and renames it into place only when every file is written and synced.

use std::{
    collections::BTreeSet,
    fs,
    io::Write,
    ops::Range,
    path::{Path, PathBuf},
};

use ring::rand::{SecureRandom, SystemRandom};

use crate::{Limits, PackageError, Result, SizeItem};

const MAGIC: &[u8; 4] = b"VPRA";

/// Files go to the keys-and-criteria part when their first path component is
/// `keys.json` or starts with `criteria` (`criteria.json`, `criteria/…`).
pub fn is_keys_path(path: &str) -> bool {
    let first = path.split('/').next().unwrap_or(path);
    first == "keys.json" || first.starts_with("criteria")
}

/// Files of one part, borrowed from its decrypted bytes.
#[derive(Debug, Clone, Default)]
pub struct Archive {
    data: Vec<u8>,
    entries: Vec<(String, Range<usize>)>,
}

impl Archive {
    /// An archive from `(path, bytes)` pairs (paths checked like on reading).
    pub fn from_files(files: Vec<(String, Vec<u8>)>, limits: &Limits) -> Result<Self> {
        let mut data = Vec::new();
        let mut entries = Vec::with_capacity(files.len());
        for (path, bytes) in files {
            let start = data.len();
            data.extend_from_slice(&bytes);
            entries.push((path, start..data.len()));
        }
        let archive = Self { data, entries };
        archive.check(limits)?;
        Ok(archive)
    }

    /// Paths in the archive, in stored order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(p, _)| p.as_str())
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Bytes of all files together.
    pub fn total_size(&self) -> u64 {
        self.entries.iter().map(|(_, r)| r.len() as u64).sum()
    }

    /// The content of one file.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.entries
            .iter()
            .find(|(p, _)| p == path)
            .and_then(|(_, r)| self.data.get(r.clone()))
    }

    /// Every file with its content.
    pub fn files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.entries
            .iter()
            .filter_map(|(p, r)| self.data.get(r.clone()).map(|d| (p.as_str(), d)))
    }

    pub(crate) fn encode(&self) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(self.data.len() + 8 + self.entries.len() * 64);
        out.extend_from_slice(MAGIC);
        let count = u32::try_from(self.entries.len())
            .map_err(|_| PackageError::BadSource("слишком много файлов".into()))?;
        out.extend_from_slice(&count.to_le_bytes());
        for (path, bytes) in self.files() {
            let len =
                u16::try_from(path.len()).map_err(|_| PackageError::UnsafePath(path.to_owned()))?;
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(path.as_bytes());
            out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            out.extend_from_slice(bytes);
        }
        Ok(out)
    }

    /// Parse decrypted bytes, checking every limit and path.
    pub(crate) fn decode(data: Vec<u8>, limits: &Limits) -> Result<Self> {
        let mut r = Reader {
            data: &data,
            pos: 0,
        };
        if r.take(4)? != MAGIC {
            return Err(PackageError::BadArchive(
                "неизвестный формат содержимого".into(),
            ));
        }
        let count = u64::from(r.u32()?);
        if count > limits.max_files {
            return Err(PackageError::TooLarge {
                what: SizeItem::FileCount,
                size: count,
                limit: limits.max_files,
            });
        }
        let mut entries = Vec::new();
        for _ in 0..count {
            let path_len = usize::from(r.u16()?);
            let path = std::str::from_utf8(r.take(path_len)?)
                .map_err(|_| PackageError::BadArchive("имя файла не в UTF-8".into()))?
                .to_owned();
            let size = r.u64()?;
            let len = usize::try_from(size).map_err(|_| PackageError::TooLarge {
                what: SizeItem::OneFile,
                size,
                limit: limits.max_file_size,
            })?;
            let start = r.pos;
            r.take(len)?;
            entries.push((path, start..r.pos));
        }
        if r.pos != data.len() {
            return Err(PackageError::BadArchive(
                "лишние данные после последнего файла".into(),
            ));
        }
        let archive = Self { data, entries };
        archive.check(limits)?;
        Ok(archive)
    }

    fn check(&self, limits: &Limits) -> Result<()> {
        let count = self.entries.len() as u64;
        if count > limits.max_files {
            return Err(PackageError::TooLarge {
                what: SizeItem::FileCount,
                size: count,
                limit: limits.max_files,
            });
        }
        let mut files = BTreeSet::new();
        let mut dirs = BTreeSet::new();
        let mut total = 0u64;
        for (path, range) in &self.entries {
            check_path(path, limits)?;
            let size = range.len() as u64;
            if size > limits.max_file_size {
                return Err(PackageError::TooLarge {
                    what: SizeItem::OneFile,
                    size,
                    limit: limits.max_file_size,
                });
            }
            total = total.saturating_add(size);
            if total > limits.max_unpacked {
                return Err(PackageError::TooLarge {
                    what: SizeItem::Unpacked,
                    size: total,
                    limit: limits.max_unpacked,
                });
            }
            if !files.insert(path.as_str()) {
                return Err(PackageError::BadArchive(format!(
                    "файл «{path}» встречается дважды"
                )));
            }
            let mut prefix = String::new();
            let components: Vec<&str> = path.split('/').collect();
            for c in components.iter().take(components.len().saturating_sub(1)) {
                if !prefix.is_empty() {
                    prefix.push('/');
                }
                prefix.push_str(c);
                dirs.insert(prefix.clone());
            }
        }
        if let Some(clash) = dirs.iter().find(|d| files.contains(d.as_str())) {
            return Err(PackageError::BadArchive(format!(
                "«{clash}» — одновременно файл и папка"
            )));
        }
        Ok(())
    }

    /// Write every file under `target`, which must not exist or be an empty
    /// folder. Files go to a temporary folder beside it, are synced, and the
    /// folder is renamed into place: on any error nothing is left behind.
    pub fn extract_to(&self, target: &Path) -> Result<()> {
        let (parent, name) = prepare_target(target)?;
        let prefix = format!(".{name}.partial-");
        remove_stale(&parent, &prefix);
        let tmp = parent.join(format!("{prefix}{}", random_hex()?));
        fs::create_dir(&tmp).map_err(PackageError::io(&tmp))?;
        let written = self.write_all(&tmp).and_then(|()| {
            if target.is_dir() {
                // An empty target (checked above): replace it.
                fs::remove_dir(target).map_err(PackageError::io(target))?;
            }
            fs::rename(&tmp, target).map_err(PackageError::io(target))
        });
        if let Err(e) = written {
            let _ = fs::remove_dir_all(&tmp);
            return Err(e);
        }
        sync_dir(&parent);
        Ok(())
    }

    fn write_all(&self, root: &Path) -> Result<()> {
        let mut dirs = BTreeSet::new();
        for (path, bytes) in self.files() {
            let mut dest = root.to_path_buf();
            dest.extend(path.split('/'));
            if let Some(dir) = dest.parent() {
                if dir != root && dirs.insert(dir.to_path_buf()) {
                    fs::create_dir_all(dir).map_err(PackageError::io(dir))?;
                }
            }
            let mut f = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&dest)
                .map_err(PackageError::io(&dest))?;
            f.write_all(bytes).map_err(PackageError::io(&dest))?;
            f.sync_all().map_err(PackageError::io(&dest))?;
        }
        for dir in dirs.iter().rev() {
            sync_dir(dir);
        }
        sync_dir(root);
        Ok(())
    }
}

/// A relative, '/'-separated path with plain components only.
fn check_path(path: &str, limits: &Limits) -> Result<()> {
    let len = path.len() as u64;
    if len > limits.max_path {
        return Err(PackageError::TooLarge {
            what: SizeItem::PathLength,
            size: len,
            limit: limits.max_path,
        });
    }
    let bad = path.is_empty()
        || path.split('/').any(|c| {
            c.is_empty()
                || c == "."
                || c == ".."
                || c.chars().any(|ch| {
                    ch.is_control() || matches!(ch, '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
                })
        });
    if bad {
        return Err(PackageError::UnsafePath(path.chars().take(100).collect()));
    }
    Ok(())
}

/// Check the target before anything is decrypted: its parent must exist (it
/// is created) and the target itself must be absent or an empty folder.
pub(crate) fn prepare_target(target: &Path) -> Result<(PathBuf, String)> {
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| PackageError::TargetExists(target.to_path_buf()))?
        .to_owned();
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match fs::symlink_metadata(target) {
        Ok(meta) if meta.is_dir() => {
            let mut entries = fs::read_dir(target).map_err(PackageError::io(target))?;
            if entries.next().is_some() {
                return Err(PackageError::TargetExists(target.to_path_buf()));
            }
        }
        Ok(_) => return Err(PackageError::TargetExists(target.to_path_buf())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::create_dir_all(&parent).map_err(PackageError::io(&parent))?;
        }
        Err(e) => return Err(PackageError::io(target)(e)),
    }
    Ok((parent, name))
}

/// Leftovers of an unpack interrupted by a crash or power loss.
fn remove_stale(parent: &Path, prefix: &str) {
    if let Ok(entries) = fs::read_dir(parent) {
        for entry in entries.flatten() {
            if entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(prefix))
            {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}

fn random_hex() -> Result<String> {
    let mut bytes = [0u8; 8];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| PackageError::Crypto)?;
    Ok(hex::encode(bytes))
}

fn sync_dir(dir: &Path) {
    // Directories can be synced on Unix; elsewhere opening one fails: skip.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or_else(|| {
                PackageError::BadArchive("содержимое обрывается на середине файла".into())
            })?;
        let slice = &self.data[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    fn u16(&mut self) -> Result<u16> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        list.iter()
            .map(|(p, c)| ((*p).to_owned(), c.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn encodes_decodes_and_extracts() {
        let limits = Limits::default();
        let a = Archive::from_files(
            files(&[("package.json", "{}"), ("media/t1.wav", "RIFF")]),
            &limits,
        )
        .unwrap();
        let b = Archive::decode(a.encode().unwrap(), &limits).unwrap();
        assert_eq!(
            b.paths().collect::<Vec<_>>(),
            ["package.json", "media/t1.wav"]
        );
        assert_eq!(b.get("media/t1.wav"), Some(&b"RIFF"[..]));
        assert_eq!(b.total_size(), 6);
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("pkg");
        b.extract_to(&target).unwrap();
        assert_eq!(fs::read(target.join("media/t1.wav")).unwrap(), b"RIFF");
        // Extracting again over a full folder is refused and changes nothing.
        assert!(matches!(
            b.extract_to(&target),
            Err(PackageError::TargetExists(_))
        ));
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["pkg"]);
        // A half-written folder left by a power loss is cleared on the next unpack.
        let stale = dir.path().join(".again.partial-0011223344556677");
        fs::create_dir_all(stale.join("media")).unwrap();
        fs::write(stale.join("media/half.wav"), b"RI").unwrap();
        b.extract_to(&dir.path().join("again")).unwrap();
        assert!(!stale.exists());
        assert_eq!(
            fs::read(dir.path().join("again/package.json")).unwrap(),
            b"{}"
        );
        // An empty folder is fine to fill.
        let empty = dir.path().join("empty");
        fs::create_dir(&empty).unwrap();
        b.extract_to(&empty).unwrap();
        assert_eq!(fs::read(empty.join("package.json")).unwrap(), b"{}");
    }

    #[test]
    fn unsafe_paths_are_refused() {
        let limits = Limits::default();
        for p in [
            "../evil",
            "/etc/passwd",
            "a//b",
            "a/./b",
            "C:/x",
            "a\\b",
            "",
            "a/",
            "x\u{0}y",
        ] {
            let r = Archive::from_files(files(&[(p, "x")]), &limits);
            assert!(
                matches!(r, Err(PackageError::UnsafePath(_))),
                "{p:?} gave {r:?}"
            );
        }
        let clash = Archive::from_files(files(&[("a", "x"), ("a/b", "y")]), &limits);
        assert!(matches!(clash, Err(PackageError::BadArchive(_))));
        let dup = Archive::from_files(files(&[("a", "x"), ("a", "y")]), &limits);
        assert!(matches!(dup, Err(PackageError::BadArchive(_))));
    }

    #[test]
    fn limits_are_enforced_on_decode() {
        let big = Limits::default();
        let a = Archive::from_files(files(&[("a", "12345"), ("b", "678")]), &big).unwrap();
        let bytes = a.encode().unwrap();
        let small = |f: fn(&mut Limits)| {
            let mut l = big;
            f(&mut l);
            l
        };
        let cases = [
            (small(|l| l.max_files = 1), SizeItem::FileCount),
            (small(|l| l.max_file_size = 4), SizeItem::OneFile),
            (small(|l| l.max_unpacked = 7), SizeItem::Unpacked),
            (small(|l| l.max_path = 0), SizeItem::PathLength),
        ];
        for (limits, item) in cases {
            match Archive::decode(bytes.clone(), &limits) {
                Err(PackageError::TooLarge { what, .. }) => assert_eq!(what, item),
                other => panic!("{item:?}: {other:?}"),
            }
        }
        let mut cut = bytes.clone();
        cut.pop();
        assert!(matches!(
            Archive::decode(cut, &big),
            Err(PackageError::BadArchive(_))
        ));
        let mut extra = bytes;
        extra.push(0);
        assert!(matches!(
            Archive::decode(extra, &big),
            Err(PackageError::BadArchive(_))
        ));
    }

    #[test]
    fn keys_paths() {
        assert!(is_keys_path("keys.json"));
        assert!(is_keys_path("criteria.json"));
        assert!(is_keys_path("criteria/task3.pdf"));
        assert!(!is_keys_path("media/keys.json"));
        assert!(!is_keys_path("package.json"));
    }
}
