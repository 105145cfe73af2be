//! The author window's folder: works, the school's key, built packages. [`Workspace`] owns
//! every path in it, so a host passes ids, never paths, for works.
//!
//! ```text
//! <root>/works/<id>/            one work (package.json, keys.json, media/)
//! <root>/key/school.pk8|.pub    the school's issuer key pair (made once)
//! <root>/packages/<id>.vprpkg   built packages
//! <root>/checks/                the recorder check's file
//! ```

use std::{
    fs,
    path::{Path, PathBuf},
};

use serde::Serialize;
use ts_rs::TS;
use vpr_exam::Language;
use vpr_package::{time::Date, Issuer};

use crate::{
    build::{build, create_issuer, BuildOptions},
    error::Result,
    template::Template,
    work::valid_id,
    AuthorError, Work,
};

/// The author's folder inside the app's data folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    root: PathBuf,
}

/// A work in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WorkSummary {
    pub id: String,
    pub title: String,
    pub grade: u32,
    pub language: Language,
    pub variants: u32,
    pub tasks: u32,
    /// How many problems stop it from being built.
    pub problems: u32,
    /// Seconds since the Unix epoch of the last save.
    #[ts(type = "number")]
    pub modified: u64,
}

/// The school's issuer key, when made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SchoolKey {
    pub fingerprint: String,
    /// The public key file for the stations' trust list.
    pub public_file: String,
    /// The public key as hex (what the file holds).
    pub public_hex: String,
}

/// A work as the author window shows it: the materials, the keys, what is wrong, the media
/// it names and the texts still to write.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct WorkView {
    pub id: String,
    pub dir: String,
    pub package: vpr_exam::Package,
    pub keys: vpr_exam::Keys,
    pub problems: Vec<crate::AuthorProblem>,
    pub media: Vec<crate::MediaSlot>,
    pub placeholders: Vec<String>,
}

impl WorkView {
    pub fn of(work: &Work) -> Self {
        Self {
            id: work.package.id.clone(),
            dir: work.dir().display().to_string(),
            package: work.package.clone(),
            keys: work.keys.clone(),
            problems: work.problems(),
            media: work.media_slots(),
            placeholders: work.placeholders(),
        }
    }
}

/// A package built from a work, with the passwords shown once.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BuiltPackage {
    pub file: String,
    #[ts(type = "number")]
    pub file_size: u64,
    pub file_sha256: String,
    pub issuer_fingerprint: String,
    /// The day's password (opens the materials).
    pub password: String,
    /// The keys' and criteria's password (given out at 14:00).
    pub keys_password: String,
    pub exam_date: String,
    pub school: String,
    /// Fields still holding «Замените: …».
    pub placeholders: Vec<String>,
}

const WORKS: &str = "works";
const KEY_DIR: &str = "key";
const KEY_BASE: &str = "school";
const PACKAGES: &str = "packages";
const CHECKS: &str = "checks";

impl Workspace {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// `<app data>/author`.
    pub fn for_app(data_dir: &Path) -> Self {
        Self::new(data_dir.join("author"))
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder of work `id` (refused unless `id` is well-formed).
    pub fn work_dir(&self, id: &str) -> Result<PathBuf> {
        if !valid_id(id) || id.len() > 80 {
            return Err(AuthorError::BadId(id.to_owned()));
        }
        Ok(self.root.join(WORKS).join(id))
    }

    /// Open work `id` with its problems.
    pub fn open(&self, id: &str) -> Result<(Work, Vec<crate::AuthorProblem>)> {
        Work::open(&self.work_dir(id)?)
    }

    /// A new work from a template; its id must be new.
    pub fn create(
        &self,
        template: Template,
        language: Language,
        id: &str,
        title: Option<&str>,
    ) -> Result<Work> {
        let dir = self.work_dir(id)?;
        Work::create(&dir, template, language, id, title)
    }

    /// Every work, the most recently saved first (a folder that does not open is skipped).
    pub fn list(&self) -> Result<Vec<WorkSummary>> {
        let dir = self.root.join(WORKS);
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(AuthorError::io(&dir)(e)),
        };
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let Ok(id) = entry.file_name().into_string() else {
                continue;
            };
            let Ok((work, problems)) = self.open(&id) else {
                continue;
            };
            let modified = fs::metadata(work.dir().join(vpr_exam::load::PACKAGE_FILE))
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_secs());
            let p = &work.package;
            out.push(WorkSummary {
                id,
                title: p.title.clone(),
                grade: p.grade,
                language: p.language,
                variants: count(p.variants.len()),
                tasks: count(p.variants.first().map_or(0, |v| v.tasks.len())),
                problems: count(problems.len()),
                modified,
            });
        }
        out.sort_by(|a, b| b.modified.cmp(&a.modified).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    fn key_base(&self) -> PathBuf {
        self.root.join(KEY_DIR).join(KEY_BASE)
    }

    fn private_key(&self) -> PathBuf {
        self.root.join(KEY_DIR).join(format!("{KEY_BASE}.pk8"))
    }

    /// The school's key, if it was made.
    pub fn school_key(&self) -> Result<Option<SchoolKey>> {
        let private = self.private_key();
        if !private.exists() {
            return Ok(None);
        }
        let issuer = Issuer::read(&private)?;
        Ok(Some(SchoolKey {
            fingerprint: issuer.fingerprint(),
            public_file: self
                .root
                .join(KEY_DIR)
                .join(format!("{KEY_BASE}.pub"))
                .display()
                .to_string(),
            public_hex: issuer.public_key_hex(),
        }))
    }

    /// Make the school's key pair (once: refused when it exists).
    pub fn create_school_key(&self) -> Result<SchoolKey> {
        let dir = self.root.join(KEY_DIR);
        fs::create_dir_all(&dir).map_err(AuthorError::io(&dir))?;
        create_issuer(&self.key_base())?;
        self.school_key()?
            .ok_or_else(|| AuthorError::NotAWork(self.private_key()))
    }

    /// Copy the public key to `folder` (for the stations' trust list); the file written.
    pub fn export_public_key(&self, folder: &Path) -> Result<PathBuf> {
        let key = self.school_key()?.ok_or(AuthorError::NoSchoolKey)?;
        let target = folder.join(format!(
            "{KEY_BASE}-{}.pub",
            &key.fingerprint[..8.min(key.fingerprint.len())]
        ));
        crate::work::write_atomic(&target, format!("{}\n", key.public_hex).as_bytes())?;
        Ok(target)
    }

    /// The built package's path for work `id`.
    pub fn package_file(&self, id: &str) -> Result<PathBuf> {
        self.work_dir(id)?;
        Ok(self.root.join(PACKAGES).join(format!("{id}.vprpkg")))
    }

    /// Where media sent as bytes wait while they are decoded.
    pub fn scratch_dir(&self) -> PathBuf {
        self.root.join("incoming")
    }

    /// Where the recorder check writes.
    pub fn check_recording(&self) -> PathBuf {
        self.root.join(CHECKS).join("check.wav")
    }

    /// Sign work `id` with the school's key and build it (refused while it has problems).
    pub fn build(&self, id: &str, school: &str, exam_date: &str) -> Result<BuiltPackage> {
        let exam_date = parse_date(exam_date)?;
        if self.school_key()?.is_none() {
            return Err(AuthorError::NoSchoolKey);
        }
        let school = school.trim();
        if school.is_empty() {
            return Err(AuthorError::BadValue {
                path: "school".to_owned(),
                message: "укажите образовательную организацию".to_owned(),
            });
        }
        let out = self.package_file(id)?;
        let options = BuildOptions {
            school: school.to_owned(),
            exam_date,
            materials_release: None,
            keys_release: None,
            utc_offset: vpr_package::time::UtcOffset::from_hms(3, 0, 0)
                .unwrap_or(vpr_package::time::UtcOffset::UTC),
        };
        let built = build(&self.work_dir(id)?, &self.private_key(), &out, &options)?;
        Ok(BuiltPackage {
            file: out.display().to_string(),
            file_size: built.report.file_size,
            file_sha256: built.report.file_sha256,
            issuer_fingerprint: built.report.issuer_fingerprint,
            password: built.password.text,
            keys_password: built.keys_password.text,
            exam_date: exam_date.to_string(),
            school: school.to_owned(),
            placeholders: built.placeholders,
        })
    }
}

/// `2026-04-15` → a date, refused naming the field.
fn parse_date(text: &str) -> Result<Date> {
    let bad = || AuthorError::BadValue {
        path: "exam_date".to_owned(),
        message: format!("дата «{text}»: ожидается ГГГГ-ММ-ДД"),
    };
    let mut parts = text.trim().splitn(3, '-').map(str::parse::<u32>);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    let month = u8::try_from(m)
        .ok()
        .and_then(|m| vpr_package::time::Month::try_from(m).ok())
        .ok_or_else(bad)?;
    let year = i32::try_from(y).map_err(|_| bad())?;
    let day = u8::try_from(d).map_err(|_| bad())?;
    Date::from_calendar_date(year, month, day).map_err(|_| bad())
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use vpr_error::Coded;

    #[test]
    fn works_are_listed_and_ids_checked() {
        let tmp = tempfile::tempdir().unwrap();
        let ws = Workspace::for_app(tmp.path());
        assert!(ws.list().unwrap().is_empty());
        ws.create(Template::OgeOral, Language::En, "oge-1", None)
            .unwrap();
        let list = ws.list().unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].id, "oge-1");
        assert_eq!(list[0].grade, 9);
        assert!(list[0].problems > 0, "the template's media are missing");
        assert_eq!(ws.work_dir("../x").unwrap_err().code(), "author_bad_id");
        let e = ws
            .create(Template::OgeOral, Language::En, "oge-1", None)
            .unwrap_err();
        assert_eq!(e.code(), "author_not_empty");
    }

    #[test]
    fn the_school_key_is_made_once_and_building_needs_it() {
        let tmp = tempfile::tempdir().unwrap();
        let ws = Workspace::for_app(tmp.path());
        ws.create(Template::OgeOral, Language::En, "w", None)
            .unwrap();
        let date = "2026-05-20";
        assert_eq!(
            ws.build("w", "Школа", "20.05.2026").unwrap_err().code(),
            "author_bad_value"
        );
        assert_eq!(
            ws.build("w", "Школа", date).unwrap_err().code(),
            "author_no_school_key"
        );
        assert!(ws.school_key().unwrap().is_none());
        let key = ws.create_school_key().unwrap();
        assert_eq!(ws.school_key().unwrap(), Some(key.clone()));
        assert_eq!(
            ws.create_school_key().unwrap_err().code(),
            "author_not_empty"
        );
        let out = tempfile::tempdir().unwrap();
        let pub_file = ws.export_public_key(out.path()).unwrap();
        let text = fs::read_to_string(pub_file).unwrap();
        assert_eq!(text.trim(), key.public_hex);
        // The template's media are missing: refused, nothing written.
        let e = ws.build("w", "Школа", date).unwrap_err();
        assert_eq!(e.code(), "author_has_problems");
        assert!(!ws.package_file("w").unwrap().exists());
    }
}
