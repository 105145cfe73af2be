//! A work folder in the demos' source form: `package.json`, `keys.json`, `media/`.
//! [`Work`] owns the folder's paths; every change is saved atomically (temporary file,
//! fsync, rename, fsync of the folder).

use std::{
    fs,
    io::{Read, Write},
    path::{Path, PathBuf},
};

use serde::Serialize;
use vpr_exam::{
    load::{parse, KEYS_FILE, PACKAGE_FILE},
    Keys, Language, Package,
};

use crate::{
    error::Result,
    problems::{all_problems, media_slots, AuthorProblem, MediaSlot},
    template::{Template, PLACEHOLDER},
    AuthorError,
};

/// `package.json` (and `keys.json`) larger than this is refused before it is parsed.
pub const MAX_JSON_BYTES: u64 = vpr_package::MAX_PACKAGE_JSON;
/// The media folder inside a work.
pub const MEDIA_DIR: &str = "media";

/// An author's work: its folder, materials and keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Work {
    dir: PathBuf,
    pub package: Package,
    pub keys: Keys,
}

/// A well-formed package id: `[a-z0-9-]`, not empty.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Work {
    /// A new work from a template in `dir` (which must not exist or be empty).
    pub fn create(
        dir: &Path,
        template: Template,
        language: Language,
        id: &str,
        title: Option<&str>,
    ) -> Result<Self> {
        if !valid_id(id) {
            return Err(AuthorError::BadId(id.to_owned()));
        }
        let title = match title.map(str::trim) {
            Some(t) if !t.is_empty() => t.to_owned(),
            _ => template.default_title(language),
        };
        let (package, keys) = template.skeleton(language, id, &title)?;
        if dir.exists() {
            let mut entries = fs::read_dir(dir).map_err(AuthorError::io(dir))?;
            if entries.next().is_some() {
                return Err(AuthorError::NotEmpty(dir.to_path_buf()));
            }
        }
        let media = dir.join(MEDIA_DIR);
        fs::create_dir_all(&media).map_err(AuthorError::io(&media))?;
        let work = Self {
            dir: dir.to_path_buf(),
            package,
            keys,
        };
        work.save()?;
        Ok(work)
    }

    /// Open a work, however unfinished: the work and its problems. Refused only when
    /// `package.json` is missing, too large or not a package at all (a field of the wrong
    /// type, named); a missing `keys.json` is an empty one.
    pub fn open(dir: &Path) -> Result<(Self, Vec<AuthorProblem>)> {
        let package_path = dir.join(PACKAGE_FILE);
        if !package_path.is_file() {
            return Err(AuthorError::NotAWork(dir.to_path_buf()));
        }
        let package: Package = parse_capped(&package_path, PACKAGE_FILE)?;
        let keys_path = dir.join(KEYS_FILE);
        let keys = if keys_path.exists() {
            parse_capped(&keys_path, KEYS_FILE)?
        } else {
            Keys {
                package_id: package.id.clone(),
                variants: Vec::new(),
            }
        };
        let work = Self {
            dir: dir.to_path_buf(),
            package,
            keys,
        };
        let problems = work.problems();
        Ok((work, problems))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn media_dir(&self) -> PathBuf {
        self.dir.join(MEDIA_DIR)
    }

    /// Package, keys and media problems, all by field path (keys' paths start `keys.`).
    pub fn problems(&self) -> Vec<AuthorProblem> {
        all_problems(&self.package, &self.keys, &self.dir)
    }

    /// Every media file the package names, and whether it is in the folder.
    pub fn media_slots(&self) -> Vec<MediaSlot> {
        media_slots(&self.package, &self.dir)
    }

    /// Fields still holding a template's «Замените: …» text (not problems: the work builds,
    /// but the author has not written them yet).
    pub fn placeholders(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Ok(v) = serde_json::to_value(&self.package) {
            strings_with(&v, PLACEHOLDER, String::new(), &mut out);
        }
        if let Ok(v) = serde_json::to_value(&self.keys) {
            strings_with(&v, PLACEHOLDER, "keys".to_owned(), &mut out);
        }
        out
    }

    /// Write `package.json` and `keys.json`, each atomically.
    pub fn save(&self) -> Result<()> {
        write_json(&self.dir.join(PACKAGE_FILE), &self.package)?;
        write_json(&self.dir.join(KEYS_FILE), &self.keys)
    }
}

fn parse_capped<T: serde::de::DeserializeOwned>(path: &Path, name: &str) -> Result<T> {
    let file = fs::File::open(path).map_err(AuthorError::io(path))?;
    let size = file.metadata().map_err(AuthorError::io(path))?.len();
    if size > MAX_JSON_BYTES {
        return Err(AuthorError::TooLarge {
            file: name.to_owned(),
            size,
            max: MAX_JSON_BYTES,
        });
    }
    let mut bytes = Vec::new();
    file.take(MAX_JSON_BYTES)
        .read_to_end(&mut bytes)
        .map_err(AuthorError::io(path))?;
    parse(name, &bytes).map_err(|e| match e {
        vpr_exam::ExamError::Syntax {
            file,
            path,
            message,
        } => AuthorError::Unreadable {
            file,
            path,
            message,
        },
        other => AuthorError::Unreadable {
            file: name.to_owned(),
            path: "(весь файл)".to_owned(),
            message: other.to_string(),
        },
    })
}

/// JSON, pretty, within [`MAX_JSON_BYTES`].
pub(crate) fn to_json<T: Serialize>(value: &T, name: &str) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|e| AuthorError::BadValue {
        path: name.to_owned(),
        message: e.to_string(),
    })?;
    bytes.push(b'\n');
    let size = bytes.len() as u64;
    if size > MAX_JSON_BYTES {
        return Err(AuthorError::TooLarge {
            file: name.to_owned(),
            size,
            max: MAX_JSON_BYTES,
        });
    }
    Ok(bytes)
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    write_atomic(path, &to_json(value, &name)?)
}

/// Write `bytes` to `path` through a temporary file beside it: synced, renamed over, the
/// folder synced. A crash leaves the old file or the new one, never half of one.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(path.file_name().unwrap_or_default());
    tmp_name.push(".tmp");
    let tmp = dir.join(tmp_name);
    let written = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(AuthorError::io(path)(e));
    }
    if let Ok(d) = fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Paths (`a.b[0].c`) of every string in `v` starting with `prefix`.
fn strings_with(v: &serde_json::Value, prefix: &str, at: String, out: &mut Vec<String>) {
    use serde_json::Value;
    match v {
        Value::String(s) if s.starts_with(prefix) => out.push(at),
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                strings_with(x, prefix, format!("{at}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            for (k, x) in map {
                let next = if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                };
                strings_with(x, prefix, next, out);
            }
        }
        _ => {}
    }
}
