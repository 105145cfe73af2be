//! Writing the filled form: the target sheet's rows rewritten in place
//! (cells not written kept as they were, styles kept, formulas kept with
//! a fresh or no cached value), the `<dimension>` widened when needed, and
//! the workbook's other parts copied byte for byte (their compressed data
//! as it is, `raw_copy_file`).

use std::{collections::BTreeMap, io::Write, path::Path};

use zip::{write::SimpleFileOptions, CompressionMethod, ZipWriter};

use super::book::{refuse, Book};
use super::sheet::{cell_name, parse_range, Cell, Row, Sheet};
use super::xml::escape;
use crate::{roster::column_letter, Result};

/// A value to put into a cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Put {
    Number(f64),
    Text(String),
    /// A formula cell's value (the formula kept); a plain number where there is none.
    Cached(f64),
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn attrs_text(attrs: &[(String, String)], skip: &[&str]) -> String {
    attrs
        .iter()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .map(|(k, v)| format!(" {k}=\"{v}\""))
        .collect()
}

/// A kept formula cell: its formula, no cached value (or `value`).
fn formula_cell(sheet: &Sheet, p: &str, cell: &Cell, row: u32, value: Option<f64>) -> String {
    let (a, b) = cell.formula.unwrap_or((0, 0));
    let v = value.map_or(String::new(), |n| format!("<{p}v>{}</{p}v>", number(n)));
    format!(
        "<{p}c r=\"{}\"{}>{}{v}</{p}c>",
        cell_name(cell.col, row),
        attrs_text(&cell.attrs, &["r", "t"]),
        &sheet.xml[a..b]
    )
}

fn new_cell(p: &str, col: u32, row: u32, style: Option<u32>, put: &Put) -> String {
    let s = style.map_or(String::new(), |s| format!(" s=\"{s}\""));
    let r = cell_name(col, row);
    match put {
        Put::Number(n) | Put::Cached(n) => {
            format!("<{p}c r=\"{r}\"{s}><{p}v>{}</{p}v></{p}c>", number(*n))
        }
        Put::Text(t) => format!(
            "<{p}c r=\"{r}\"{s} t=\"inlineStr\"><{p}is><{p}t>{}</{p}t></{p}is></{p}c>",
            escape(t)
        ),
    }
}

/// A row with `puts` written into it (an existing row keeps its other cells).
pub(crate) fn row_xml(
    sheet: &Sheet,
    orig: Option<&Row>,
    r: u32,
    puts: &BTreeMap<u32, Put>,
) -> String {
    let p = sheet.prefix.as_str();
    let mut out = match orig {
        Some(row) => format!("<{p}row{}>", attrs_text(&row.attrs, &["spans"])),
        None => format!("<{p}row r=\"{r}\">"),
    };
    let mut cols: Vec<u32> = orig
        .map(|row| row.cells.iter().map(|c| c.col).collect())
        .unwrap_or_default();
    cols.extend(puts.keys());
    cols.sort_unstable();
    cols.dedup();
    for col in cols {
        let cell = orig.and_then(|row| row.cell(col));
        match (cell, puts.get(&col)) {
            (Some(c), None) if c.formula.is_some() => {
                out.push_str(&formula_cell(sheet, p, c, r, None))
            }
            (Some(c), None) => {
                let raw = &sheet.xml[c.start..c.end];
                if c.attrs.iter().any(|(k, _)| k == "r") {
                    out.push_str(raw);
                } else {
                    // After the element's own name, whatever its prefix.
                    let name_end = raw
                        .find(|ch: char| ch.is_whitespace() || ch == '>' || ch == '/')
                        .unwrap_or(raw.len());
                    out.push_str(&raw[..name_end]);
                    out.push_str(&format!(" r=\"{}\"", cell_name(col, r)));
                    out.push_str(&raw[name_end..]);
                }
            }
            (Some(c), Some(Put::Cached(n))) if c.formula.is_some() => {
                out.push_str(&formula_cell(sheet, p, c, r, Some(*n)))
            }
            (cell, Some(put)) => {
                let style = cell
                    .and_then(|c| c.style)
                    .or_else(|| orig.and_then(Row::style))
                    .or_else(|| sheet.col_style(col));
                out.push_str(&new_cell(p, col, r, style, put));
            }
            (None, None) => {}
        }
    }
    out.push_str(&format!("</{p}row>"));
    out
}

/// The sheet XML with `rows` (row number → cells) written.
pub(crate) fn sheet_xml(
    sheet: &Sheet,
    rows: &BTreeMap<u32, BTreeMap<u32, Put>>,
    parse: impl Fn(usize, usize) -> Result<Row>,
) -> Result<String> {
    let p = sheet.prefix.as_str();
    // (position, end, order, text): replacements and insertions in order.
    let mut edits: Vec<(usize, usize, usize, String)> = Vec::new();
    let mut inserts = String::new();
    let mut max_col = 0;
    for (i, (r, puts)) in rows.iter().enumerate() {
        max_col = max_col.max(puts.keys().max().copied().unwrap_or(0));
        match sheet.rows.binary_search_by_key(r, |x| x.0) {
            Ok(k) => {
                let (_, start, end) = sheet.rows[k];
                let row = parse(start, end)?;
                edits.push((start, end, i, row_xml(sheet, Some(&row), *r, puts)));
            }
            Err(k) if sheet.data_empty => {
                let _ = k;
                inserts.push_str(&row_xml(sheet, None, *r, puts));
            }
            Err(k) => {
                let at = sheet.rows.get(k).map_or(sheet.data_close, |x| x.1);
                edits.push((at, at, i, row_xml(sheet, None, *r, puts)));
            }
        }
    }
    if sheet.data_empty && !inserts.is_empty() {
        edits.push((
            sheet.data_open,
            sheet.data_close,
            0,
            format!("<{p}sheetData>{inserts}</{p}sheetData>"),
        ));
    }
    if let (Some((a, b, reference)), Some(last)) = (&sheet.dimension, rows.keys().last()) {
        let old = parse_range(reference);
        let c1 = old.map_or(max_col, |o| o.c1.max(max_col));
        let r1 = old.map_or(*last, |o| o.r1.max(*last));
        let (c0, r0) = old.map_or((0, 1), |o| (o.c0, o.r0));
        let new_ref = format!(
            "{}{r0}:{}{r1}",
            column_letter(c0 as usize),
            column_letter(c1 as usize)
        );
        if new_ref != *reference {
            edits.push((*a, *b, 0, format!("<{p}dimension ref=\"{new_ref}\"/>")));
        }
    }
    edits.sort_by_key(|e| (e.0, e.2));
    let mut out =
        String::with_capacity(sheet.xml.len() + edits.iter().map(|e| e.3.len()).sum::<usize>());
    let mut at = 0;
    for (start, end, _, text) in edits {
        out.push_str(&sheet.xml[at..start]);
        out.push_str(&text);
        at = end;
    }
    out.push_str(&sheet.xml[at..]);
    Ok(out)
}

/// The workbook with the sheet part replaced, written next to `out` and
/// renamed over it (the template itself may be `out`: it is in memory).
pub(crate) fn write_book(book: &Book, part: &str, xml: &str, out: &Path) -> Result<()> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = out.with_file_name(format!(".{name}.tmp"));
    let result = (|| -> Result<()> {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book.bytes.as_slice()))
            .map_err(|_| refuse(&book.file, "файл повреждён"))?;
        let file = std::fs::File::create(&tmp)?;
        let mut w = ZipWriter::new(file);
        for i in 0..zip.len() {
            let entry = zip.by_index_raw(i)?;
            if entry.name().is_ok_and(|n| n == part) {
                let options = SimpleFileOptions::default()
                    .compression_method(CompressionMethod::Deflated)
                    .last_modified_time(entry.last_modified().unwrap_or_default());
                drop(entry);
                w.start_file(part, options)?;
                w.write_all(xml.as_bytes())?;
            } else {
                w.raw_copy_file(entry)?;
            }
        }
        let file = w.finish()?;
        file.sync_all()?;
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixed_rows_cells_without_references_and_inserted_rows() {
        let xml = r#"<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:dimension ref="A1:C6"/><x:sheetData><x:row r="3" spans="1:3"><x:c><x:v>1</x:v></x:c><x:c t="s"><x:v>0</x:v></x:c><x:c r="C3"><x:f>A3*2</x:f><x:v>2</x:v></x:c></x:row><x:row r="4"/><x:row r="6"><x:c r="A6"><x:v>9</x:v></x:c></x:row></x:sheetData></x:worksheet>"#;
        let shared = vec!["текст".to_string()];
        let sheet = Sheet::scan(xml.to_string(), &shared).unwrap_or_else(|e| panic!("{e}"));
        let mut rows = BTreeMap::new();
        rows.insert(3, BTreeMap::from([(3, Put::Number(5.0))]));
        rows.insert(
            5,
            BTreeMap::from([(0, Put::Text("a<b".into())), (4, Put::Number(1.0))]),
        );
        let out = sheet_xml(&sheet, &rows, |a, b| {
            sheet
                .parse_row(a, b, &shared)
                .map_err(|e| crate::CoordinatorError::Invalid(e.to_string()))
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let again = Sheet::scan(out.clone(), &shared).unwrap_or_else(|e| panic!("{e}: {out}"));
        assert_eq!(
            again.rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            vec![3, 4, 5, 6]
        );
        assert_eq!(
            again.top_text(0, 3),
            "1",
            "a cell without a reference stays in A"
        );
        assert_eq!(again.top_text(1, 3), "текст");
        assert_eq!(again.top_text(3, 3), "5");
        assert_eq!(again.top_text(0, 5), "a<b");
        assert_eq!(again.top_text(4, 5), "1");
        assert_eq!(again.top_text(0, 6), "9");
        assert!(
            out.contains(r#"<x:c r="C3"><x:f>A3*2</x:f></x:c>"#),
            "formula kept, stale value dropped: {out}"
        );
        assert!(out.contains(r#"<x:dimension ref="A1:E6"/>"#), "{out}");
        assert!(!out.contains("spans"));
    }
}
