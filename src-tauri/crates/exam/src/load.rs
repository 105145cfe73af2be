//! Reading `package.json` and `keys.json` from a package folder.

use std::{fs, path::Path};

use serde::de::DeserializeOwned;

use serde_json::Value;

use crate::{
    keys::Keys,
    model::{GapFill, Listening, Monologue, Package, Reading, ReadingAloud},
    validate, ExamError, Result,
};

/// The materials file in a package folder.
pub const PACKAGE_FILE: &str = "package.json";
/// The keys and criteria file in a package folder (may be absent on a station).
pub const KEYS_FILE: &str = "keys.json";

/// Parse JSON, naming the field path on error.
pub fn parse<T: DeserializeOwned>(file: &str, bytes: &[u8]) -> Result<T> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        ExamError::Syntax {
            file: file.to_owned(),
            path: if path == "." {
                "(весь файл)".to_owned()
            } else {
                path
            },
            message: e.into_inner().to_string(),
        }
    })
}

fn read(dir: &Path, name: &str) -> Result<Vec<u8>> {
    fs::read(dir.join(name)).map_err(|source| ExamError::Io {
        file: name.to_owned(),
        source,
    })
}

impl Package {
    /// Parse and fully validate `package.json` (no media check).
    pub fn from_json(bytes: &[u8]) -> Result<Self> {
        let p: Package = parse(PACKAGE_FILE, bytes).map_err(|e| refine(bytes, e))?;
        let problems = validate::check_package(&p);
        if problems.is_empty() {
            Ok(p)
        } else {
            Err(ExamError::Invalid {
                file: PACKAGE_FILE.to_owned(),
                problems,
            })
        }
    }

    /// Load `dir/package.json`, validate it fully and check every media file it names.
    pub fn load_dir(dir: &Path) -> Result<Self> {
        let p = Self::from_json(&read(dir, PACKAGE_FILE)?)?;
        let problems = validate::check_media(&p, dir);
        if problems.is_empty() {
            Ok(p)
        } else {
            Err(ExamError::Invalid {
                file: PACKAGE_FILE.to_owned(),
                problems,
            })
        }
    }
}

impl Keys {
    /// Parse keys and validate them against the package.
    pub fn from_json(bytes: &[u8], package: &Package) -> Result<Self> {
        let k: Keys = parse(KEYS_FILE, bytes)?;
        let problems = validate::check_keys(package, &k);
        if problems.is_empty() {
            Ok(k)
        } else {
            Err(ExamError::Invalid {
                file: KEYS_FILE.to_owned(),
                problems,
            })
        }
    }

    /// Load `dir/keys.json` if present (None when the keys are not released yet).
    pub fn load_dir(dir: &Path, package: &Package) -> Result<Option<Self>> {
        match fs::read(dir.join(KEYS_FILE)) {
            Ok(bytes) => Self::from_json(&bytes, package).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(ExamError::Io {
                file: KEYS_FILE.to_owned(),
                source,
            }),
        }
    }
}

/// A task's `content` is read through its `kind` tag, which hides the inner field from the
/// error path; read that content again as its own type to name the field.
fn refine(bytes: &[u8], e: ExamError) -> ExamError {
    let ExamError::Syntax {
        file,
        path,
        message,
    } = e
    else {
        return e;
    };
    if !path.ends_with("content") {
        return ExamError::Syntax {
            file,
            path,
            message,
        };
    }
    let inner = serde_json::from_slice::<Value>(bytes)
        .ok()
        .and_then(|root| navigate(&root, &path).cloned())
        .and_then(content_error);
    match inner {
        Some((field, msg)) => ExamError::Syntax {
            file,
            path: format!("{path}.{field}"),
            message: msg,
        },
        None => ExamError::Syntax {
            file,
            path,
            message,
        },
    }
}

fn content_error(mut node: Value) -> Option<(String, String)> {
    let kind = node.get("kind")?.as_str()?.to_owned();
    node.as_object_mut()?.remove("kind");
    fn check<T: DeserializeOwned>(v: Value) -> Option<(String, String)> {
        match serde_path_to_error::deserialize::<_, T>(v) {
            Ok(_) => None,
            Err(e) => {
                let path = e.path().to_string();
                let message = e.into_inner().to_string();
                (path != ".").then_some((path, message))
            }
        }
    }
    match kind.as_str() {
        "listening" => check::<Listening>(node),
        "reading" => check::<Reading>(node),
        "grammar" | "vocabulary" => check::<GapFill>(node),
        "reading_aloud" => check::<ReadingAloud>(node),
        "monologue" => check::<Monologue>(node),
        _ => None,
    }
}

/// Follow a path like `variants[0].tasks[2].content` into a JSON value.
fn navigate<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    let mut node = root;
    for segment in path.split('.') {
        let (key, rest) = segment.split_once('[').unwrap_or((segment, ""));
        if !key.is_empty() {
            node = node.get(key)?;
        }
        for index in rest.split('[') {
            let index = index.trim_end_matches(']');
            if !index.is_empty() {
                node = node.get(index.parse::<usize>().ok()?)?;
            }
        }
    }
    Some(node)
}
