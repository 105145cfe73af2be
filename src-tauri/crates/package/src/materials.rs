//! The header as the materials say it: what `package.json` (the exam
//! model of `vpr-exam`) tells about the package, and the checks that tie
//! the signed header to it.
//!
//! - Building (`vpr package build`): [`MaterialsHeader::read_dir`] reads the
//!   source's `package.json`, [`HeaderClaims::confirm`] refuses a flag that
//!   disagrees with it, [`MaterialsHeader::meta`] makes the header.
//! - Unlocking: [`SealedPackage::materials`](crate::SealedPackage::materials)
//!   compares the decrypted `package.json` with the verified header
//!   ([`MaterialsHeader::check_header`]) before anything is written.
//!
//! The header's human subject is the language's name: «Английский язык»,
//! «Немецкий язык», «Французский язык» (the exam model's only subject is
//! «foreign language»). Its `demo` flag is the model's `demo || training`:
//! either makes the package training material, never a real work.

use std::{fs, io::Read, path::Path};

use serde::Serialize;
use time::{Date, OffsetDateTime};
use vpr_exam::{load::PACKAGE_FILE, Language, Package};

use crate::{PackageError, PackageMeta, Result};

/// `package.json` larger than this is refused before it is parsed (the
/// demo packages are about 13 KB).
pub const MAX_PACKAGE_JSON: u64 = 4 * 1024 * 1024;

/// The header fields that come from the materials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MaterialsHeader {
    pub package_id: String,
    pub title: String,
    /// Human subject, e.g. «Английский язык» (from the language).
    pub subject: String,
    pub grade: u8,
    /// `en`, `de`, `fr`.
    pub language: String,
    /// `demo` or `training` in `package.json`: not a real exam.
    pub demo: bool,
}

/// The header field named in a disagreement: its Russian name and the key.
fn field_name(key: &str) -> &'static str {
    match key {
        "package_id" => "идентификатор (id)",
        "title" => "название (title)",
        "subject" => "предмет (subject)",
        "grade" => "класс (grade)",
        "language" => "язык (language)",
        "demo" => "учебный пакет (demo/training)",
        _ => "поле",
    }
}

fn language_code(language: Language) -> &'static str {
    match language {
        Language::En => "en",
        Language::De => "de",
        Language::Fr => "fr",
    }
}

/// «Английский язык» from «английский язык».
fn subject_of(language: Language) -> String {
    let name = language.name_ru();
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn yes_no(b: bool) -> String {
    if b { "да" } else { "нет" }.to_owned()
}

impl MaterialsHeader {
    /// The header fields of a loaded, validated package.
    pub fn from_package(package: &Package) -> Result<Self> {
        let grade = u8::try_from(package.grade).map_err(|_| {
            PackageError::BadMaterials(format!("недопустимый класс {}", package.grade))
        })?;
        Ok(Self {
            package_id: package.id.clone(),
            title: package.title.clone(),
            subject: subject_of(package.language),
            grade,
            language: language_code(package.language).to_owned(),
            demo: package.demo || package.training,
        })
    }

    /// Parse and validate `package.json` (the exam crate's loader) and take
    /// its header fields.
    pub fn from_json(bytes: &[u8]) -> Result<Self> {
        let size = bytes.len() as u64;
        if size > MAX_PACKAGE_JSON {
            return Err(PackageError::BadMaterials(format!(
                "{PACKAGE_FILE} — {size} байт при допустимых {MAX_PACKAGE_JSON}"
            )));
        }
        let package =
            Package::from_json(bytes).map_err(|e| PackageError::BadMaterials(e.to_string()))?;
        Self::from_package(&package)
    }

    /// `source/package.json`, read with a size cap.
    pub fn read_dir(source: &Path) -> Result<Self> {
        let path = source.join(PACKAGE_FILE);
        let file = fs::File::open(&path).map_err(PackageError::io(&path))?;
        let mut bytes = Vec::new();
        file.take(MAX_PACKAGE_JSON + 1)
            .read_to_end(&mut bytes)
            .map_err(PackageError::io(&path))?;
        Self::from_json(&bytes)
    }

    /// The full header: these fields plus what the materials do not say.
    pub fn meta(
        &self,
        school: &str,
        exam_date: Date,
        materials_release: OffsetDateTime,
        keys_release: OffsetDateTime,
    ) -> PackageMeta {
        PackageMeta {
            package_id: self.package_id.clone(),
            title: self.title.clone(),
            school: school.to_owned(),
            subject: self.subject.clone(),
            grade: self.grade,
            language: self.language.clone(),
            exam_date,
            materials_release,
            keys_release,
            demo: self.demo,
        }
    }

    /// The first field where `meta` (a signed header) says something else
    /// than these materials: (key, header value, materials value).
    fn difference(&self, meta: &PackageMeta) -> Option<(&'static str, String, String)> {
        let pairs = [
            (
                "package_id",
                meta.package_id.clone(),
                self.package_id.clone(),
            ),
            ("grade", meta.grade.to_string(), self.grade.to_string()),
            ("language", meta.language.clone(), self.language.clone()),
            ("demo", yes_no(meta.demo), yes_no(self.demo)),
            ("title", meta.title.clone(), self.title.clone()),
            ("subject", meta.subject.clone(), self.subject.clone()),
        ];
        pairs
            .into_iter()
            .find(|(_, header, materials)| header != materials)
    }

    /// The signed header agrees with these materials in every field they share.
    pub fn check_header(&self, meta: &PackageMeta) -> Result<()> {
        match self.difference(meta) {
            None => Ok(()),
            Some((key, header, materials)) => Err(PackageError::MaterialsMismatch {
                field: field_name(key),
                header,
                materials,
            }),
        }
    }
}

/// What the builder's flags claim (`--id`, `--title`, `--subject`,
/// `--grade`, `--language`, `--demo`); each may only confirm the materials.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderClaims {
    pub package_id: Option<String>,
    pub title: Option<String>,
    pub subject: Option<String>,
    pub grade: Option<u8>,
    pub language: Option<String>,
    pub demo: Option<bool>,
}

impl HeaderClaims {
    /// Every given claim equals the materials; the first that does not is
    /// refused, naming the flag and both values.
    pub fn confirm(&self, m: &MaterialsHeader) -> Result<()> {
        let claims = [
            ("--id", self.package_id.clone(), &m.package_id),
            ("--title", self.title.clone(), &m.title),
            ("--subject", self.subject.clone(), &m.subject),
            (
                "--grade",
                self.grade.map(|g| g.to_string()),
                &m.grade.to_string(),
            ),
            ("--language", self.language.clone(), &m.language),
            ("--demo", self.demo.map(yes_no), &yes_no(m.demo)),
        ];
        for (flag, given, materials) in claims {
            if let Some(given) = given {
                if given.trim() != materials.as_str() {
                    return Err(PackageError::ClaimMismatch {
                        flag,
                        given,
                        materials: materials.clone(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// The materials of a decrypted part agree with its signed header.
pub(crate) fn check_archive(archive: &crate::Archive, meta: &PackageMeta) -> Result<()> {
    let bytes = archive.get(PACKAGE_FILE).ok_or_else(|| {
        PackageError::BadMaterials(format!("в материалах нет файла {PACKAGE_FILE}"))
    })?;
    MaterialsHeader::from_json(bytes)?.check_header(meta)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn subjects_are_capitalised_language_names() {
        assert_eq!(subject_of(Language::En), "Английский язык");
        assert_eq!(subject_of(Language::De), "Немецкий язык");
        assert_eq!(subject_of(Language::Fr), "Французский язык");
    }
}
