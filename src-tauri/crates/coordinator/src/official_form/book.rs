//! The form template as a zip, read within caps: the file size, the number
//! of parts, each part's size as the zip declares it and as it inflates
//! (a zip bomb stops at the cap, never allocates past it). A workbook with
//! macros (`.xlsm` content types, `vbaProject.bin`) is refused. Only the parts
//! the form needs are inflated: the package and workbook relationships, the
//! workbook's sheet list, shared strings, styles and the sheets looked at.

use std::{
    collections::HashMap,
    io::{Cursor, Read},
    path::Path,
};

use quick_xml::{events::Event, Reader};

use super::xml::{attr, local, text_of};
use crate::{CoordinatorError, Result};

/// Largest form template read (bytes).
pub const MAX_TEMPLATE_BYTES: u64 = 20 * 1024 * 1024;
/// Largest part of the template once inflated (bytes).
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// All parts together, inflated (bytes).
const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;
/// Most parts (zip entries) of a template.
const MAX_PARTS: usize = 2_000;

pub(crate) fn refuse(file: &str, reason: impl Into<String>) -> CoordinatorError {
    CoordinatorError::FormTemplate {
        file: file.to_string(),
        reason: reason.into(),
    }
}

fn too_large(file: &str, reason: impl Into<String>) -> CoordinatorError {
    CoordinatorError::FormTemplateTooLarge {
        file: file.to_string(),
        reason: reason.into(),
    }
}

/// A sheet of the workbook: its name, its part, whether it is shown.
#[derive(Debug, Clone)]
pub(crate) struct SheetEntry {
    pub name: String,
    pub part: String,
    pub hidden: bool,
}

/// The template: the file's bytes (the zip) and what was read from them.
pub(crate) struct Book {
    pub file: String,
    pub bytes: Vec<u8>,
    pub sheets: Vec<SheetEntry>,
    pub shared: Vec<String>,
    /// Per cell style (`cellXfs` index): whether its number format is text (`@`).
    pub text_styles: Vec<bool>,
}

impl Book {
    pub fn open(path: &Path) -> Result<Self> {
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_lowercase();
        match ext.as_str() {
            "xlsx" => {}
            "xlsm" | "xltm" => return Err(CoordinatorError::FormMacros(file)),
            "xls" | "ods" | "xlsb" => {
                return Err(refuse(
                    &file,
                    "этот формат не поддерживается: нужна форма «Книга Excel (.xlsx)» из ФИС ОКО",
                ))
            }
            _ => return Err(refuse(&file, "ожидается файл формы .xlsx")),
        }
        let len = std::fs::metadata(path)
            .map_err(|e| refuse(&file, format!("не удалось открыть файл: {e}")))?
            .len();
        if len > MAX_TEMPLATE_BYTES {
            return Err(too_large(
                &file,
                format!(
                    "файл {} МБ, допустимо до {} МБ",
                    len.div_ceil(1024 * 1024),
                    MAX_TEMPLATE_BYTES / (1024 * 1024)
                ),
            ));
        }
        let mut bytes = Vec::with_capacity(len as usize);
        std::fs::File::open(path)?
            .take(MAX_TEMPLATE_BYTES + 1)
            .read_to_end(&mut bytes)?;
        Self::from_bytes(file, bytes)
    }

    pub fn from_bytes(file: String, bytes: Vec<u8>) -> Result<Self> {
        if bytes.len() as u64 > MAX_TEMPLATE_BYTES {
            return Err(too_large(&file, "файл больше допустимого"));
        }
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return Err(refuse(
                &file,
                "это книга старого формата .xls или книга, защищённая паролем: сохраните её как .xlsx без пароля",
            ));
        }
        if !bytes.starts_with(b"PK") {
            return Err(refuse(&file, "файл не является книгой Excel (.xlsx)"));
        }
        let mut book = Self {
            file,
            bytes,
            sheets: Vec::new(),
            shared: Vec::new(),
            text_styles: Vec::new(),
        };
        book.check_parts()?;
        let types = book.part("[Content_Types].xml")?.ok_or_else(|| {
            refuse(
                &book.file,
                "в книге нет описания частей ([Content_Types].xml)",
            )
        })?;
        if types.contains("macroEnabled") || types.contains("vbaProject") {
            return Err(CoordinatorError::FormMacros(book.file.clone()));
        }
        let workbook = book.office_document()?;
        let rels = book.relationships(&rels_path(&workbook))?;
        let text = book
            .part(&workbook)?
            .ok_or_else(|| refuse(&book.file, format!("в книге нет части {workbook}")))?;
        book.sheets = sheet_list(&book.file, &text, &rels, &dir_of(&workbook))?;
        for (ty, target) in rels.values() {
            if ty.ends_with("/sharedStrings") {
                if let Some(t) = book.part(&resolve(&dir_of(&workbook), target))? {
                    book.shared = shared_strings(&book.file, &t)?;
                }
            } else if ty.ends_with("/styles") {
                if let Some(t) = book.part(&resolve(&dir_of(&workbook), target))? {
                    book.text_styles = text_styles(&book.file, &t)?;
                }
            }
        }
        Ok(book)
    }

    fn archive(&self) -> Result<zip::ZipArchive<Cursor<&[u8]>>> {
        zip::ZipArchive::new(Cursor::new(self.bytes.as_slice()))
            .map_err(|_| refuse(&self.file, "файл повреждён или не является книгой .xlsx"))
    }

    /// Every part's declared size within the caps; no macros part.
    fn check_parts(&self) -> Result<()> {
        let mut zip = self.archive()?;
        if zip.len() > MAX_PARTS {
            return Err(too_large(&self.file, "в книге слишком много частей"));
        }
        let mut total: u64 = 0;
        for i in 0..zip.len() {
            let e = zip
                .by_index_raw(i)
                .map_err(|_| refuse(&self.file, "файл повреждён или не является книгой .xlsx"))?;
            let name = e.name().map(|n| n.to_lowercase()).unwrap_or_default();
            if name.ends_with("vbaproject.bin") {
                return Err(CoordinatorError::FormMacros(self.file.clone()));
            }
            total = total.saturating_add(e.size());
            if e.size() > MAX_PART_BYTES || total > MAX_TOTAL_BYTES {
                return Err(too_large(
                    &self.file,
                    "книга в распакованном виде слишком велика для формы сбора результатов",
                ));
            }
        }
        Ok(())
    }

    /// A part as text, inflated within the cap (whatever the zip declares).
    pub fn part(&self, name: &str) -> Result<Option<String>> {
        let mut zip = self.archive()?;
        let Some(index) = zip.index_for_name(name) else {
            return Ok(None);
        };
        let entry = zip
            .by_index(index)
            .map_err(|e| refuse(&self.file, format!("часть {name} не читается: {e}")))?;
        let mut out = Vec::new();
        entry
            .take(MAX_PART_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| refuse(&self.file, format!("часть {name} повреждена: {e}")))?;
        if out.len() as u64 > MAX_PART_BYTES {
            return Err(too_large(
                &self.file,
                format!("часть {name} в распакованном виде больше допустимого"),
            ));
        }
        String::from_utf8(out)
            .map(Some)
            .map_err(|_| refuse(&self.file, format!("часть {name} не в кодировке UTF-8")))
    }

    /// The workbook part named by the package relationships.
    fn office_document(&self) -> Result<String> {
        let rels = self.relationships("_rels/.rels")?;
        Ok(rels
            .values()
            .find(|(ty, _)| ty.ends_with("/officeDocument"))
            .map(|(_, t)| resolve("", t))
            .unwrap_or_else(|| "xl/workbook.xml".to_string()))
    }

    /// Relationship id → (type, target) of a `.rels` part (empty when absent).
    fn relationships(&self, part: &str) -> Result<HashMap<String, (String, String)>> {
        let mut out = HashMap::new();
        let Some(text) = self.part(part)? else {
            return Ok(out);
        };
        let mut r = Reader::from_str(&text);
        loop {
            match r.read_event().map_err(|e| bad_xml(&self.file, part, e))? {
                Event::Start(e) | Event::Empty(e) if local(e.name().as_ref()) == "Relationship" => {
                    if let (Some(id), Some(ty), Some(target)) =
                        (attr(&e, "Id"), attr(&e, "Type"), attr(&e, "Target"))
                    {
                        out.insert(id, (ty, target));
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(out)
    }
}

pub(crate) fn too_large_sheet(file: &str, sheet: &str, reason: &str) -> CoordinatorError {
    too_large(file, format!("лист «{sheet}»: {reason}"))
}

pub(crate) fn bad_xml(file: &str, part: &str, e: impl std::fmt::Display) -> CoordinatorError {
    refuse(file, format!("часть {part} повреждена: {e}"))
}

fn rels_path(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/_rels/{name}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

fn dir_of(part: &str) -> String {
    part.rsplit_once('/')
        .map(|(d, _)| d.to_string())
        .unwrap_or_default()
}

/// A relationship target as a part name: absolute (`/xl/…`) or relative to `dir`.
fn resolve(dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None if dir.is_empty() => target.to_string(),
        None => format!("{dir}/{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(p),
        }
    }
    parts.join("/")
}

fn sheet_list(
    file: &str,
    workbook: &str,
    rels: &HashMap<String, (String, String)>,
    dir: &str,
) -> Result<Vec<SheetEntry>> {
    let mut out = Vec::new();
    let mut r = Reader::from_str(workbook);
    loop {
        match r
            .read_event()
            .map_err(|e| bad_xml(file, "workbook.xml", e))?
        {
            Event::Start(e) | Event::Empty(e) if local(e.name().as_ref()) == "sheet" => {
                let (Some(name), Some(id)) = (attr(&e, "name"), attr(&e, "id")) else {
                    continue;
                };
                let Some((ty, target)) = rels.get(&id) else {
                    continue;
                };
                if !ty.ends_with("/worksheet") {
                    continue;
                }
                out.push(SheetEntry {
                    name,
                    part: resolve(dir, target),
                    hidden: attr(&e, "state").is_some_and(|s| s != "visible"),
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if out.is_empty() {
        return Err(refuse(file, "в книге нет листов"));
    }
    Ok(out)
}

/// The shared strings table: the text of each `<si>` (phonetic runs left out).
fn shared_strings(file: &str, text: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut r = Reader::from_str(text);
    loop {
        match r
            .read_event()
            .map_err(|e| bad_xml(file, "sharedStrings.xml", e))?
        {
            Event::Start(e) if local(e.name().as_ref()) == "si" => {
                out.push(text_of(&mut r, "si").map_err(|e| bad_xml(file, "sharedStrings.xml", e))?)
            }
            Event::Empty(e) if local(e.name().as_ref()) == "si" => out.push(String::new()),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// For each cell format (`cellXfs/xf`), whether its number format is text:
/// the built-in 49 or a custom format «@».
fn text_styles(file: &str, text: &str) -> Result<Vec<bool>> {
    let mut custom_text: Vec<u32> = Vec::new();
    let mut out = Vec::new();
    let mut in_xfs = false;
    let mut r = Reader::from_str(text);
    loop {
        match r.read_event().map_err(|e| bad_xml(file, "styles.xml", e))? {
            Event::Start(e) | Event::Empty(e) => match local(e.name().as_ref()) {
                "numFmt" if attr(&e, "formatCode").as_deref() == Some("@") => {
                    if let Some(id) = attr(&e, "numFmtId").and_then(|v| v.parse().ok()) {
                        custom_text.push(id);
                    }
                }
                "cellXfs" => in_xfs = true,
                "xf" if in_xfs => {
                    let id: u32 = attr(&e, "numFmtId")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    out.push(id == 49 || custom_text.contains(&id));
                }
                _ => {}
            },
            Event::End(e) if local(e.name().as_ref()) == "cellXfs" => in_xfs = false,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_names_resolve() {
        assert_eq!(
            resolve("xl", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl", "/xl/worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(resolve("xl/sub", "../styles.xml"), "xl/styles.xml");
        assert_eq!(resolve("", "xl/workbook.xml"), "xl/workbook.xml");
        assert_eq!(rels_path("xl/workbook.xml"), "xl/_rels/workbook.xml.rels");
    }
}
