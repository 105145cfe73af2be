//! One worksheet's XML, scanned for what filling it needs: where each row
//! lies (byte ranges, so rows not written stay byte for byte), the cells of
//! a row with their styles, formulas and values, the merged ranges, the
//! column styles and the `<dimension>`. Nothing outside `<sheetData>` is
//! ever rewritten but the dimension.

use std::collections::BTreeMap;

use quick_xml::{events::Event, Reader};

use super::xml::{attr, local, text_of};
use crate::{roster::column_letter, Result};

/// Most rows of a form sheet.
pub const MAX_SHEET_ROWS: usize = 100_000;
/// Highest row number a spreadsheet has.
const LAST_ROW: u32 = 1_048_576;
/// Highest column (0-based) a spreadsheet has (XFD).
const LAST_COL: u32 = 16_383;
/// Rows from the top whose cells are read for the header.
pub const TOP_ROWS: u32 = 60;

/// A cell range, 0-based columns and 1-based rows, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Range {
    pub c0: u32,
    pub r0: u32,
    pub c1: u32,
    pub r1: u32,
}

impl Range {
    pub fn contains(&self, col: u32, row: u32) -> bool {
        (self.c0..=self.c1).contains(&col) && (self.r0..=self.r1).contains(&row)
    }
}

/// `AB12` → (27, 12).
pub(crate) fn parse_ref(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().replace('$', "");
    let split = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = s.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    let mut col: u32 = 0;
    for c in letters.chars() {
        col = col * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
    }
    let row: u32 = digits.parse().ok()?;
    (col >= 1 && col - 1 <= LAST_COL && (1..=LAST_ROW).contains(&row)).then_some((col - 1, row))
}

/// A column's letters (`AB`) → its 0-based index.
pub(crate) fn parse_column(s: &str) -> Option<u32> {
    parse_ref(&format!("{}1", s.trim())).map(|(c, _)| c)
}

pub(crate) fn parse_range(s: &str) -> Option<Range> {
    let (a, b) = s.split_once(':').unwrap_or((s, s));
    let (c0, r0) = parse_ref(a)?;
    let (c1, r1) = parse_ref(b)?;
    Some(Range {
        c0: c0.min(c1),
        r0: r0.min(r1),
        c1: c0.max(c1),
        r1: r0.max(r1),
    })
}

pub(crate) fn cell_name(col: u32, row: u32) -> String {
    format!("{}{row}", column_letter(col as usize))
}

/// A cell as the sheet holds it; byte ranges are within the sheet XML.
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    pub col: u32,
    pub start: usize,
    pub end: usize,
    /// Attributes as written (name, escaped value).
    pub attrs: Vec<(String, String)>,
    pub style: Option<u32>,
    /// The `<f>` element, as a byte range.
    pub formula: Option<(usize, usize)>,
    /// The value as text (a shared string looked up, a number as written).
    pub text: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// The row's attributes as written (name, escaped value).
    pub attrs: Vec<(String, String)>,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn cell(&self, col: u32) -> Option<&Cell> {
        self.cells.iter().find(|c| c.col == col)
    }

    /// The row's own style, when it has one (`customFormat`).
    pub fn style(&self) -> Option<u32> {
        let get = |k: &str| {
            self.attrs
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.as_str())
        };
        (get("customFormat").is_some_and(|v| v == "1" || v == "true"))
            .then(|| get("s").and_then(|s| s.parse().ok()))
            .flatten()
    }
}

/// Where the parts of the sheet lie.
#[derive(Debug)]
pub(crate) struct Sheet {
    pub xml: String,
    /// The namespace prefix of the sheet's elements (`x:` or empty).
    pub prefix: String,
    /// The `<dimension>` element's range and its `ref`.
    pub dimension: Option<(usize, usize, String)>,
    /// After `<sheetData>` (or the start of `<sheetData/>`).
    pub data_open: usize,
    /// At `</sheetData>` (or the end of `<sheetData/>`).
    pub data_close: usize,
    pub data_empty: bool,
    /// Row number → byte range, in order.
    pub rows: Vec<(u32, usize, usize)>,
    /// The rows near the top, parsed.
    pub top: BTreeMap<u32, Row>,
    pub merges: Vec<Range>,
    /// Column styles: (first, last, style), 0-based columns.
    pub cols: Vec<(u32, u32, u32)>,
}

fn attrs_of(e: &quick_xml::events::BytesStart<'_>) -> Vec<(String, String)> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .map(|a| (a.key.as_ref().to_string(), a.value.into_owned()))
        .collect()
}

impl Sheet {
    /// Scan a sheet part; `shared` resolves shared-string cells of the top rows.
    pub fn scan(xml: String, shared: &[String]) -> std::result::Result<Self, SheetError> {
        let mut s = Sheet {
            prefix: String::new(),
            dimension: None,
            data_open: 0,
            data_close: 0,
            data_empty: false,
            rows: Vec::new(),
            top: BTreeMap::new(),
            merges: Vec::new(),
            cols: Vec::new(),
            xml: String::new(),
        };
        let mut found_data = false;
        {
            let mut r = Reader::from_str(&xml);
            let mut row_start: Option<(u32, usize)> = None;
            let mut last_row = 0u32;
            loop {
                let before = r.buffer_position() as usize;
                let ev = r.read_event()?;
                let after = r.buffer_position() as usize;
                match ev {
                    Event::Start(e) | Event::Empty(e)
                        if row_start.is_none() && local(e.name().as_ref()) == "row" =>
                    {
                        let n = match attr(&e, "r") {
                            Some(v) => v.parse().map_err(|_| {
                                SheetError::Malformed(format!("неверный номер строки «{v}»"))
                            })?,
                            None => last_row + 1,
                        };
                        if n <= last_row || n > LAST_ROW {
                            return Err(SheetError::Malformed(format!(
                                "строки листа не по порядку (строка {n})"
                            )));
                        }
                        last_row = n;
                        if s.rows.len() >= MAX_SHEET_ROWS {
                            return Err(SheetError::TooManyRows);
                        }
                        if matches!(ev_kind(&xml, before), Kind::Empty) {
                            s.rows.push((n, before, after));
                        } else {
                            row_start = Some((n, before));
                        }
                    }
                    Event::End(e) if local(e.name().as_ref()) == "row" => {
                        if let Some((n, start)) = row_start.take() {
                            s.rows.push((n, start, after));
                        }
                    }
                    Event::Start(e) if local(e.name().as_ref()) == "sheetData" => {
                        s.prefix = prefix_of(e.name().as_ref());
                        s.data_open = after;
                        found_data = true;
                    }
                    Event::Empty(e) if local(e.name().as_ref()) == "sheetData" => {
                        s.prefix = prefix_of(e.name().as_ref());
                        s.data_open = before;
                        s.data_close = after;
                        s.data_empty = true;
                        found_data = true;
                    }
                    Event::End(e) if local(e.name().as_ref()) == "sheetData" => {
                        s.data_close = before;
                    }
                    Event::Empty(e) | Event::Start(e) if row_start.is_none() => {
                        match local(e.name().as_ref()) {
                            "dimension" => {
                                if let Some(v) = attr(&e, "ref") {
                                    s.dimension = Some((before, after, v));
                                }
                            }
                            "mergeCell" => {
                                if let Some(range) = attr(&e, "ref").and_then(|v| parse_range(&v)) {
                                    s.merges.push(range);
                                }
                            }
                            "col" => {
                                let num = |k: &str| attr(&e, k).and_then(|v| v.parse::<u32>().ok());
                                if let (Some(min), Some(max), Some(style)) =
                                    (num("min"), num("max"), num("style"))
                                {
                                    if min >= 1 && max >= min {
                                        s.cols.push((min - 1, (max - 1).min(LAST_COL), style));
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                    Event::Eof => {
                        if row_start.is_some() {
                            return Err(SheetError::malformed("строка листа не закрыта"));
                        }
                        break;
                    }
                    _ => {}
                }
            }
        }
        if !found_data || (!s.data_empty && s.data_close < s.data_open) {
            return Err(SheetError::malformed(
                "на листе нет данных (sheetData) или они не закрыты",
            ));
        }
        s.xml = xml;
        let top: Vec<(u32, usize, usize)> = s
            .rows
            .iter()
            .copied()
            .filter(|(n, _, _)| *n <= TOP_ROWS)
            .collect();
        for (n, start, end) in top {
            let row = s.parse_row(start, end, shared)?;
            s.top.insert(n, row);
        }
        Ok(s)
    }

    /// Parse the row at `start..end` of the sheet XML.
    pub fn parse_row(
        &self,
        start: usize,
        end: usize,
        shared: &[String],
    ) -> std::result::Result<Row, SheetError> {
        let slice = &self.xml[start..end];
        let mut r = Reader::from_str(slice);
        let mut row: Option<Row> = None;
        let mut next_col = 0u32;
        loop {
            let before = r.buffer_position() as usize;
            let ev = r.read_event()?;
            let after = r.buffer_position() as usize;
            match ev {
                Event::Start(e) | Event::Empty(e) if row.is_none() => {
                    row = Some(Row {
                        attrs: attrs_of(&e),
                        cells: Vec::new(),
                    });
                }
                Event::Start(e) | Event::Empty(e) if local(e.name().as_ref()) == "c" => {
                    let empty = matches!(ev_kind(slice, before), Kind::Empty);
                    let col = match attr(&e, "r").and_then(|v| parse_ref(&v)) {
                        Some((c, _)) => c,
                        None => next_col,
                    };
                    next_col = col + 1;
                    let kind = attr(&e, "t");
                    let mut cell = Cell {
                        col,
                        start: start + before,
                        end: start + after,
                        attrs: attrs_of(&e),
                        style: attr(&e, "s").and_then(|v| v.parse().ok()),
                        formula: None,
                        text: String::new(),
                    };
                    if !empty {
                        let mut value = String::new();
                        loop {
                            let b = r.buffer_position() as usize;
                            let ev = r.read_event()?;
                            let a = r.buffer_position() as usize;
                            match ev {
                                Event::Start(e) if local(e.name().as_ref()) == "f" => {
                                    r.read_to_end(e.name())?;
                                    cell.formula =
                                        Some((start + b, start + r.buffer_position() as usize));
                                }
                                Event::Empty(e) if local(e.name().as_ref()) == "f" => {
                                    cell.formula = Some((start + b, start + a));
                                }
                                Event::Start(e) if local(e.name().as_ref()) == "v" => {
                                    value = text_until(&mut r, "v")?;
                                }
                                Event::Start(e) if local(e.name().as_ref()) == "is" => {
                                    value = text_of(&mut r, "is")?;
                                }
                                Event::End(e) if local(e.name().as_ref()) == "c" => {
                                    cell.end = start + a;
                                    break;
                                }
                                Event::Eof => {
                                    return Err(SheetError::malformed("ячейка не закрыта"))
                                }
                                _ => {}
                            }
                        }
                        cell.text = match kind.as_deref() {
                            Some("s") => value
                                .trim()
                                .parse::<usize>()
                                .ok()
                                .and_then(|i| shared.get(i).cloned())
                                .unwrap_or_default(),
                            Some("inlineStr" | "str" | "e" | "b") => value,
                            _ => number_text(&value),
                        };
                    }
                    if let Some(row) = row.as_mut() {
                        row.cells.push(cell);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        row.ok_or_else(|| SheetError::malformed("строка без элемента row"))
    }

    /// The cell text at a position (0-based column, 1-based row) among the top
    /// rows, through a merged range to its top-left cell.
    pub fn top_text(&self, col: u32, row: u32) -> String {
        let (c, r) = self
            .merges
            .iter()
            .find(|m| m.contains(col, row))
            .map_or((col, row), |m| (m.c0, m.r0));
        self.top
            .get(&r)
            .and_then(|row| row.cell(c))
            .map(|c| c.text.trim().to_string())
            .unwrap_or_default()
    }

    pub fn merge_at(&self, col: u32, row: u32) -> Option<Range> {
        self.merges.iter().copied().find(|m| m.contains(col, row))
    }

    pub fn col_style(&self, col: u32) -> Option<u32> {
        self.cols
            .iter()
            .find(|(a, b, _)| (*a..=*b).contains(&col))
            .map(|(_, _, s)| *s)
    }
}

/// Whether the event that starts at `pos` is a self-closing tag.
enum Kind {
    Empty,
    Open,
}

fn ev_kind(xml: &str, pos: usize) -> Kind {
    let rest = &xml[pos..];
    match rest.find('>') {
        Some(i) if rest[..i].ends_with('/') => Kind::Empty,
        _ => Kind::Open,
    }
}

fn prefix_of(name: &str) -> String {
    name.rsplit_once(':')
        .map(|(p, _)| format!("{p}:"))
        .unwrap_or_default()
}

fn text_until(r: &mut Reader<&[u8]>, end: &str) -> std::result::Result<String, SheetError> {
    let mut out = String::new();
    loop {
        match r.read_event()? {
            Event::Text(t) => out.push_str(&t.xml10_content()),
            Event::CData(t) => out.push_str(&t.into_inner()),
            Event::GeneralRef(g) => {
                if let Some(s) = super::xml::entity(&g) {
                    out.push_str(&s);
                }
            }
            Event::End(e) if local(e.name().as_ref()) == end => return Ok(out),
            Event::Eof => return Err(SheetError::Malformed(format!("элемент {end} не закрыт"))),
            _ => {}
        }
    }
}

/// A number as a person reads it: `12345.0` → `12345`.
fn number_text(v: &str) -> String {
    match v.trim().parse::<f64>() {
        Ok(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        _ => v.trim().to_string(),
    }
}

/// Refuse a sheet with a reason naming the file and the sheet.
pub(crate) fn scan_sheet(file: &str, name: &str, xml: String, shared: &[String]) -> Result<Sheet> {
    Sheet::scan(xml, shared).map_err(|e| match e {
        SheetError::TooManyRows => super::book::too_large_sheet(file, name, &e.to_string()),
        SheetError::Malformed(_) => super::book::refuse(file, format!("лист «{name}»: {e}")),
    })
}

/// What is wrong with a sheet's XML (the caller names the file and the sheet).
#[derive(Debug, thiserror::Error)]
pub(crate) enum SheetError {
    #[error("на листе больше {MAX_SHEET_ROWS} строк")]
    TooManyRows,
    #[error("{0}")]
    Malformed(String),
}

impl SheetError {
    fn malformed(reason: &str) -> Self {
        Self::Malformed(reason.to_owned())
    }
}

impl From<quick_xml::Error> for SheetError {
    fn from(e: quick_xml::Error) -> Self {
        Self::Malformed(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_rows() {
        assert_eq!(parse_ref("A1"), Some((0, 1)));
        assert_eq!(parse_ref("$AB$12"), Some((27, 12)));
        assert_eq!(parse_ref("XFE1"), None);
        assert_eq!(parse_ref("A0"), None);
        assert_eq!(parse_column("d"), Some(3));
        assert_eq!(cell_name(27, 12), "AB12");
        let xml = r#"<worksheet><dimension ref="A1:C2"/><cols><col min="2" max="3" style="4"/></cols><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c s="2"><v>7.0</v></c></row><row r="2" s="3" customFormat="1"><c r="C2"><f>SUM(A2:B2)</f><v>0</v></c><c r="D2" t="inlineStr"><is><t>x&amp;y</t></is></c></row><row r="4"/></sheetData><mergeCells count="1"><mergeCell ref="A1:A2"/></mergeCells></worksheet>"#;
        let s =
            Sheet::scan(xml.to_string(), &["Код".to_string()]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            s.rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            vec![1, 2, 4]
        );
        assert_eq!(s.top_text(0, 1), "Код");
        assert_eq!(s.top_text(0, 2), "Код", "through the merge");
        assert_eq!(s.top_text(1, 1), "7");
        assert_eq!(s.col_style(2), Some(4));
        let r2 = &s.top[&2];
        assert_eq!(r2.style(), Some(3));
        let c = r2.cell(2).unwrap_or_else(|| panic!("C2"));
        let (a, b) = c.formula.unwrap_or_else(|| panic!("formula"));
        assert_eq!(&s.xml[a..b], "<f>SUM(A2:B2)</f>");
        assert_eq!(
            &s.xml[c.start..c.end],
            r#"<c r="C2"><f>SUM(A2:B2)</f><v>0</v></c>"#
        );
        assert_eq!(r2.cell(3).map(|c| c.text.as_str()), Some("x&y"));
        assert_eq!(s.dimension.as_ref().map(|d| d.2.as_str()), Some("A1:C2"));
        assert_eq!(&s.xml[s.data_close..s.data_close + 12], "</sheetData>");
    }
}
